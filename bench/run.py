#!/usr/bin/python3
"""preshard vs twemproxy (Debian's nutcracker) vs direct redis-server, in one run.

Starts 128 instances (and one more for the N=1 rows) on 127.0.0.1, a preshard and a nutcracker
over the same instances, and runs redis-benchmark (50 clients, random keys -r 100000, SET and
GET, -P 1 and -P 16) against each, rounds interleaved so that machine noise hits all targets
alike. Prints medians over the rounds and the ratios. Everything it starts, it stops by PID.

    bench/run.py [--rounds 5] [--threads 1] [--requests 200000] [--no-pin] [--out bench/results]

By default the servers (instances and both proxies) run on CPU 0 and redis-benchmark on CPU 1
(--no-pin lets the kernel place everything). On a 2-core machine three busy processes otherwise
compete for two cores and the scheduler, not the proxy, decides most of the spread between runs;
pinning treats both proxies identically and makes rounds repeatable.
"""
import argparse
import csv
import io
import json
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
BASE = 24000        # 128 instances: 24000-24127
SINGLE = 24200      # the N=1 instance
PRESHARD_128, PRESHARD_1 = 24300, 24301
NUTCRACKER_128, NUTCRACKER_1 = 24310, 24311


def wait_port(port, proc, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"process for port {port} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on {port}")


SERVER_CPUS = None  # set by main(): the CPUs for instances and proxies
CLIENT_CPUS = None  # and for redis-benchmark


def on_cpus(cpus):
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


class Procs:
    def __init__(self):
        self.procs = []

    def start(self, args, port, **kw):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=on_cpus(SERVER_CPUS), **kw)
        self.procs.append(p)
        wait_port(port, p)
        return p

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def redis_args(port, d):
    return ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", d, "--logfile", ""]


def write_preshard_conf(path, port, ports, threads):
    lines = [f"listen: 127.0.0.1:{port}", f"threads: {threads}", "log_level: warn", "instances:"]
    lines += [f"  - 127.0.0.1:{p}" for p in ports]
    path.write_text("\n".join(lines) + "\n")


def write_nutcracker_conf(path, port, ports):
    lines = ["pool:", f"  listen: 127.0.0.1:{port}", "  hash: fnv1a_64",
             "  distribution: modula", "  redis: true", "  timeout: 1000",
             "  server_connections: 1", "  auto_eject_hosts: false", "  servers:"]
    lines += [f"   - 127.0.0.1:{p}:1" for p in ports]
    path.write_text("\n".join(lines) + "\n")


# Multi-key rows: 10 random keys per command, so they spread over the shards. redis-benchmark
# draws each __rand_int__ separately.
KEYS10 = ["key:__rand_int__"] * 10
MULTIKEY = {"MSET10": ["MSET"] + [a for k in KEYS10 for a in (k, "xxx")],
            "MGET10": ["MGET"] + KEYS10}


