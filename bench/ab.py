#!/usr/bin/python3
"""A/B of preshard builds (and nutcracker) with the CPU each one costs, over 128 instances.

    bench/ab.py BINARY [BINARY ...] [--rounds 5] [--tests MGET10_1,SET_1] [-n 100000] [--neighbour]

Each BINARY is a preshard executable, optionally with config settings for it:
`build/preshard:batch_yields=0` (several: `:a=1,b=2`; `tls=1` is not a setting: the proxy gets
a TLS port, with a throwaway certificate, and redis-benchmark runs against it with --tls;
`backend_tls=1` makes it reach the 128 instances over their TLS ports (29000-29127);
`aclfile=bench/acl_users.acl` makes every command pass the ACL check of a restricted user).
`--direct` adds one redis-server (N=1, not the 128), in plain text and over its --tls-port, for
Redis's own TLS cost beside the proxy's. Tests are
TEST_P: SET, GET, or a multi-key label of bench/run.py (MGET10, MSET10), and the pipeline depth.
Rounds interleave all targets; pinned like bench/run.py (servers on CPU 0, client on CPU 1).

Besides requests per second it prints, per command, the CPU time of the proxy and of all 128
instances (from /proc/PID/stat), and the instances' wakeups (voluntary context switches) and
read() calls per command (/proc/PID/status, /proc/PID/io): on this noisy 2-core machine throughput of one round can move
by 25%, while CPU per command moves much less, and their sum is what limits CPU 0.
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import run as B  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
BACKEND_TLS_OFFSET = 5000  # the instances' TLS ports: 29000-29127


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def wakeups_and_reads(pid):
    """Voluntary context switches (each one a sleep, so a later wakeup) and read() calls."""
    status = open(f"/proc/{pid}/status").read()
    vcsw = int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
    syscr = int(re.search(r"^syscr:\s+(\d+)", open(f"/proc/{pid}/io").read(), re.M).group(1))
    return vcsw, syscr


def instance_totals(pids):
    cpu = wake = reads = 0
    for pid in pids:
        w, r = wakeups_and_reads(pid)
        cpu, wake, reads = cpu + cpu_seconds(pid), wake + w, reads + r
    return cpu, wake, reads


def one_run(port, name, pipeline, n, tls=False):
    what = B.MULTIKEY[name] if name in B.MULTIKEY else ["-t", name.lower()]
    out = subprocess.run(
        ["redis-benchmark", "-p", str(port), "-c", "50", "-n", str(n), "-r", "100000", "-P",
         str(pipeline), "--csv"] + (["--tls", "--insecure"] if tls else []) + what,
        capture_output=True, text=True, timeout=600, preexec_fn=B.on_cpus(B.CLIENT_CPUS)).stdout
    rows = [l for l in out.splitlines() if l.startswith('"') and not l.startswith('"test')]
    if not rows:
        sys.exit(f"redis-benchmark gave no result on port {port}: {out[-300:]}")
    cols = [c.strip('"') for c in rows[0].split(",")]
    return float(cols[1]), float(cols[6])  # rps, p99 (ms)


def throwaway_certificate(work):
    """A self-signed certificate for 127.0.0.1: returns its path without .crt/.key."""
    base = work / "bench-tls"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    f"{base}.key", "-out", f"{base}.crt", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tests", default="MGET10_1,SET_1")
    ap.add_argument("-n", type=int, default=100000, help="requests per SET/GET run")
    ap.add_argument("--direct", action="store_true",
                    help="also one redis-server, plain and over TLS")
    ap.add_argument("--neighbour", action="store_true",
                    help="a CPU-bound process on the servers' CPU for the whole run")
    args = ap.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2:
        B.SERVER_CPUS, B.CLIENT_CPUS = {cpus[0]}, {cpus[1]}
    tests = []
    for t in args.tests.split(","):
        name, _, p = t.rpartition("_")
        if not name or not p.isdigit():
            sys.exit(f"bad test {t!r}: expected NAME_PIPELINE, e.g. SET_1 or MGET10_16")
        tests.append((t, name, int(p)))

    work = pathlib.Path(tempfile.mkdtemp(prefix="preshard-ab-"))
    procs = B.Procs()
    neighbour = None
    try:
        ports = [B.BASE + i for i in range(128)]
        cert = None
        if args.direct or any("tls=1" in spec for spec in args.binaries):  # either TLS
            cert = throwaway_certificate(work)
        backend_tls = any("backend_tls=1" in spec for spec in args.binaries)
        for p in ports:
            tls_args = ["--tls-port", str(p + BACKEND_TLS_OFFSET), "--tls-cert-file",
                        f"{cert}.crt", "--tls-key-file", f"{cert}.key", "--tls-auth-clients",
                        "no"] if backend_tls else []
            procs.start(B.redis_args(p, str(work)) + tls_args, p)
        instance_pids = [p.pid for p in procs.procs]
        targets = {}  # label: (pid, port, tls)
        for i, spec in enumerate(args.binaries):
            binary, _, extra = spec.partition(":")
            port = B.PRESHARD_128 + i
            conf = work / f"p{i}.yaml"
            pairs = [kv.partition("=")[::2] for kv in filter(None, extra.split(","))]
            over_tls = any(key == "backend_tls" for key, _ in pairs)
            B.write_preshard_conf(conf, port, [p + BACKEND_TLS_OFFSET for p in ports]
                                  if over_tls else ports, 1)
            tls = False
            with conf.open("a") as f:
                for key, value in pairs:
                    if key == "backend_tls":
                        f.write(f"tls_backends: 'yes'\ntls_backends_ca_cert_file: {cert}.crt\n")
                    elif key == "tls":
                        tls = True
                        f.write(f"tls_port: {port + 50}\ntls_cert_file: {cert}.crt\n"
                                f"tls_key_file: {cert}.key\ntls_auth_clients: 'no'\n")
                    else:
                        f.write(f"{key}: {value}\n")
            label = f"{i}:{pathlib.Path(binary).name}" + (f":{extra}" if extra else "")
            pid = procs.start([binary, "-c", str(conf)], port).pid
            if tls:
                B.wait_port(port + 50, procs.procs[-1])
            targets[label] = (pid, port + 50 if tls else port, tls)
        if args.direct:
            tls_port = B.SINGLE + 1
            pid = procs.start(B.redis_args(B.SINGLE, str(work)) + [
                "--tls-port", str(tls_port), "--tls-cert-file", f"{cert}.crt", "--tls-key-file",
                f"{cert}.key", "--tls-auth-clients", "no"], B.SINGLE).pid
            targets["redis-N1"] = (pid, B.SINGLE, False)
            targets["redis-N1:tls"] = (pid, tls_port, True)
        B.write_nutcracker_conf(work / "n.yml", B.NUTCRACKER_128, ports)
        targets["nutcracker"] = (procs.start(
            ["nutcracker", "-c", str(work / "n.yml"), "-s", "24320", "-o", str(work / "n.log")],
            B.NUTCRACKER_128).pid, B.NUTCRACKER_128, False)

        if args.neighbour:  # a busy loop sharing CPU 0 with the proxies and the instances
            neighbour = subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"],
                                         preexec_fn=B.on_cpus(B.SERVER_CPUS))
        samples = {}
        for rnd in range(args.rounds):
            for t, name, pipeline in tests:
                n = args.n // (4 if name in B.MULTIKEY else 1) * (4 if pipeline > 1 else 1)
                for label, (pid, port, tls) in targets.items():
                    c0, (i0, w0, r0) = cpu_seconds(pid), instance_totals(instance_pids)
                    rps, p99 = one_run(port, name, pipeline, n, tls)
                    c1, (i1, w1, r1) = cpu_seconds(pid), instance_totals(instance_pids)
                    samples.setdefault((t, label), []).append(
                        (rps, (c1 - c0) / n * 1e6, (i1 - i0) / n * 1e6, (w1 - w0) / n,
                         (r1 - r0) / n, p99))
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr, flush=True)

        if neighbour:
            neighbour.kill()
            neighbour.wait()
        print(f"\n{args.rounds} rounds, medians; CPU per command in microseconds" +
              (", a CPU-bound neighbour on the servers' CPU" if args.neighbour else "") + "\n")
        for t, _, _ in tests:
            base = statistics.median(v[0] for v in samples[(t, "nutcracker")])
            for label in targets:
                v = samples[(t, label)]
                rps = statistics.median(x[0] for x in v)
                print(f"{t:10} {label:24} rps {rps:8.0f}  /nc {rps / base:5.2f}x  "
                      f"proxy {statistics.median(x[1] for x in v):6.1f}  "
                      f"instances {statistics.median(x[2] for x in v):6.1f}  "
                      f"inst.wakeups {statistics.median(x[3] for x in v):5.2f}  "
                      f"inst.reads {statistics.median(x[4] for x in v):5.2f}  "
                      f"p99 {statistics.median(x[5] for x in v):6.2f} ms  "
                      f"rounds {[round(x[0]) for x in v]}")
    finally:
        if neighbour and neighbour.poll() is None:
            neighbour.kill()
        procs.stop_all()


if __name__ == "__main__":
    main()
