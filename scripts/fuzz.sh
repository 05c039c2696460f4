#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ and runs each for a
# bounded time from its seed corpus in tests/fuzz/corpus (new inputs go to a temporary
# directory; the repo's corpus is only read). A crash, a sanitizer report or a broken property
# (tests/fuzz/*_fuzz.cpp) fails the run, leaving the input in build-fuzz/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 30; the test command uses it)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
seconds=${1:-30}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRESHARD_FUZZ=ON \
  -DPRESHARD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_request_reader fuzz_reply_framer
for target in request_reader reply_framer; do
  work=$(mktemp -d)
  echo "== fuzz $target (${seconds} s)"
  if ! (cd build-fuzz && ./fuzz_"$target" -max_total_time="$seconds" -seed=1 -max_len=4096 \
    -print_final_stats=1 "$work" ../tests/fuzz/corpus/"$target" 2>&1 | tail -n 12); then
    rm -rf "$work"
    echo "fuzz $target FAILED (the input is in build-fuzz/)"
    exit 1
  fi
  rm -rf "$work"
done
