#!/usr/bin/python3
"""Instructions per proxied command, counted by valgrind's callgrind: the same figure on a busy
machine as on a quiet one (unlike time), so two builds compare exactly.

    bench/instructions.py BINARY [BINARY ...] [--tests GET_1,GET_16,SET_1,MGET10_1] [--set K=V]

Starts 128 instances (29000-29127), then for each binary and test runs the binary under
callgrind twice, with a small and a larger request count from one client (so batching does not
depend on timing), and prints (Ir(large) - Ir(small)) / (large - small): the instructions one
more command costs, without startup and shutdown.

    bench/instructions.py build/preshard --budget bench/instruction_budget.txt

is the regression guard scripts/test.sh runs: each test's count against the budget stored in
the repo (one "TEST INSTRUCTIONS" line each), exit 1 with the reason when one is over. It times
nothing, so a busy machine cannot fail it; the budget is the count measured when it was last
set, plus a margin for the run-to-run spread (about 2.5%) and for another CPU's libc variants.
"""
import argparse
import pathlib
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run as B  # noqa: E402  (bench/run.py: instances, ports, multi-key commands)

BASE = 29000
PROXY_PORT = 29200
SMALL, LARGE = 2000, 12000


def instructions(binary, config, test, requests, keep=None):
    out = tempfile.NamedTemporaryFile(suffix=".callgrind", delete=False).name
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "-c", config,
         "--log-level", "warn"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        B.wait_port(PROXY_PORT, proc, timeout=60)
        name, pipeline = test.rsplit("_", 1)
        what = B.MULTIKEY[name] if name in B.MULTIKEY else ["-t", name.lower()]
        subprocess.run(["redis-benchmark", "-p", str(PROXY_PORT), "-c", "1", "-n", str(requests),
                        "-r", "100000", "-P", pipeline, "-q"] + what,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    text = pathlib.Path(out).read_text(errors="replace")
    if keep:  # kept for callgrind_annotate --diff (the profile of the larger run)
        pathlib.Path(out).rename(keep)
    else:
        pathlib.Path(out).unlink()
    return int(re.search(r"^summary:\s+(\d+)", text, re.M).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--tests", default="GET_1,GET_16,SET_1,MGET10_1")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting added to the proxy's config (monitor_interval_ms=0: no "
                         "health probes, whose INFOs would count with the commands)")
    ap.add_argument("--budget", metavar="FILE",
                    help="fail if a test costs more instructions than FILE allows")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep each larger run's callgrind profile in DIR, for callgrind_annotate")
    args = ap.parse_args()
    budget = {}
    if args.budget:
        for line in pathlib.Path(args.budget).read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, limit = line.split()
                budget[name] = int(limit)
        args.tests = ",".join(budget)
    over = []
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="preshard-ir-"))
    instances = B.Procs()
    try:
        settings = [": ".join(kv.split("=", 1)) for kv in args.set]
        config = B.start_layout(instances, BASE, workdir, PROXY_PORT, settings)
        for test in args.tests.split(","):
            for binary in args.binaries:
                small = instructions(binary, str(config), test, SMALL)
                keep = None
                if args.keep:
                    tag = re.sub(r"[^A-Za-z0-9]+", "_", binary).strip("_")
                    keep = pathlib.Path(args.keep) / f"{test}.{tag}.callgrind"
                large = instructions(binary, str(config), test, LARGE, keep)
                per = (large - small) / (LARGE - SMALL)
                print(f"{test:10} {binary:40} {per:10.0f} instructions per command", flush=True)
                if test in budget and per > budget[test]:
                    over.append(f"{test}: {per:.0f} instructions per command, over the budget of "
                                f"{budget[test]} in {args.budget}")
    finally:
        instances.stop_all()
    for o in over:
        print(f"instruction guard: {o}. A change made the hot path more expensive: find it with "
              f"bench/instructions.py --keep DIR and callgrind_annotate; if the cost is meant, "
              f"raise the budget in the same commit and say why.", file=sys.stderr)
    if over:
        sys.exit(1)


if __name__ == "__main__":
    main()
