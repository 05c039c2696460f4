"""preshardctl backup / backup verify / restore against the session's 128 real instances: every
type with TTLs round-trips, onto the same or another set of ports; a consistent backup is one
cut under writers; every refusal says why and leaves nothing behind."""
import json
import subprocess
import tarfile
import threading
import time

import pytest
import redis

from conftest import N, shard_of
from test_init import CTL

KEYS = 100_000


def ctl(*args, timeout=300):
    return subprocess.run([CTL, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def config_for(path, addresses, listen="127.0.0.1:23199"):
    path.write_text(f"listen: {listen}\ninstances:\n" + "".join(f'  - "{a}"\n' for a in addresses))
    return path


def populate(clients):
    """KEYS keys of every type, a third of them with a TTL, spread by the routing formula."""
    pipes = [c.pipeline(transaction=False) for c in clients]
    for i in range(KEYS):
        kind = i % 10
        key = f"k{kind}:{i}"
        p = pipes[shard_of(key.encode())]
        if kind in (0, 1, 2):
            p.set(key, f"v{i}" * (1 + i % 5))
        elif kind == 3:
            p.rpush(key, *[f"e{j}" for j in range(1 + i % 7)])
        elif kind == 4:
            p.sadd(key, *[f"m{j}" for j in range(1 + i % 6)])
        elif kind == 5:
            p.zadd(key, {f"z{j}": j * 1.5 for j in range(1 + i % 5)})
        elif kind == 6:
            p.hset(key, mapping={f"f{j}": f"{i}-{j}" for j in range(1 + i % 4)})
        elif kind == 7:
            p.xadd(key, {"a": str(i)}, id=f"{i}-1")
        elif kind == 8:
            p.pfadd(key, *[f"u{j}" for j in range(1 + i % 9)])
        else:
            p.setbit(key, i % 1000, 1)
        if i % 3 == 0:
            p.expire(key, 3600 + i % 1000)
    for p in pipes:
        p.execute()


def snapshot(clients):
    """Every key as (type, value, absolute expiry in unix ms or -1)."""
    out = {}
    for c in clients:
        keys = list(c.scan_iter(count=1000))
        p = c.pipeline(transaction=False)
        for k in keys:
            p.type(k)
            p.execute_command("PEXPIRETIME", k)
        meta = p.execute()
        p = c.pipeline(transaction=False)
        for k, t in zip(keys, meta[0::2]):
            {b"string": lambda: p.get(k), b"list": lambda: p.lrange(k, 0, -1),
             b"set": lambda: p.smembers(k), b"zset": lambda: p.zrange(k, 0, -1, withscores=True),
             b"hash": lambda: p.hgetall(k), b"stream": lambda: p.xrange(k)}[t]()
        for k, t, ttl, v in zip(keys, meta[0::2], meta[1::2], p.execute()):
            out[k] = (t, v, ttl)
    return out


def same(before, after):
    assert before.keys() == after.keys()
    for k, (t, v, ttl) in before.items():
        t2, v2, ttl2 = after[k]
        assert (t, v) == (t2, v2), k
        assert (ttl < 0) == (ttl2 < 0) and abs(ttl - ttl2) <= 1000, (k, ttl, ttl2)


def test_backup_restore_round_trip_onto_the_same_and_other_ports(clean, instances, spares,
                                                                  tmp_path):
    clients = [instances.client(i) for i in range(N)]
    populate(clients)
    before = snapshot(clients)
    assert len(before) == KEYS
    cfg = config_for(tmp_path / "p.yaml", instances.addresses())
    archive = tmp_path / "b.tar.gz"
    r = ctl("backup", "--config", cfg, "-o", archive)
    assert r.returncode == 0, r.stderr
    assert f"{archive}: 128 shards, {KEYS} keys" in r.stdout
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
    v = ctl("backup", "verify", "-i", archive)
    assert v.returncode == 0, v.stderr
    assert f"OK: 128 shards, {KEYS} keys" in v.stdout
    with tarfile.open(archive) as t:
        m = json.load(t.extractfile("manifest.json"))
    assert m["instances"] == instances.addresses() and len(m["shards"]) == 128
    s5 = m["shards"][5]
    assert s5["file"] == "shard-005.rdb" and s5["address"] == instances.addresses()[5]
    assert s5["rdb_header"].startswith("REDIS") and len(s5["sha256"]) == 64
    assert s5["redis_version"] and s5["replid"] and s5["repl_offset"] >= 0
    # A non-empty target is refused, and nothing is written.
    r = ctl("restore", "--config", cfg, "-i", archive)
    assert r.returncode == 1
    assert "not empty" in r.stderr and "nothing was written" in r.stderr
    instances.flushall()
    r = ctl("restore", "--config", cfg, "-i", archive)
    assert r.returncode == 0, r.stderr
    assert "restored 128 shard(s)" in r.stdout
    same(before, snapshot(clients))
    # Onto 128 other ports: shard i of the archive goes to the new config's shard i.
    others = spares(N)
    other_cfg = config_for(tmp_path / "q.yaml", [f"127.0.0.1:{s.port}" for s in others])
    r = ctl("restore", "--config", other_cfg, "-i", archive, "--parallel", 8)
    assert r.returncode == 0, r.stderr
    same(before, snapshot([s.client() for s in others]))


def test_refusals_leave_nothing_written(clean, instances, tmp_path):
    instances.client(3).set("x", "1")
    cfg = config_for(tmp_path / "p.yaml", instances.addresses())
    archive = tmp_path / "b.tar.gz"
    assert ctl("backup", "--config", cfg, "-o", archive).returncode == 0
    r = ctl("backup", "--config", cfg, "-o", archive)
    assert r.returncode == 1 and "exists (--force replaces it)" in r.stderr
    # Another shard count.
    few = config_for(tmp_path / "few.yaml", instances.addresses()[:127])
    r = ctl("restore", "--config", few, "-i", archive, "--force")
    assert r.returncode == 1
    assert "the archive has 128 shards" in r.stderr and "127: nothing was written" in r.stderr
    # A changed byte in one RDB: its SHA-256 and CRC no longer match.
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "shard-003.rdb":
                data = data[:20] + bytes([data[20] ^ 0xFF]) + data[21:]
            member.size = len(data)
            import io
            dst.addfile(member, io.BytesIO(data))
    v = ctl("backup", "verify", "-i", bad)
    assert v.returncode == 1
    assert "shard 3 (shard-003.rdb): SHA-256 mismatch" in v.stderr
    assert "RDB checksum mismatch" in v.stderr
    instances.flushall()
    r = ctl("restore", "--config", cfg, "-i", bad)
    assert r.returncode == 1 and "is not sound: nothing was written" in r.stderr
    # A truncated archive.
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    v = ctl("backup", "verify", "-i", cut)
    assert v.returncode == 1 and "truncated" in v.stderr
    r = ctl("restore", "--config", cfg, "-i", cut)
    assert r.returncode == 1 and "nothing was written" in r.stderr
    assert all(instances.client(i).dbsize() == 0 for i in range(N))
    # An unreachable instance fails the backup, naming the shard; no output is left.
    dead = config_for(tmp_path / "dead.yaml", instances.addresses()[:127] + ["127.0.0.1:21998"])
    out = tmp_path / "dead.tar.gz"
    r = ctl("backup", "--config", dead, "-o", out)
    assert r.returncode == 1
    assert "shard 127: 127.0.0.1:21998" in r.stderr and "Connection refused" in r.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_a_full_disk_fails_the_backup_and_leaves_nothing(clean, instances, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mount.stderr.strip()}")
    try:
        clients = [instances.client(i) for i in range(N)]
        for i, c in enumerate(clients):
            c.set(f"big{i}", "x" * 20000)
        cfg = config_for(tmp_path / "p.yaml", instances.addresses())
        r = ctl("backup", "--config", cfg, "-o", small / "b.tar.gz")
        assert r.returncode == 1
        assert "No space left on device" in r.stderr
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_consistent_backup_is_one_cut_under_writers(clean, instances, make_proxy, spares,
                                                   tmp_path):
    proxy = make_proxy()
    a, b = "cut{a}", "cut{b}"
    assert shard_of(b"a") != shard_of(b"b")
    stop = threading.Event()
    errors = []

    def writer():
        c = redis.Redis(port=proxy.port, socket_timeout=30)
        while not stop.is_set():
            try:
                c.incr(a)
                c.incr(b)  # b never runs ahead of a, on any cut of one moment
            except redis.RedisError as e:
                errors.append(e)
                return

    threads = [threading.Thread(target=writer) for _ in range(1)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        cfg = config_for(tmp_path / "p.yaml", instances.addresses(), f"127.0.0.1:{proxy.port}")
        archive = tmp_path / "c.tar.gz"
        r = ctl("backup", "--config", cfg, "-o", archive, "--consistent")
        assert r.returncode == 0, r.stderr
        assert "writes paused" in r.stdout
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    with tarfile.open(archive) as t:
        m = json.load(t.extractfile("manifest.json"))
    assert m["consistent"] is True and m["paused_proxies"] == [f"127.0.0.1:{proxy.port}"]
    assert 0 < m["pause_ms"] < 10000
    others = spares(N)
    other_cfg = config_for(tmp_path / "q.yaml", [f"127.0.0.1:{s.port}" for s in others])
    r = ctl("restore", "--config", other_cfg, "-i", archive)
    assert r.returncode == 0, r.stderr
    got_a = int(others[shard_of(b"a")].client().get(a) or 0)
    got_b = int(others[shard_of(b"b")].client().get(b) or 0)
    assert got_a > 0 and got_a - got_b in (0, 1), (got_a, got_b)
