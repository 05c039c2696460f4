"""Planned switchover without Sentinel (issue 17): `preshardctl failover --host` takes one
"machine" down for maintenance. Two machines on loopback: shards 0-63 have their master on
127.0.0.1 and their replica on 127.0.0.2, shards 64-127 the other way round (masters on ports
30000-30127, replicas on 30200-30327). Two proxies, 16 writer threads; the figures go to
build/failover-report.txt."""
import re
import threading
import time

import pytest
import redis

from conftest import ROOT, Proxy, shard_of
from test_instances import ctl, kill_leftovers
from test_sentinel import report

N = 128
MASTER_BASE, REPLICA_BASE = 30000, 30200


def hosts(i):
    """(master host, replica host) of shard i."""
    return ("127.0.0.1", "127.0.0.2") if i < 64 else ("127.0.0.2", "127.0.0.1")


def entry(i):
    m, r = hosts(i)
    return f"{{master: {m}:{MASTER_BASE + i}, replicas: [{r}:{REPLICA_BASE + i}]}}"


@pytest.fixture(scope="module")
def machines(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("switchover")
    root = tmp / "data"
    cfg = tmp / "layout.yaml"
    lines = ["listen: 127.0.0.1:30499", "instances:"] + [f"  - {entry(i)}" for i in range(N)]
    lines += ["redis:", f"  dir: {root}", '  appendonly: "no"', "  save: '\"\"'"]
    cfg.write_text("\n".join(lines) + "\n")
    try:
        r = ctl("instances", "start", "--config", cfg, timeout=120)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        for i in range(N):  # every replica has finished its first sync
            c = redis.Redis(host=hosts(i)[1], port=REPLICA_BASE + i, socket_timeout=5)
            deadline = time.monotonic() + 30
            while c.info("replication").get("master_link_status") != "up":
                assert time.monotonic() < deadline, f"replica of shard {i} not in sync"
                time.sleep(0.05)
        yield tmp, cfg, root
    finally:
        ctl("instances", "stop", "--config", cfg, "--timeout", 5000, timeout=120)
        kill_leftovers(root)


def cmd_calls(host, port, cmd):
    c = redis.Redis(host=host, port=port, socket_timeout=5)
    return c.info("commandstats").get(f"cmdstat_{cmd}", {}).get("calls", 0)


def test_reads_go_to_replicas_when_asked_and_writes_never(machines):
    tmp, cfg, root = machines
    shards = list(range(60, 68))  # both machines' masters
    keys = {}
    i = 0
    while len(keys) < len(shards):
        if shard_of(f"r{i}") in shards:
            keys.setdefault(shard_of(f"r{i}"), f"r{i}")
        i += 1
    victim = shards[0]
    p = Proxy(tmp, [entry(i) for i in range(N)], read_from="replica",
              monitor_interval_ms=0).start()
    try:
        c = p.client()
        for s, k in keys.items():
            assert c.set(k, f"v{s}")  # a replica would refuse it (READONLY)
        for s, k in keys.items():  # replication is asynchronous: wait for each copy
            r = redis.Redis(host=hosts(s)[1], port=REPLICA_BASE + s, socket_timeout=5)
            deadline = time.monotonic() + 10
            while r.get(k) is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
        before = {s: (cmd_calls(hosts(s)[0], MASTER_BASE + s, "get"),
                      cmd_calls(hosts(s)[1], REPLICA_BASE + s, "get")) for s in shards}
        for s, k in keys.items():
            assert c.get(k) == f"v{s}".encode()
        assert c.mget(list(keys.values())) == [f"v{s}".encode() for s in keys]
        for s in shards:
            m, r = before[s]
            assert cmd_calls(hosts(s)[0], MASTER_BASE + s, "get") == m, s
            assert cmd_calls(hosts(s)[1], REPLICA_BASE + s, "get") == r + 1, s
        # A replica that is gone: its shard's reads fail with its error (replica only) ...
        vr = redis.Redis(host=hosts(victim)[1], port=REPLICA_BASE + victim, socket_timeout=5)
        vr.shutdown(nosave=True)
        time.sleep(0.2)
        with pytest.raises(redis.ResponseError) as e:
            c.get(keys[victim])
        assert f"shard {victim} is unavailable" in str(e.value)
        assert c.get(keys[shards[1]]) == f"v{shards[1]}".encode()
        # ... and are served by the master with prefer_replica (a reload).
        p.write_config(p.instances, read_from="prefer_replica")
        p.proc.send_signal(1)
        deadline = time.monotonic() + 10
        while p.info("proxy")["reloads"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert c.get(keys[victim]) == f"v{victim}".encode()
    finally:
        assert p.stop() == 0
        r = ctl("instances", "start", "--config", cfg, "--only", victim, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
    vr = redis.Redis(host=hosts(victim)[1], port=REPLICA_BASE + victim, socket_timeout=5)
    deadline = time.monotonic() + 30
    while vr.info("replication").get("master_link_status") != "up":
        assert time.monotonic() < deadline
        time.sleep(0.05)


def proxy_on(cfg, tmp):
    """A proxy reading the layout's own file, which the failover rewrites and reloads."""
    p = Proxy(tmp, ["127.0.0.1:1"])
    p.config_path = cfg
    p.extra_args = ("--listen", f"127.0.0.1:{p.port}")
    return p.start()


def test_one_machine_switches_over_under_writes_with_no_error_and_no_lost_write(machines):
    tmp, cfg, root = machines
    proxies = [proxy_on(cfg, tmp), proxy_on(cfg, tmp)]
    keys = {}
    i = 0
    while len(keys) < N:
        keys.setdefault(shard_of(f"s{i}"), f"s{i}")
        i += 1
    acked = {s: [] for s in range(N)}
    errors = []
    stop = threading.Event()

    def writer(t):
        c = redis.Redis(port=proxies[t % 2].port, socket_timeout=30)
        mine = [s for s in range(N) if s % 16 == t]
        seq = 0
        while not stop.is_set():
            seq += 1
            for s in mine:
                try:
                    c.rpush(keys[s], seq)
                    acked[s].append(seq)
                except redis.RedisError as e:
                    errors.append(f"shard {s}: {e}")

    threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in range(16)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        args = ["failover", "--config", cfg, "--host", "127.0.0.1"]
        for p in proxies:
            args += ["--proxy", f"127.0.0.1:{p.port}"]
        r = ctl(*args, timeout=600)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    (ROOT / "build" / "switchover-64.log").write_text(r.stdout + r.stderr)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    pauses = sorted(float(x) for x in re.findall(r"paused ([0-9.]+) ms", r.stdout))
    assert len(pauses) == 64, r.stdout[-2000:]
    p99 = pauses[int(0.99 * (len(pauses) - 1))]
    report(f"planned switchover of one machine (64 shards, no Sentinel) under 16 writers and 2 "
           f"proxies: pause per shard median {pauses[32]:.1f} ms, p99 {p99:.1f} ms, max "
           f"{pauses[-1]:.1f} ms; {sum(len(v) for v in acked.values())} writes, {len(errors)} "
           f"errors")
    assert errors == [], errors[:5]
    # Every acknowledged write is on the shard's master now.
    lost = 0
    for s in range(N):
        m_host, r_host = hosts(s)
        host, port = (r_host, REPLICA_BASE + s) if s < 64 else (m_host, MASTER_BASE + s)
        c = redis.Redis(host=host, port=port, socket_timeout=5)
        assert c.info("replication")["role"] == "master", s
        kept = {int(x) for x in c.lrange(keys[s], 0, -1)}
        lost += sum(1 for v in acked[s] if v not in kept)
    assert lost == 0
    # The old masters of the machine follow the new ones; the file says so.
    old = redis.Redis(host="127.0.0.1", port=MASTER_BASE + 3, socket_timeout=5).info("replication")
    assert old["role"] == "slave" and old["master_port"] == REPLICA_BASE + 3
    text = cfg.read_text()
    assert f"  - {{master: 127.0.0.2:{REPLICA_BASE + 3}, replicas: [127.0.0.1:{MASTER_BASE + 3}]}}\n" in text
    assert f"  - {entry(70)}\n" in text
    for p in proxies:
        assert p.info("failover")["shard3"]["master"] == f"127.0.0.2:{REPLICA_BASE + 3}"
        assert p.stop() == 0
    # A second run finds nothing on the machine any more.
    r = ctl("failover", "--config", cfg, "--host", "127.0.0.1", "--proxy",
            f"127.0.0.1:{proxies[0].port}")
    assert r.returncode == 1 and "no shard's master is on host 127.0.0.1" in r.stderr
