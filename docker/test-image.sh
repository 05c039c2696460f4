#!/usr/bin/env bash
# Builds the image from Debian's packages alone (no registry: debootstrap, then import as the
# base) and runs docker/compose.yml for real on the host's network, every process on 127.0.0.1:
# two "machines" of 64 instances and preshard. Then, from the host: PING and the healthcheck,
# SET/GET, MSET/MGET across shards, a SIGHUP reload, the non-root user; then everything down.
# Docker if its engine answers, else Podman (with docker/containers.conf).
# Exit 0: passed; 77: the engine cannot run here (why, on stderr); anything else: failed.
# Compose is docker-compose (Debian's 1.29), against Docker's engine or Podman's Docker API
# socket (`podman system service`, started and stopped here): Debian's podman-compose 1.0.3
# adds its default network to `network_mode: host` services, which podman refuses.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${PRESHARD_DOCKER_WORK:-$root/build/docker}
base=${PRESHARD_DOCKER_PORT_BASE:-31000}    # instances: base .. base+127
port=${PRESHARD_DOCKER_PROXY_PORT:-31500}   # preshard
project=preshardtest
image=localhost/preshard-test:latest
skip() { echo "SKIP: $*" >&2; exit 77; }
say() { echo "docker-test: $*"; }

command -v docker-compose >/dev/null 2>&1 || skip "docker-compose is not installed"
if docker info >/dev/null 2>&1; then
  engine=docker
elif command -v podman >/dev/null 2>&1; then
  export CONTAINERS_CONF="$root/docker/containers.conf"
  engine=podman
else
  skip "no container engine: 'docker info' fails and podman is not installed"
fi
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed"
mkdir -p "$work"

if ! $engine image inspect localhost/preshard-base:bookworm >/dev/null 2>&1; then
  mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | head -1 | awk '{print $2}')
  say "debootstrap bookworm (${mirror:-default mirror})"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase bookworm "$work/rootfs" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1
  tar -C "$work/rootfs" -c . | $engine import - localhost/preshard-base:bookworm >/dev/null
  rm -rf "$work/rootfs"
fi
if ! out=$($engine run --rm --network host localhost/preshard-base:bookworm true 2>&1); then
  skip "$engine cannot run a container here: $out"
fi

say "building the image (docker/Dockerfile)"
t0=$(date +%s)
fmt=(); [ $engine = podman ] && fmt=(--format docker)  # OCI images drop HEALTHCHECK
$engine build "${fmt[@]}" --network host --build-arg BASE=localhost/preshard-base:bookworm \
  -f "$root/docker/Dockerfile" -t "$image" "$root" >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log"; exit 1; }
say "built in $(( $(date +%s) - t0 )) s"

conf="$work/conf"
rm -rf "$conf" && mkdir -p "$conf"
$engine run --rm --network host --entrypoint preshardctl "$image" init --instances 128 \
  --hosts "127.0.0.1:$base-$((base + 127))" --listen "127.0.0.1:$port" >"$conf/preshard.yaml"
printf 'redis:\n  dir: /var/lib/preshard/instances\n' >>"$conf/preshard.yaml"
chmod -R a+rX "$conf"

export PRESHARD_IMAGE=$image PRESHARD_CONF_DIR=$conf PRESHARD_PORT=$port
service_pid=""
if [ $engine = podman ]; then
  # Podman's Docker API, on a socket of this run's own, for docker-compose.
  sock="$work/podman.sock"
  rm -f "$sock"
  podman system service --time=0 "unix://$sock" >"$work/service.log" 2>&1 &
  service_pid=$!
  export DOCKER_HOST="unix://$sock"
  for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
fi
compose() { timeout 300 docker-compose -f "$root/docker/compose.yml" -p $project "$@"; }
down() {
  compose down -t 10 >/dev/null 2>&1 || true
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
}
trap down EXIT
compose down -t 10 >/dev/null 2>&1 || true
compose up -d >"$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }
for _ in $(seq 1 120); do
  [ "$(cli PING 2>/dev/null)" = PONG ] && break
  sleep 0.5
done
[ "$(cli PING)" = PONG ] || { say "preshard never answered"; compose logs 2>&1 | tail -40; exit 1; }
up=0
for _ in $(seq 1 60); do
  up=0
  for i in $(seq 0 127); do
    [ "$(redis-cli -p $((base + i)) PING 2>/dev/null)" = PONG ] && up=$((up + 1))
  done
  [ $up -eq 128 ] && break
  sleep 0.5
done
[ $up -eq 128 ] || { say "only $up of 128 instances up"; exit 1; }
say "128 instances and preshard up"

[ "$(cli SET docker:k hello)" = OK ] && [ "$(cli GET docker:k)" = hello ]
keys=()
for i in $(seq 1 20); do keys+=("docker:m$i" "v$i"); done
[ "$(cli MSET "${keys[@]}")" = OK ]
mget=$(cli MGET docker:m1 docker:m7 docker:m20 | tr '\n' ' ')
[ "$mget" = "v1 v7 v20 " ] || { say "MGET gave '$mget'"; exit 1; }
holders=0
for i in $(seq 0 127); do
  [ "$(redis-cli -p $((base + i)) DBSIZE)" -gt 0 ] && holders=$((holders + 1))
done
[ $holders -gt 5 ] || { say "keys landed on only $holders shards"; exit 1; }
say "SET/GET, MSET/MGET across $holders shards"

container=$(compose ps -q preshard)
[ -n "$container" ] || { say "no preshard container"; exit 1; }
[ "$($engine exec "$container" id -u)" != 0 ] || { say "the proxy runs as root"; exit 1; }
# The image's HEALTHCHECK, run now rather than waiting for its interval.
if [ $engine = podman ]; then
  podman healthcheck run "$container" || { say "healthcheck failed"; exit 1; }
else
  docker exec "$container" sh -c 'redis-cli -h 127.0.0.1 -p "$PRESHARD_PORT" PING' | grep -q PONG ||
    { say "healthcheck failed"; exit 1; }
fi

reloads() { cli INFO proxy | tr -d '\r' | sed -n 's/^reloads://p'; }
before=$(reloads)
printf 'slowlog_max_len: 77\n' >>"$conf/preshard.yaml"
compose kill -s HUP preshard >/dev/null 2>&1
for _ in $(seq 1 40); do
  [ "$(reloads)" = $((before + 1)) ] && break
  sleep 0.25
done
[ "$(reloads)" = $((before + 1)) ] || { say "SIGHUP did not reload"; compose logs preshard 2>&1 | tail -20; exit 1; }
cli INFO proxy | tr -d '\r' | grep -q '^last_reload_ok:1' || { say "the reload was refused"; exit 1; }
[ "$(cli GET docker:k)" = hello ]
say "SIGHUP reloaded the mounted config; non-root; healthcheck passes"
down
trap - EXIT
say "passed"
