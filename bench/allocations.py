#!/usr/bin/python3
"""Heap allocations per proxied command in steady state, counted by a counting allocator
(bench/alloc_count.c, loaded into the proxy with LD_PRELOAD): every malloc, calloc, realloc and
aligned allocation of the process adds one to a counter this script reads from outside.

    bench/allocations.py BINARY [BINARY ...] [--tests GET_1,SET_1,GET_16,SET_16,MGET10_1]
                         [--max GET_1=0,SET_1=0]

Starts 128 instances (31600-31727) and the proxy (31800, the shard monitor off: its INFOs would
count), warms it up with one redis-benchmark run, then runs a small and a larger request count
(one client each, 100,000 random keys) and prints (allocations(large) - allocations(small)) /
(large - small): what one more command allocates, without the connection's setup. Counts are
exact, not timed: a busy machine gives the same figure. --max makes it a check (exit 1 when a
test allocates more per command than allowed).
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run as B  # noqa: E402  (bench/run.py: instances, ports, multi-key commands)

BASE = 31600
PROXY_PORT = 31800
WARM, SMALL, LARGE = 5000, 2000, 22000


def build_counter(workdir):
    lib = workdir / "alloc_count.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(lib),
                    str(B.ROOT / "bench" / "alloc_count.c")], check=True)
    return lib


def benchmark(test, requests):
    name, pipeline = test.rsplit("_", 1)
    what = B.MULTIKEY[name] if name in B.MULTIKEY else ["-t", name.lower()]
    subprocess.run(["redis-benchmark", "-p", str(PROXY_PORT), "-c", "1", "-n", str(requests),
                    "-r", "100000", "-P", pipeline, "-q"] + what,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)


def per_command(binary, config, lib, counter, test):
    counter.write_bytes(bytes(8))
    env = dict(os.environ, LD_PRELOAD=str(lib), ALLOC_COUNT_FILE=str(counter))
    proc = subprocess.Popen([binary, "-c", str(config), "--log-level", "warn"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    read = lambda: int.from_bytes(counter.read_bytes()[:8], "little")  # noqa: E731
    try:
        B.wait_port(PROXY_PORT, proc)
        benchmark(test, WARM)
        a = read()
        benchmark(test, SMALL)
        b = read()
        benchmark(test, LARGE)
        c = read()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    if c == 0:
        sys.exit("the counting allocator counted nothing: was it loaded?")
    return ((c - b) - (b - a)) / (LARGE - SMALL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--tests", default="GET_1,SET_1,GET_16,SET_16,MGET10_1")
    ap.add_argument("--max", default="", metavar="TEST=N,...",
                    help="fail if a test allocates more than N per command")
    args = ap.parse_args()
    limits = {k: float(v) for k, v in (kv.split("=") for kv in args.max.split(",") if kv)}
    over = []
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="preshard-alloc-"))
    lib = build_counter(workdir)
    instances = B.Procs()
    try:
        config = B.start_layout(instances, BASE, workdir, PROXY_PORT, ["monitor_interval_ms: 0"])
        for test in args.tests.split(","):
            for binary in args.binaries:
                per = per_command(binary, config, lib, workdir / "count", test)
                print(f"{test:10} {binary:40} {per:8.3f} allocations per command", flush=True)
                # Up to 1 allocation per 100 commands is noise from the process's other
                # threads and timers (runs of an unchanged build spread by +-0.002), not the
                # command path; a per-command allocation, even 1 per 16 pipelined, is over it.
                if test in limits and per > limits[test] + 0.01:
                    over.append(f"{test}: {per:.3f} allocations per command, more than "
                                f"{limits[test]:g}")
    finally:
        instances.stop_all()
    for o in over:
        print(f"allocation guard: {o}", file=sys.stderr)
    if over:
        sys.exit(1)


if __name__ == "__main__":
    main()
