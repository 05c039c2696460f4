"""preshardctl: shard, check, and migrate under load (one and two proxies), plus its abort
paths. Targets are spare instances on 21600 and up; the 128 instances are the session's."""
import os
import pathlib
import re
import statistics
import subprocess
import threading
import time

import pytest
import redis
import yaml

from conftest import ROOT, shard_of

CTL = os.environ.get("PRESHARDCTL_BIN", str(pathlib.Path(os.environ.get(
    "PRESHARD_BIN", str(ROOT / "build" / "preshard"))).parent / "preshardctl"))
REPORT = ROOT / "build" / "migration-pauses.txt"


def ctl(*args, timeout=300):
    return subprocess.run([CTL, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_shard_and_check(proxy):
    out = ctl("shard", "--config", proxy.config_path, "foo", "user{42}:x")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"foo shard 91 instance {proxy.instances[91]}"
    assert lines[1] == f"user{{42}}:x shard {shard_of('42')} instance " \
        f"{proxy.instances[shard_of('42')]}"
    assert ctl("check", "--config", proxy.config_path).returncode == 0
    bad = proxy.config_path.with_name("bad.yaml")
    bad.write_text("instances: []\nthreads: x\n")
    out = ctl("check", "--config", bad)
    assert out.returncode == 1 and "bad.yaml" in out.stderr and "threads" in out.stderr
    assert ctl("frobnicate", "--config", bad).returncode == 2


def test_dry_run_prints_the_plan_and_changes_nothing(proxy, spares):
    target = spares(1)[0]
    before = proxy.config_path.read_text()
    out = ctl("migrate", "--config", proxy.config_path, "--dry-run", f"3=127.0.0.1:{target.port}")
    assert out.returncode == 0, out.stderr
    assert f"shard 3: {proxy.instances[3]} -> 127.0.0.1:{target.port}" in out.stdout
    assert proxy.config_path.read_text() == before
    assert target.client().info("replication")["role"] == "master"


def _load(proxies, stop, results, n_threads=16):
    """Writers and readers through the proxies: unique SETs, INCRs of shared counters, reads."""

    def run(t):
        r = proxies[t % len(proxies)].client(socket_timeout=30)
        acked_sets, incrs, errors = [], {}, []
        i = 0
        while not stop.is_set():
            key = f"mig:{t}:{i}"
            ctr = f"ctr:{i % 8}"
            try:
                r.set(key, i)
                acked_sets.append(key)
                r.incr(ctr)
                incrs[ctr] = incrs.get(ctr, 0) + 1
                if r.get(key) != str(i).encode():
                    errors.append(f"read {key}")
            except redis.RedisError as e:
                errors.append(repr(e))
            i += 1
        results[t] = (acked_sets, incrs, errors)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    return threads


def _migrate_under_load(make_proxy, instances, spares, two_proxies):
    # Two proxy processes read one file; they run two workers each, so every pause and reload
    # is coordinated across threads as well as processes.
    p1 = make_proxy(threads=2) if two_proxies else make_proxy()
    proxies = [p1] + ([make_proxy.sibling(p1)] if two_proxies else [])
    targets = spares(32)
    shards = list(range(0, 128, 4))  # 32 shards spread over the table
    moves = [f"{s}=127.0.0.1:{t.port}" for s, t in zip(shards, targets)]
    stop, results = threading.Event(), {}
    threads = _load(proxies, stop, results)
    time.sleep(0.5)
    args = ["migrate", "--config", p1.config_path]
    for p in proxies:
        args += ["--proxy", f"127.0.0.1:{p.port}"]
    out = ctl(*args, *moves, timeout=600)
    time.sleep(0.3)
    stop.set()
    for th in threads:
        th.join(timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    pauses = [float(x) for x in re.findall(r"paused ([0-9.]+) ms", out.stdout)]
    assert len(pauses) == 32
    REPORT.with_name(f"migration-{len(proxies)}-proxies.log").write_text(out.stdout)
    with open(REPORT, "a") as f:
        f.write(f"proxies={len(proxies)} shards=32 pause_ms median={statistics.median(pauses):.2f}"
                f" max={max(pauses):.2f}\n")

    # No client saw an error; every acknowledged write is there.
    errors = [e for (_, _, errs) in results.values() for e in errs]
    assert not errors, errors[:5]
    r = p1.client()
    acked = [k for (sets, _, _) in results.values() for k in sets]
    assert len(acked) > 1000
    for i in range(0, len(acked), 500):
        batch = acked[i:i + 500]
        values = r.mget(batch)
        assert all(v == k.split(":")[2].encode() for k, v in zip(batch, values)), "lost a SET"
    expected = {}
    for (_, incrs, _) in results.values():
        for c, n in incrs.items():
            expected[c] = expected.get(c, 0) + n
    for c, n in expected.items():
        assert int(r.get(c)) == n, f"{c}: {r.get(c)} != {n} acknowledged INCRs"

    # The map names the new instances; the old ones are fenced and never refused a write.
    conf = yaml.safe_load(p1.config_path.read_text())
    for s, t in zip(shards, targets):
        assert conf["instances"][s] == f"127.0.0.1:{t.port}"
        old = instances.client(s)
        assert old.info("replication")["role"] == "slave"
        assert "errorstat_READONLY" not in old.info("errorstats")
        assert t.client().info("replication")["role"] == "master"
    assert pathlib.Path(str(p1.config_path) + ".bak").exists()
    for p in proxies:
        assert p.info("proxy")["last_reload_ok"] == 1


def test_migrate_32_shards_under_load(make_proxy, instances, spares):
    _migrate_under_load(make_proxy, instances, spares, two_proxies=False)


def test_migrate_32_shards_under_load_with_two_proxies(make_proxy, instances, spares):
    _migrate_under_load(make_proxy, instances, spares, two_proxies=True)


def _unchanged(proxy, before_text, shard, source_keys):
    assert proxy.config_path.read_text() == before_text
    src = redis.Redis(port=int(proxy.instances[shard].split(":")[1]))
    assert src.info("replication")["role"] == "master"
    for k, v in source_keys.items():
        assert src.get(k) == v
    r = proxy.client()
    assert r.set(next(iter(source_keys)), "writable") is True  # served, not paused
    assert proxy.info("proxy")["paused_shards"] in ("", None)


def _seed(proxy, shard, n=50):
    r = proxy.client()
    keys = {}
    i = 0
    while len(keys) < n:
        k = f"seed:{i}"
        if shard_of(k) == shard:
            r.set(k, k)
            keys[k] = k.encode()
        i += 1
    return keys


def test_abort_when_the_target_is_not_empty(proxy, spares):
    target = spares(1)[0]
    target.client().set("already", "here")
    keys = _seed(proxy, 9)
    before = proxy.config_path.read_text()
    out = ctl("migrate", "--config", proxy.config_path, f"9=127.0.0.1:{target.port}")
    assert out.returncode == 1
    assert "is not empty (1 keys)" in out.stderr
    _unchanged(proxy, before, 9, keys)
    assert target.client().get("already") == b"here"


def test_abort_when_the_target_dies_during_sync(proxy, instances, spares):
    target = spares(1)[0]
    keys = _seed(proxy, 10)
    before = proxy.config_path.read_text()
    # A slow initial sync: the source waits before sending its snapshot.
    instances.client(10).config_set("repl-diskless-sync-delay", 3)
    try:
        p = subprocess.Popen([CTL, "migrate", "--config", str(proxy.config_path),
                              f"10=127.0.0.1:{target.port}"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while target.client().info("replication")["role"] != "slave":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        target.stop()
        stdout, stderr = p.communicate(timeout=60)
    finally:
        instances.client(10).config_set("repl-diskless-sync-delay", 0)
    assert p.returncode == 1, stdout + stderr
    assert "nothing was moved" in stderr
    _unchanged(proxy, before, 10, keys)


def test_abort_when_the_target_cannot_catch_up(proxy, instances, spares):
    target = spares(1)[0]
    keys = _seed(proxy, 11)
    before = proxy.config_path.read_text()
    # The target stops applying its replication stream; a writer keeps the source moving.
    target.client().execute_command("CLIENT", "PAUSE", "5000", "WRITE")
    stop = threading.Event()

    def write_directly():
        src = instances.client(11)
        i = 0
        while not stop.is_set():
            try:
                src.set(f"direct:{i}", i)
            except redis.RedisError:
                pass  # a fence that is rolled back may refuse a write for a moment
            i += 1
            time.sleep(0.005)

    w = threading.Thread(target=write_directly)
    w.start()
    try:
        out = ctl("migrate", "--config", proxy.config_path, "--catchup-timeout", "300",
                  f"11=127.0.0.1:{target.port}")
    finally:
        stop.set()
        w.join()
    assert out.returncode == 1, out.stdout + out.stderr
    assert "did not catch up within 300 ms" in out.stderr
    _unchanged(proxy, before, 11, keys)
    assert target.client().info("replication")["role"] == "master"  # detached
