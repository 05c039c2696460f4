#!/usr/bin/env bash
# Starts the config's local instances (unless PRESHARD_LOCAL_INSTANCES=0), then the proxy in
# the foreground; on SIGTERM the proxy drains and the instances are stopped.
set -euo pipefail
config="${PRESHARD_CONFIG:-/etc/preshard/preshard.yaml}"
local_instances="${PRESHARD_LOCAL_INSTANCES:-1}"
if [ -n "${PRESHARD_REQUIREPASS:-}" ]; then  # the default user's password, from the environment
  cp "$config" /tmp/preshard.yaml
  printf 'requirepass: "%s"\n' "$PRESHARD_REQUIREPASS" >> /tmp/preshard.yaml
  config=/tmp/preshard.yaml
fi
if [ "$local_instances" != 0 ]; then
  preshardctl instances start --config "$config"
fi
preshard --config "$config" &
pid=$!
# As PID 1 this shell would drop signals it has no trap for: pass them on. SIGHUP reloads the
# proxy (docker compose kill -s HUP preshard); the shell keeps waiting until it has exited.
trap 'kill -TERM $pid' TERM INT
trap 'kill -HUP $pid' HUP
while kill -0 $pid 2>/dev/null; do
  wait $pid || true
done
if [ "$local_instances" != 0 ]; then
  preshardctl instances stop --config "$config"
fi
