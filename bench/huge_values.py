#!/usr/bin/python3
"""What one client's huge value costs everyone else: while a client SETs (then GETs) a value of
--mb megabytes on one instance, another client GETs a small key on another instance without
pause; its latencies (p50, p99, max) are compared for direct redis-server, twemproxy (Debian's
nutcracker) and preshard, rounds interleaved. Also the proxy's RSS peak over its baseline.

    bench/huge_values.py [--mb 400] [--rounds 5] [--preshard build/preshard]

Ports 24400-24403. On 2 cores the client, the proxy and the instance taking the value share the
machine with the measuring client: compare the proxies with direct, not with a figure.
"""
import argparse
import multiprocessing
import os
import pathlib
import socket
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Procs, redis_args, write_nutcracker_conf, write_preshard_conf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
INSTANCES = [24400, 24401]
PRESHARD, NUTCRACKER = 24402, 24403


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.settimeout(60)
        self.buf = b""

    def reply(self):
        """One reply, parsed just enough: the bulk's payload length, or the line."""
        while b"\r\n" not in self.buf:
            self.buf += self.s.recv(1 << 20)
        line, _, self.buf = self.buf.partition(b"\r\n")
        if line[:1] == b"$" and int(line[1:]) >= 0:
            n = int(line[1:]) + 2
            chunks, have = [self.buf], len(self.buf)
            while have < n:
                d = self.s.recv(1 << 20)
                chunks.append(d)
                have += len(d)
            data = b"".join(chunks)
            self.buf = data[n:]
            return n - 2
        return line

    def call(self, *args):
        self.s.sendall(command(*args))
        return self.reply()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1])


def keys_apart(port):
    """Two keys the target puts on different instances (found by asking the instances)."""
    c, direct = Conn(port), Conn(INSTANCES[0])
    found = {}
    for i in range(1000):
        k = f"probe{i}"
        c.call("SET", k, "1")
        found.setdefault(direct.call("EXISTS", k) == b":1", k)
        c.call("DEL", k)  # or the next target's probe finds it
        if len(found) == 2:
            return found[True], found[False]
    sys.exit(f"port {port}: every key went to one instance")


def huge_client(port, key, payload, out):
    """In a process of its own (the measuring client must not wait for its GIL): SET, GET, DEL
    of the huge value; sends back how long the SET and the GET took."""
    c = Conn(port)
    t0 = time.monotonic()
    c.s.sendall(payload)
    r = c.reply()
    assert r == b"+OK", r
    t1 = time.monotonic()
    size = c.call("GET", key)
    t2 = time.monotonic()
    c.call("DEL", key)
    out.send((t1 - t0, t2 - t1, size))


def one_round(big_port, small_port, big_key, small_key, payload, pid):
    base = rss_kb(pid) if pid else 0
    other = Conn(small_port)
    other.call("GET", small_key)
    recv, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(target=huge_client, args=(big_port, big_key, payload, send))
    child.start()
    lat, peak = [], 0
    while child.is_alive() and not recv.poll():
        t0 = time.monotonic()
        other.call("GET", small_key)
        lat.append(time.monotonic() - t0)
        if pid:
            peak = max(peak, rss_kb(pid) - base)
        time.sleep(0.001)
    set_s, get_s, size = recv.recv()
    child.join()
    assert size == payload.count(b"x"), size  # the GET brought the whole value back
    lat.sort()
    return {"set": set_s, "get": get_s, "p50": statistics.median(lat) * 1000,
            "p99": lat[int(len(lat) * 0.99)] * 1000, "max": lat[-1] * 1000, "n": len(lat),
            "rss": peak / 1024}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--preshard", default=str(ROOT / "build" / "preshard"))
    args = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="preshard-huge-"))
    procs = Procs()
    try:
        for p in INSTANCES:
            procs.start(redis_args(p, str(work)) + ["--proto-max-bulk-len", "1gb"], p)
        write_preshard_conf(work / "p.yaml", PRESHARD, INSTANCES, 1)
        with open(work / "p.yaml", "a") as f:
            f.write("monitor_interval_ms: 0\ntimeout_ms: 20000\n")
        write_nutcracker_conf(work / "n.yml", NUTCRACKER, INSTANCES)
        pre = procs.start([args.preshard, "-c", str(work / "p.yaml")], PRESHARD)
        nut = procs.start(["nutcracker", "-c", str(work / "n.yml"), "-s", "24404", "-o",
                           str(work / "n.log")], NUTCRACKER)
        # (port of the huge value's client, port of the other client, their keys, pid to watch)
        targets = {"direct": (INSTANCES[0], INSTANCES[1], ("big", "small"), 0),
                   "nutcracker": (NUTCRACKER, NUTCRACKER, keys_apart(NUTCRACKER), nut.pid),
                   "preshard": (PRESHARD, PRESHARD, keys_apart(PRESHARD), pre.pid)}
        results = {t: [] for t in targets}
        for rnd in range(args.rounds):
            for name, (big_port, small_port, (big, small), pid) in targets.items():
                payload = command("SET", big, b"x" * (args.mb << 20))
                results[name].append(one_round(big_port, small_port, big, small, payload, pid))
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        report(results, args)
    finally:
        procs.stop_all()


def report(results, args):
    print(f"\n{args.mb} MB SET then GET on one instance, another client's GETs on another; "
          f"medians over {args.rounds} rounds (min-max)\n")
    print(f"{'target':<11} {'SET s':<16} {'GET s':<16} {'other p50 ms':<18} "
          f"{'other p99 ms':<18} {'other max ms':<20} RSS peak MB")

    def cell(rows, k, fmt):
        v = [r[k] for r in rows]
        return f"{fmt.format(statistics.median(v))} ({fmt.format(min(v))}-{fmt.format(max(v))})"

    for name, rows in results.items():
        print(f"{name:<11} {cell(rows, 'set', '{:.2f}'):<16} {cell(rows, 'get', '{:.2f}'):<16} "
              f"{cell(rows, 'p50', '{:.2f}'):<18} {cell(rows, 'p99', '{:.1f}'):<18} "
              f"{cell(rows, 'max', '{:.1f}'):<20} "
              f"{cell(rows, 'rss', '{:.0f}') if name != 'direct' else '-'}")


if __name__ == "__main__":
    main()
