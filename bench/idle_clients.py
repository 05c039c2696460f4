#!/usr/bin/python3
"""What an idle proxy and an idle client cost: the proxy's RSS over the reference layout of 128
instances with one client, and its RSS growth per connection that sent one command and then
waits, as issue 19 measures them (targets: 8 MB idle; 10,000 clients at 2 KB each).

    bench/idle_clients.py [BINARY ...] [--clients 10000]

Starts 128 redis-servers (24500-24627) and each binary in turn on 24991 (max_clients raised),
opens the connections, sends each a PING, reads the PONGs, waits a second and compares the
proxy's VmRSS with its RSS before the clients came. The file-descriptor limit must allow the
clients (it is raised to the hard limit; 20,000 here).
"""
import argparse
import pathlib
import resource
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run as B  # noqa: E402  (bench/run.py: instances by PID)

BASE = 24500

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS")).split()[1])


def wait_port(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing on {port}")


def measure(binary, n, workdir):
    conf = f"{workdir}/p.yaml"
    with open(conf, "w") as f:
        f.write("listen: 127.0.0.1:24991\nmax_clients: 100000\nmonitor_interval_ms: 0\n"
                "instances:\n" + "".join(f"  - 127.0.0.1:{BASE + i}\n" for i in range(128)))
    proxy = subprocess.Popen([binary, "-c", conf, "--log-level", "warn"])
    socks = []
    try:
        wait_port(24991)
        c = socket.create_connection(("127.0.0.1", 24991))
        c.sendall(b"PING\r\n")
        c.recv(100)
        time.sleep(0.3)
        base = rss_kb(proxy.pid)
        print(f"{binary}: idle over 128 instances, one client: RSS {base} KB", flush=True)
        for _ in range(n):
            socks.append(socket.create_connection(("127.0.0.1", 24991)))
        for s in socks:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
        for s in socks:
            s.recv(100)
        time.sleep(1.0)
        grown = rss_kb(proxy.pid) - base
        print(f"{binary}: {n} idle clients, RSS +{grown} KB = {grown * 1024 / n:.0f} bytes each",
              flush=True)
    finally:
        for s in socks:
            s.close()
        proxy.terminate()
        proxy.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="*", default=["build/preshard"])
    ap.add_argument("--clients", type=int, default=10000)
    args = ap.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workdir = tempfile.mkdtemp(prefix="preshard-idle-")
    instances = B.Procs()
    try:
        for i in range(128):
            instances.start(B.redis_args(BASE + i, workdir), BASE + i)
        for b in args.binaries:
            measure(b, args.clients, workdir)
    finally:
        instances.stop_all()


if __name__ == "__main__":
    main()
