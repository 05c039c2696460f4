#!/usr/bin/env bash
# Starts the local reference instances (unless PRESHARD_LOCAL_INSTANCES=0), then the proxy in
# the foreground; on SIGTERM the proxy drains and the instances are stopped.
set -euo pipefail
count="${PRESHARD_LOCAL_INSTANCES:-128}"
config="${PRESHARD_CONFIG:-/etc/preshard/preshard.yaml}"
if [ "$count" -gt 0 ]; then
  bash /usr/local/share/preshard/instances.sh start --count "$count" --dir /var/lib/preshard
fi
preshard --config "$config" &
pid=$!
trap 'kill -TERM $pid' TERM INT
wait $pid || true
wait $pid 2>/dev/null || true
if [ "$count" -gt 0 ]; then
  bash /usr/local/share/preshard/instances.sh stop --count "$count" --dir /var/lib/preshard
fi
