#!/usr/bin/python3
"""preshard vs twemproxy (Debian's nutcracker) vs direct redis-server, in one run.

Starts 128 instances (and one more for the N=1 rows) on 127.0.0.1, a preshard and a nutcracker
over the same instances, and runs redis-benchmark (50 clients, random keys -r 100000, SET and
GET, -P 1 and -P 16, MSET/MGET of 10 keys) against each, then SET/GET of 100 KB and 1 MB values
over 128 instances against direct-to-one-instance; rounds interleaved so that machine noise hits
all targets alike. Prints medians over the rounds, ratios paired per round, and each proxy's CPU
per command (utime+stime from /proc over the run's requests); writes JSON, CSV and a PNG plot
(bench/report.py). Everything it starts, it stops by PID.

    bench/run.py [--rounds 5] [--threads 1] [--requests 200000] [--no-pin] [--no-big | --only-big]
                 [--out bench/results]

By default the servers (instances and both proxies) run on CPU 0 and redis-benchmark on CPU 1
(--no-pin lets the kernel place everything). On a 2-core machine three busy processes otherwise
compete for two cores and the scheduler, not the proxy, decides most of the spread between runs;
pinning treats both proxies identically and makes rounds repeatable.
"""
import argparse
import csv
import io
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import time

import report

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
        if port is not None:  # None: nothing to wait for (the neighbour)
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


def start_layout(procs, base, workdir, proxy_port, settings=()):
    """128 instances from `base` (started by `procs`) and a one-thread preshard config over them
    with `settings` ("key: value" lines) added; returns the config's path."""
    ports = [base + i for i in range(128)]
    for p in ports:
        procs.start(redis_args(p, str(workdir)), p)
    config = pathlib.Path(workdir) / "preshard.yaml"
    write_preshard_conf(config, proxy_port, ports, 1)
    with open(config, "a") as f:
        f.writelines(f"{line}\n" for line in settings)
    return config


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


# Large values, N=128 at -P 1, against direct-to-one-instance throughput (issue 19): test name
# -> (redis-benchmark test, value bytes, share of --requests).
BIG = {"SET_100KB": ("set", 100 * 1024, 20), "GET_100KB": ("get", 100 * 1024, 20),
       "SET_1MB": ("set", 1 << 20, 100), "GET_1MB": ("get", 1 << 20, 100)}


def cpu_seconds(pid):
    """utime + stime of a process (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def benchmark(port, pipeline, requests, test, pid=None):
    """One redis-benchmark run of one test: SET, GET, a MULTIKEY label or a BIG label; returns
    {rps, p50, p99, errors, cpu_us} (cpu_us: the process `pid`'s CPU per command, or None)."""
    n = requests * (4 if pipeline > 1 else 1)
    keys, extra = "100000", []
    if test in MULTIKEY:
        what = MULTIKEY[test]
    elif test in BIG:
        name, size, share = BIG[test]
        n, keys, what, extra = max(n // share, 200), "100", ["-t", name], ["-d", str(size)]
    else:
        what = ["-t", test.lower()]
    cpu0 = cpu_seconds(pid) if pid else None
    r = subprocess.run(
        ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-c", "50", "-n", str(n),
         "-r", keys, "-P", str(pipeline), "--csv", "-e"] + extra + what,
        capture_output=True, text=True, timeout=600, preexec_fn=on_cpus(CLIENT_CPUS))
    cpu_us = (cpu_seconds(pid) - cpu0) * 1e6 / n if pid else None
    errors = r.stdout.count("Error from server") + r.stderr.count("Error from server")
    rows = [l for l in r.stdout.splitlines() if l.startswith('"')]
    for row in csv.DictReader(io.StringIO("\n".join(rows))):
        return {"rps": float(row["rps"]), "p50": float(row["p50_latency_ms"]),
                "p99": float(row["p99_latency_ms"]), "errors": errors, "cpu_us": cpu_us}
    sys.exit(f"redis-benchmark gave no result on port {port}: {r.stdout[-500:]} {r.stderr[-500:]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--preshard", default=str(ROOT / "build" / "preshard"))
    ap.add_argument("--no-pin", action="store_true", help="do not pin servers and client to CPUs")
    ap.add_argument("--no-big", action="store_true", help="leave out the 100 KB and 1 MB rows")
    ap.add_argument("--only-big", action="store_true", help="only the 100 KB and 1 MB rows")
    ap.add_argument("--neighbour", action="store_true",
                    help="a CPU-bound process on the servers' CPU (any CPU with --no-pin) for "
                         "the whole run, as a busy neighbour on a shared machine")
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
        started = {  # the proxies, whose CPU per command is measured
            procs.start([args.preshard, "-c", str(work / "p128.yaml")], PRESHARD_128):
                PRESHARD_128,
            procs.start([args.preshard, "-c", str(work / "p1.yaml")], PRESHARD_1): PRESHARD_1,
            procs.start(["nutcracker", "-c", str(work / "n128.yml"), "-s", "24320", "-o",
                         str(work / "n128.log")], NUTCRACKER_128): NUTCRACKER_128,
            procs.start(["nutcracker", "-c", str(work / "n1.yml"), "-s", "24321", "-o",
                         str(work / "n1.log")], NUTCRACKER_1): NUTCRACKER_1}

        pids = {port: p.pid for p, port in started.items()}
        targets = {("N=128", "preshard"): PRESHARD_128, ("N=128", "nutcracker"): NUTCRACKER_128,
                   ("N=1", "direct"): SINGLE, ("N=1", "preshard"): PRESHARD_1,
                   ("N=1", "nutcracker"): NUTCRACKER_1}
        # Large values: through the proxies over 128 instances, and direct to one instance.
        big_targets = {"preshard": PRESHARD_128, "nutcracker": NUTCRACKER_128, "direct": SINGLE}
        if args.neighbour:  # started like the servers: on their CPU when pinned
            procs.start(["/usr/bin/python3", "-c", "while True: pass"], None)
        samples = {}  # (layout, pipeline, test, target) -> [result]
        for rnd in range(args.rounds):
            for pipeline in () if args.only_big else (1, 16):
                for (layout, target), port in targets.items():
                    tests = ["SET", "GET"] + (list(MULTIKEY) if layout == "N=128" else [])
                    for test in tests:
                        reqs = args.requests // (4 if test in MULTIKEY else 1)
                        res = benchmark(port, pipeline, reqs, test, pids.get(port))
                        samples.setdefault((layout, pipeline, test, target), []).append(res)
            if not args.no_big:
                for test in BIG:
                    for target, port in big_targets.items():
                        res = benchmark(port, 1, args.requests, test, pids.get(port))
                        samples.setdefault(("N=128 big", 1, test, target), []).append(res)
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        report.write(samples, args, BIG)
    finally:
        procs.stop_all()


if __name__ == "__main__":
    main()