def benchmark(port, pipeline, requests, label=None):
    """One redis-benchmark run: SET and GET, or the multi-key command `label`; returns
    {test: {rps, p50, p99, errors}}."""
    n = requests * (4 if pipeline > 1 else 1)
    what = ["-t", "set,get"] if label is None else MULTIKEY[label]
    r = subprocess.run(
        ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", "50", "-n", str(n),
         "-r", "100000", "-P", str(pipeline), "--csv", "-e"] + what,
        capture_output=True, text=True, timeout=600, preexec_fn=on_cpus(CLIENT_CPUS))
    out = {}
    errors = r.stdout.count("Error from server") + r.stderr.count("Error from server")
    rows = [l for l in r.stdout.splitlines() if l.startswith('"')]
    for row in csv.DictReader(io.StringIO("\n".join(rows))):
        test = label or row["test"]
        out[test] = {"rps": float(row["rps"]), "p50": float(row["p50_latency_ms"]),
                     "p99": float(row["p99_latency_ms"]), "errors": errors}
    if not out:
        sys.exit(f"redis-benchmark gave no result on port {port}: {r.stdout[-500:]} {r.stderr[-500:]}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--preshard", default=str(ROOT / "build" / "preshard"))
    ap.add_argument("--no-pin", action="store_true", help="do not pin servers and client to CPUs")
    args = ap.parse_args()
    global SERVER_CPUS, CLIENT_CPUS
    cpus = sorted(os.sched_getaffinity(0))
    args.pinned = not args.no_pin and len(cpus) >= 2
    if args.pinned:
        SERVER_CPUS, CLIENT_CPUS = {cpus[0]}, {cpus[1]}

    work = pathlib.Path(tempfile.mkdtemp(prefix="preshard-bench-"))
    procs = Procs()
    try:
        ports = [BASE + i for i in range(128)]
        for p in ports + [SINGLE]:
            procs.start(redis_args(p, str(work)), p)
        write_preshard_conf(work / "p128.yaml", PRESHARD_128, ports, args.threads)
        write_preshard_conf(work / "p1.yaml", PRESHARD_1, [SINGLE], args.threads)
        write_nutcracker_conf(work / "n128.yml", NUTCRACKER_128, ports)
        write_nutcracker_conf(work / "n1.yml", NUTCRACKER_1, [SINGLE])
        procs.start([args.preshard, "-c", str(work / "p128.yaml")], PRESHARD_128)
        procs.start([args.preshard, "-c", str(work / "p1.yaml")], PRESHARD_1)
        procs.start(["nutcracker", "-c", str(work / "n128.yml"), "-s", "24320", "-o",
                     str(work / "n128.log")], NUTCRACKER_128)
        procs.start(["nutcracker", "-c", str(work / "n1.yml"), "-s", "24321", "-o",
                     str(work / "n1.log")], NUTCRACKER_1)

        targets = {("N=128", "preshard"): PRESHARD_128, ("N=128", "nutcracker"): NUTCRACKER_128,
                   ("N=1", "direct"): SINGLE, ("N=1", "preshard"): PRESHARD_1,
                   ("N=1", "nutcracker"): NUTCRACKER_1}
        samples = {}  # (layout, pipeline, test, target) -> [result]
        for rnd in range(args.rounds):
            for pipeline in (1, 16):
                for (layout, target), port in targets.items():
                    res = benchmark(port, pipeline, args.requests)
                    if layout == "N=128":
                        for label in MULTIKEY:
                            res.update(benchmark(port, pipeline, args.requests // 4, label))
                    for test, v in res.items():
                        samples.setdefault((layout, pipeline, test, target), []).append(v)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        report(samples, args)
    finally:
        procs.stop_all()


def med(vals, key):
    return statistics.median(v[key] for v in vals)


def report(samples, args):
    pin = "servers on CPU 0, client on CPU 1" if args.pinned else "unpinned"
    print(f"\npreshard benchmark: {args.rounds} rounds, threads={args.threads}, 50 clients, "
          f"-r 100000, {pin}; medians (rps) and latency p50/p99 (ms)\n")
    header = ("layout", "test", "-P", "preshard", "nutcracker", "direct", "p/nc", "p/direct",
              "preshard p50/p99", "nutcracker p50/p99", "errors")
    rows = []
    result = []
    for layout in ("N=128", "N=1"):
        for pipeline in (1, 16):
            tests = ("SET", "GET") + (tuple(MULTIKEY) if layout == "N=128" else ())
            for test in tests:
                def get(target):
                    return samples.get((layout, pipeline, test, target))
                p, nc, d = get("preshard"), get("nutcracker"), get("direct")
                errors = sum(v["errors"] for t in (p, nc, d) if t for v in t)
                row = {
                    "layout": layout, "test": test, "pipeline": pipeline,
                    "preshard_rps": med(p, "rps"), "nutcracker_rps": med(nc, "rps"),
                    "direct_rps": med(d, "rps") if d else None,
                    "preshard_p50": med(p, "p50"), "preshard_p99": med(p, "p99"),
                    "nutcracker_p50": med(nc, "p50"), "nutcracker_p99": med(nc, "p99"),
                    "errors": errors,
                    # per round, so that runs can be pooled later
                    "preshard_rounds": [v["rps"] for v in p],
                    "nutcracker_rounds": [v["rps"] for v in nc],
                    "direct_rounds": [v["rps"] for v in d] if d else None,
                }
                row["ratio_nutcracker"] = row["preshard_rps"] / row["nutcracker_rps"]
                row["ratio_direct"] = row["preshard_rps"] / row["direct_rps"] if d else None
                result.append(row)
                rows.append((layout, test, str(pipeline), f"{row['preshard_rps']:.0f}",
                             f"{row['nutcracker_rps']:.0f}",
                             f"{row['direct_rps']:.0f}" if d else "-",
                             f"{row['ratio_nutcracker']:.2f}x",
                             f"{row['ratio_direct']:.2f}x" if d else "-",
                             f"{row['preshard_p50']:.3f}/{row['preshard_p99']:.3f}",
                             f"{row['nutcracker_p50']:.3f}/{row['nutcracker_p99']:.3f}",
                             str(errors)))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    print(fmt.format(*header))
    for r in rows:
        print(fmt.format(*r))
    worst = min(r["ratio_nutcracker"] for r in result)
    print(f"\nworst preshard/nutcracker ratio: {worst:.2f}x; "
          f"errors: {sum(r['errors'] for r in result)}")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"bench-{stamp}.json").write_text(
        json.dumps({"pinned": args.pinned, "rounds": args.rounds, "threads": args.threads,
                    "rows": result}, indent=1))
    print(f"results: {out}/bench-{stamp}.json")


if __name__ == "__main__":
    main()
