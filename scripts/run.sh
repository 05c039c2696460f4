#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running proxy: installs the packages, builds,
# starts the 128 local redis-server instances of conf/preshard.yaml (7000-7127, data under
# var/instances) and runs preshard on 127.0.0.1:6380 in the foreground. Ctrl-C stops the proxy;
# `build/preshardctl instances stop --config conf/preshard.yaml` stops the instances.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/preshardctl instances start --config conf/preshard.yaml
exec ./build/preshard --config conf/preshard.yaml "$@"
