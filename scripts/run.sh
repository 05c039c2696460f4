#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running proxy: installs the packages, builds,
# starts 128 local redis-server instances (7000-7127) and runs preshard on 127.0.0.1:6380 in the
# foreground (Ctrl-C stops the proxy; `scripts/instances.sh stop` stops the instances).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/instances.sh start
exec ./build/preshard --config conf/preshard.yaml "$@"
