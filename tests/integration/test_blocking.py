"""Blocking commands on dedicated instance connections."""
import threading
import time

import pytest
import redis

from conftest import command, shard_of


def _blocked(instances, key):
    return instances.client(shard_of(key)).info("clients")["blocked_clients"]


def _wait_for(pred, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.02)
    return False


def test_blpop_woken_by_another_client_while_others_pass(proxy, instances):
    a = proxy.raw()
    a.send(command("BLPOP", "q", "10"))
    assert _wait_for(lambda: _blocked(instances, "q") == 1)
    # Other clients, on the same shard and others, are not held behind the blocked command.
    r = proxy.client()
    same_shard = [k for k in (f"x{i}" for i in range(5000)) if shard_of(k) == shard_of("q")][:20]
    t0 = time.monotonic()
    for i in range(100):
        key = same_shard[i % len(same_shard)] if i % 2 else f"other{i}"
        r.set(key, i)
        assert r.get(key) == str(i).encode()
    assert time.monotonic() - t0 < 5
    r.lpush("q", "job")
    assert a.reply() == [b"q", b"job"]


def test_the_commands_own_timeout_governs(make_proxy):
    p = make_proxy(timeout_ms=200)
    raw = p.raw()
    t0 = time.monotonic()
    raw.send(command("BLPOP", "empty", "1"))
    assert raw.reply() is None  # nil after its own 1 s, not a proxy timeout at 200 ms
    assert 0.9 < time.monotonic() - t0 < 3
    t0 = time.monotonic()
    raw.send(command("BZPOPMIN", "zempty", "0.5"))
    assert raw.reply() is None
    assert 0.4 < time.monotonic() - t0 < 3


def test_client_leaving_while_blocked_releases_the_instance(proxy, instances):
    a = proxy.raw()
    a.send(command("BLPOP", "lq", "0"))
    assert _wait_for(lambda: _blocked(instances, "lq") == 1)
    a.close()
    assert _wait_for(lambda: _blocked(instances, "lq") == 0)
    r = proxy.client()
    r.lpush("lq", "kept")
    assert r.llen("lq") == 1  # nobody took it on the departed client's behalf


def test_a_blocked_clients_next_commands_wait_like_in_redis(proxy):
    raw = proxy.raw()
    t0 = time.monotonic()
    raw.send(command("BLPOP", "pq", "1") + command("LPUSH", "pq", "x") + command("LLEN", "pq"))
    assert raw.replies(3) == [None, 1, 1]  # the LPUSH ran after the BLPOP timed out
    assert time.monotonic() - t0 > 0.9


def test_connection_limit_per_shard(make_proxy, instances):
    p = make_proxy(blocking_connections_per_shard=2)
    *held, third = p.raws_on_one_worker(3)  # the limit is per shard and worker thread
    for h in held:
        h.send(command("BLPOP", "lim", "0"))
    assert _wait_for(lambda: _blocked(instances, "lim") == 2)
    third.send(command("BLPOP", "lim", "0"))
    assert third.reply() == (f"ERR too many blocking commands or WATCHing clients on shard {shard_of('lim')} "
                             "(2, blocking_connections_per_shard)")
    r = p.client()
    r.rpush("lim", "1", "2")
    assert sorted(h.reply()[1] for h in held) == [b"1", b"2"]
    # Connections returned to the pool serve again.
    third.send(command("BLPOP", "lim", "0.2"))
    assert third.reply() is None


def test_other_blocking_commands(proxy):
    r = proxy.client(socket_timeout=10)
    r.rpush("{b}src", "v")
    assert r.blmove("{b}src", "{b}dst", 1, "LEFT", "RIGHT") == b"v"
    assert r.brpoplpush("{b}dst", "{b}src", 1) == b"v"
    r.zadd("{b}z", {"m": 1})
    assert r.bzpopmax("{b}z", 1) == (b"{b}z", b"m", 1.0)
    raw = proxy.raw()
    raw.send(command("BLMPOP", "1", "2", "{b}none", "{b}src", "LEFT"))
    assert raw.reply() == [b"{b}src", [b"v"]]
    raw.send(command("BLPOP", "a", "b", "1"))
    assert raw.reply() == "CROSSSHARD Keys in request don't hash to the same shard"
    raw.send(command("WAIT", "0", "100"))
    assert raw.reply() == 0


def test_xread_block(proxy):
    r = proxy.client(socket_timeout=10)
    raw = proxy.raw()
    raw.send(command("XREAD", "BLOCK", "5000", "STREAMS", "st", "$"))
    time.sleep(0.2)
    r.xadd("st", {"f": "v"})
    reply = raw.reply()
    assert reply[0][0] == b"st" and reply[0][1][0][1] == [b"f", b"v"]
    # A stream named "block" is just a key.
    r.xadd("block", {"a": "b"})
    assert r.xread({"block": "0"})[0][0] == b"block"


def test_many_clients_blocked_on_many_shards(proxy, instances):
    clients = []
    keys = [f"many{i}" for i in range(40)]
    for k in keys:
        c = proxy.raw()
        c.send(command("BLPOP", k, "10"))
        clients.append(c)
    r = proxy.client()
    time.sleep(0.2)
    for k in keys:
        r.rpush(k, k)
    for k, c in zip(keys, clients):
        assert c.reply() == [k.encode(), k.encode()]


def test_commands_sent_while_blocked_run_after_it_in_order(proxy, instances):
    raw = proxy.raw()
    raw.send(command("BLPOP", "hq", "1"))
    assert _wait_for(lambda: _blocked(instances, "hq") == 1)
    raw.send(command("LPUSH", "hq", "a"))
    time.sleep(0.1)
    raw.send(command("LPUSH", "hq", "b") + command("LRANGE", "hq", "0", "-1"))
    assert raw.replies(4) == [None, 1, 2, [b"b", b"a"]]
    # Leaving while blocked with commands waiting: closed at once, the waiting ones dropped.
    raw.send(command("BLPOP", "hq2", "0") + command("SET", "never", "1"))
    assert _wait_for(lambda: _blocked(instances, "hq2") == 1)
    raw.close()
    assert _wait_for(lambda: _blocked(instances, "hq2") == 0)
    assert proxy.client().get("never") is None
