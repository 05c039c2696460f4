#!/usr/bin/env bash
# Builds preshard, then runs the comparison (bench/run.py; options pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/run.py "$@"
