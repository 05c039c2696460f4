#!/usr/bin/env bash
# Starts, stops and reports the local reference layout: N redis-server instances on consecutive
# ports, each with its own directory, pidfile and log under DIR/<port>/.
#
#   scripts/instances.sh start|stop|status [--count N] [--base-port P] [--dir DIR] [--no-persist]
#
# Defaults: 128 instances on 7000-7127 under var/instances (the layout conf/preshard.yaml names).
# Instances are stopped by their pidfiles, never by process name.
set -euo pipefail

cmd="${1:-}"
shift || true
count=128
base=7000
dir="$(cd "$(dirname "$0")/.." && pwd)/var/instances"
persist=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --base-port) base="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --no-persist) persist=0; shift ;;
    *) echo "instances.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

pid_of() {  # prints the pid of the instance on port $1 if it is running
  local f="$dir/$1/redis.pid"
  [ -f "$f" ] || return 1
  local pid
  pid=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null \
    && echo "$pid"
}

start() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed (scripts/deps.sh)" >&2; exit 1; }
  local started=0
  for ((i = 0; i < count; i++)); do
    local port=$((base + i)) d="$dir/$((base + i))"
    pid_of "$port" >/dev/null && continue
    mkdir -p "$d"
    local save=()
    [ "$persist" -eq 1 ] || save=(--save "" --appendonly no)
    redis-server --port "$port" --bind 127.0.0.1 --dir "$d" --pidfile "$d/redis.pid" \
      --logfile "$d/redis.log" --daemonize yes --dbfilename dump.rdb "${save[@]}" &
    started=$((started + 1))
  done
  wait
  # Wait (bounded) until every instance answers.
  local deadline=$((SECONDS + 30)) down
  while :; do
    down=0
    for ((i = 0; i < count; i++)); do
      redis-cli -p $((base + i)) ping >/dev/null 2>&1 || down=$((down + 1))
    done
    [ "$down" -eq 0 ] && break
    [ $SECONDS -ge $deadline ] && { echo "instances.sh: $down instance(s) did not start (see $dir/*/redis.log)" >&2; exit 1; }
    sleep 0.2
  done
  echo "instances: $count up on ports $base-$((base + count - 1)) ($started started now), dir $dir"
}

stop() {
  local pids=()
  for ((i = 0; i < count; i++)); do
    local pid
    pid=$(pid_of $((base + i))) && { kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); }
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while [ -d "/proc/$pid" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  echo "instances: stopped ${#pids[@]}"
}

status() {
  local up=0
  printf '%-6s %-8s %-6s %-8s %s\n' PORT PID STATE KEYS MEMORY
  for ((i = 0; i < count; i++)); do
    local port=$((base + i)) pid keys mem
    if pid=$(pid_of "$port"); then
      keys=$(redis-cli -p "$port" dbsize 2>/dev/null || echo "?")
      mem=$(redis-cli -p "$port" info memory 2>/dev/null | tr -d '\r' | sed -n 's/^used_memory_human://p')
      printf '%-6s %-8s %-6s %-8s %s\n' "$port" "$pid" up "$keys" "$mem"
      up=$((up + 1))
    else
      printf '%-6s %-8s %-6s %-8s %s\n' "$port" - down - -
    fi
  done
  echo "instances: $up of $count up"
  [ "$up" -eq "$count" ]
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--count N] [--base-port P] [--dir DIR] [--no-persist]" >&2; exit 2 ;;
esac
