#!/usr/bin/python3
"""The proxy's CPU, page faults and system calls per large-value command, over 128 instances.

    bench/profile_big.py set|get VALUE_BYTES REQUESTS [BINARY] [--strace | --perf]

Starts 128 instances (ports 31600-31727) and a preshard (31800), runs redis-benchmark (50
clients, 100 keys, -P 1) and prints its CSV line, the proxy's CPU per command and its minor page
faults per command. --strace counts the proxy's system calls (strace -c, written to
/tmp/preshard-profile-strace.txt; it slows the run), --perf records a profile
(/tmp/preshard-profile-perf.data, for `perf report`). Used for the large-value rows of
docs/performance.md; everything it starts it stops by PID.
"""
import pathlib
import subprocess
import sys
import tempfile
import time

import run as B


def faults(pid):
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[7])  # minflt


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    test, size, n = args[0], int(args[1]), int(args[2])
    binary = args[3] if len(args) > 3 else str(B.ROOT / "build" / "preshard")
    work = pathlib.Path(tempfile.mkdtemp(prefix="preshard-profile-"))
    procs = B.Procs()
    tracer = None
    try:
        conf = B.start_layout(procs, 31600, work, 31800)
        pid = procs.start([binary, "-c", str(conf)], 31800).pid

        def bench(kind, count):
            return subprocess.run(
                ["redis-benchmark", "-p", "31800", "-c", "50", "-n", str(count), "-r", "100",
                 "-d", str(size), "-t", kind, "--csv"], capture_output=True, text=True,
                timeout=600).stdout

        bench("set", 400)  # every key there for GET; the proxy warmed up
        if "--strace" in sys.argv:
            tracer = subprocess.Popen(["strace", "-c", "-f", "-o",
                                       "/tmp/preshard-profile-strace.txt", "-p", str(pid)])
        elif "--perf" in sys.argv:
            tracer = subprocess.Popen(["perf", "record", "-o", "/tmp/preshard-profile-perf.data",
                                       "-p", str(pid)], stderr=subprocess.DEVNULL)
        if tracer:
            time.sleep(0.5)
        c0, f0 = B.cpu_seconds(pid), faults(pid)
        out = bench(test, n)
        c1, f1 = B.cpu_seconds(pid), faults(pid)
        if tracer:
            tracer.send_signal(2)
            tracer.wait(timeout=30)
        print(out.strip().splitlines()[-1])
        print(f"proxy CPU {(c1 - c0) * 1e6 / n:.0f} us/command, {(f1 - f0) / n:.1f} page "
              f"faults/command")
    finally:
        if tracer and tracer.poll() is None:
            tracer.kill()
        procs.stop_all()


if __name__ == "__main__":
    main()
