#!/usr/bin/python3
"""Redis's own test suite (tests/unit of a redis source tree, 7.0.x) in external mode, run through
preshard over one instance and directly against a redis-server, unit by unit, side by side.

    scripts/redis-suite.py REDIS_SOURCE_DIR [--units unit/type/list,unit/multi] [--out FILE]

REDIS_SOURCE_DIR is an unpacked redis source of the same version as the redis-server here (the
suite is not in Debian's packages and CI has no internet: this is run by hand, and its report
goes to docs/redis-test-suite.md). Each unit gets a fresh redis-server (and a fresh preshard in
front of it, with config_commands: all_shards so the suite can CONFIG SET its own instance),
runs with a time bound, and the [ok]/[err]/[exception] lines are counted. Tests tagged as
needing what an external server cannot give (DEBUG, replication, restarts) are skipped on both
sides, as the suite itself does in external mode. Ports: 24200-24299 (direct), 24300-24399
(through preshard).
"""
import argparse
import concurrent.futures
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = str(ROOT / "build/preshard")  # --binary
SKIP_TAGS = ["needs:debug", "needs:repl", "needs:config-maxmemory", "needs:save", "needs:reset",
             "needs:pfdebug", "external:skip"]
# The units of 7.0's ::all_tests that run against an external server (the others start their
# own servers and skip themselves whole in external mode).
UNITS = ("printver dump auth protocol keyspace scan info info-command type/string type/incr "
         "type/list type/list-2 type/list-3 type/set type/zset type/hash type/stream "
         "type/stream-cgroups sort expire other multi quit acl acl-v2 latency-monitor pubsub "
         "pubsubshard slowlog scripting functions introspection introspection-2 limits bitops "
         "bitfield geo memefficiency hyperloglog lazyfree pause querybuf tracking info-keysizes "
         "networking client-eviction replybufsize").split()


def wait_port(port, proc, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_once(src, unit, port, via_proxy, workdir, timeout, skipped):
    """One run of a unit against a fresh instance: its output (ANSI colours removed)."""
    d = pathlib.Path(tempfile.mkdtemp(prefix=unit.replace("/", "_") + "-", dir=workdir))
    redis_port = port + 1 if via_proxy else port
    procs = [subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(d)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_port(redis_port, procs[0])
        if via_proxy:
            conf = d / "preshard.yaml"
            conf.write_text(f"listen: 127.0.0.1:{port}\nconfig_commands: all_shards\n"
                            f"timeout_ms: 30000\n"
                            f"instances:\n  - 127.0.0.1:{redis_port}\n")
            procs.append(subprocess.Popen(
                [BINARY, "-c", str(conf), "--log-level", "warn"],
                stdout=open(d / "preshard.log", "w"), stderr=subprocess.STDOUT))
            wait_port(port, procs[1])
        args = ["tclsh", "tests/test_helper.tcl", "--host", "127.0.0.1", "--port", str(port),
                "--baseport", str(port + 10), "--portcount", "40", "--clients", "1",
                "--single", f"unit/{unit}", "--timeout", str(timeout)]
        for t in SKIP_TAGS:
            args += ["--tags", "-" + t]
        for name in skipped:
            args += ["--skiptest", name]
        try:
            out = subprocess.run(args, cwd=src, capture_output=True, text=True,
                                 timeout=timeout + 30, errors="replace").stdout
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") + "\n[exception]: unit timed out\n"
        return re.sub(r"\x1b\[[0-9;]*m", "", out)
    finally:
        for p in reversed(procs):
            stop(p)


def run_unit(src, unit, port, via_proxy, workdir, timeout):
    """A unit, run again without each test that ends it with an exception (the suite stops a
    unit at its first one): (ok count, [err lines], [(test, exception) pairs], last output)."""
    skipped, stopped = [], []
    for _ in range(40):
        out = run_once(src, unit, port, via_proxy, workdir, timeout, skipped)
        m = re.search(r"^\[exception\]: (.*)$", out, re.M)
        if not m:
            break
        # The trace quotes the test's source: test {NAME} {... or test "NAME" {...
        found = re.search(r'^"test (?:\{(.*?)\}|\\"(.*?)\\") \{', out[m.end():], re.M)
        name = (found.group(1) or found.group(2)) if found else None
        stopped.append((name or "?", m.group(1)))
        if not name or name in skipped or "$" in name:
            break
        skipped.append(name)
    oks = len(re.findall(r"^\[ok\]:", out, re.M))
    errs = re.findall(r"^\[err\]:.*$", out, re.M)
    return oks, errs, stopped, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("--units", default=",".join(UNITS))
    ap.add_argument("--out", default="/tmp/redis-suite")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per unit")
    ap.add_argument("--binary", help="the preshard to test (default build/preshard)")
    args = ap.parse_args()
    global BINARY
    BINARY = str(pathlib.Path(args.binary).resolve()) if args.binary else BINARY
    src = pathlib.Path(args.src).resolve()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    units = [u for u in args.units.split(",") if (src / "tests/unit" / (u + ".tcl")).exists()]
    rows = []
    # Direct and through preshard side by side: two processes, one per core.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for i, unit in enumerate(units):
            direct = pool.submit(run_unit, src, unit, 24200 + (i % 2) * 50, False, out, args.timeout)
            proxied = pool.submit(run_unit, src, unit, 24300 + (i % 2) * 50, True, out, args.timeout)
            d, p = direct.result(), proxied.result()
            tag = unit.replace("/", "_")
            (out / f"{tag}.direct.txt").write_text(d[3])
            (out / f"{tag}.preshard.txt").write_text(p[3])
            rows.append((unit, d, p))
            print(f"{unit:22} direct {d[0]:4} ok {len(d[1]):3} err {len(d[2])} exc | preshard "
                  f"{p[0]:4} ok {len(p[1]):3} err {len(p[2])} exc", flush=True)
    tot = [sum(r[1][0] for r in rows), sum(len(r[1][1]) for r in rows),
           sum(r[2][0] for r in rows), sum(len(r[2][1]) for r in rows)]
    print(f"total: direct {tot[0]} ok {tot[1]} err; preshard {tot[2]} ok {tot[3]} err")
    with open(out / "failures.txt", "w") as f:
        for unit, d, p in rows:
            for side, r in (("direct", d), ("preshard", p)):
                for line in r[1]:
                    f.write(f"{unit} {side}: {line}\n")
                for test, why in r[2]:
                    f.write(f"{unit} {side}: [exception] {test}: {why}\n")
    print(f"every failure: {out / 'failures.txt'}; each unit's output beside it")


if __name__ == "__main__":
    sys.exit(main())
