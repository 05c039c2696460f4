#!/usr/bin/env bash
# Builds preshard, then runs the comparison (bench/run.py; options pass through). Installs what
# the comparison needs from Debian when it is missing: nutcracker (twemproxy), redis-benchmark,
# and python3-matplotlib for the PNG plot.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v nutcracker >/dev/null || need+=(nutcracker)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/run.py "$@"
