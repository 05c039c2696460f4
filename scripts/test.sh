#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs what it needs, checks the
# formatting, builds, runs the Catch2 unit tests and the integration tests (128 real
# redis-server instances) against the optimised build, the instruction guard (instructions
# per proxied command against bench/instruction_budget.txt), the Docker image built and its
# compose file run (docker/test-image.sh), then all of it again under
# AddressSanitizer + UndefinedBehaviorSanitizer with two worker threads per proxy, then the libFuzzer targets (scripts/fuzz.sh) for
# 30 s each.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --fast     skip the sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
PY=/usr/bin/python3  # Debian's python, which has python3-redis and python3-pytest

echo "== format check"
git ls-files 'src/*.cpp' 'include/*.hpp' 'tests/*.cpp' | xargs clang-format --dry-run --Werror

run_suite() {  # $1 = build dir
  echo "== unit tests ($1)"
  ctest --test-dir "$1" --output-on-failure -j2
  echo "== integration tests ($1)"
  PRESHARD_BIN="$PWD/$1/preshard" "$PY" -m pytest tests/integration -q -p no:cacheprovider
}

echo "== client libraries (tests/clients, from its lockfile)"
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)

bash scripts/build.sh
run_suite build
echo "== instruction guard (bench/instruction_budget.txt)"
"$PY" bench/instructions.py build/preshard --set monitor_interval_ms=0 \
  --budget bench/instruction_budget.txt
echo "== allocation guard (no heap allocation per forwarded single-key command)"
"$PY" bench/allocations.py build/preshard --tests GET_1,SET_1,GET_16 --max GET_1=0,SET_1=0,GET_16=0
echo "== Docker image and compose (docker/test-image.sh)"
rc=0
bash docker/test-image.sh || rc=$?
if [ $rc -eq 77 ]; then
  echo "   skipped: the container engine cannot run on this machine (reason above)"
elif [ $rc -ne 0 ]; then
  exit $rc
fi
if [ "${1:-}" != "--fast" ]; then
  bash scripts/build.sh --sanitize
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  # This pass runs every proxy with two worker threads (threads: 2), the first with one.
  PRESHARD_TEST_THREADS=2 run_suite build-asan
  echo "== libFuzzer targets"
  bash scripts/fuzz.sh 30
fi
echo "== all tests passed"
