"""MULTI/EXEC/DISCARD/WATCH/UNWATCH through the proxy: Redis's replies and wording, one shard
per transaction, CROSSSHARD aborts, WATCH conflicts. The truth is read from the instances."""
import threading

import pytest
import redis

from conftest import ReplyError, command, run_commands, shard_of


def _keys_on_two_shards():
    a = "tx:a"
    b = next(f"tx:b{i}" for i in range(1000) if shard_of(f"tx:b{i}") != shard_of(a))
    return a, b


@pytest.mark.parametrize("pipelined", [False, True])
def test_multi_exec_runs_on_the_keys_shard(proxy, instances, pipelined):
    instances.client(shard_of("u7")).config_resetstat()
    raw = proxy.raw()
    cmds = [("MULTI",), ("SET", "{u7}:name", "ada"), ("INCR", "{u7}:visits"),
            ("INCR", "{u7}:visits"), ("PING",), ("GET", "{u7}:name"), ("EXEC",)]
    out = run_commands(raw, cmds, pipelined)
    assert out == ["OK", "QUEUED", "QUEUED", "QUEUED", "QUEUED", "QUEUED",
                   ["OK", 1, 2, "PONG", b"ada"]]
    inst = instances.client(shard_of("u7"))
    assert inst.get("{u7}:name") == b"ada" and inst.get("{u7}:visits") == b"2"
    assert inst.info("commandstats")["cmdstat_exec"]["calls"] == 1


@pytest.mark.parametrize("pipelined", [False, True])
def test_a_key_on_another_shard_aborts_the_whole_transaction(proxy, instances, pipelined):
    a, b = _keys_on_two_shards()
    raw = proxy.raw()
    out = run_commands(raw, [("MULTI",), ("SET", a, "1"), ("SET", b, "2"), ("INCR", a), ("EXEC",),
                     ("GET", a)], pipelined)
    assert out[:2] == ["OK", "QUEUED"]
    assert out[2] == "CROSSSHARD Keys in request don't hash to the same shard"
    assert out[3] == "QUEUED"
    assert out[4] == "EXECABORT Transaction discarded because of previous errors."
    assert out[5] is None
    for k in (a, b):
        assert instances.client(shard_of(k)).exists(k) == 0  # nothing applied anywhere
    # Not an error to the connection: the next transaction works.
    assert run_commands(raw, [("MULTI",), ("SET", b, "x"), ("EXEC",)], pipelined) == ["OK", "QUEUED",
                                                                              ["OK"]]


@pytest.mark.parametrize("pipelined", [False, True])
def test_commands_that_span_shards_are_refused_inside_multi(proxy, instances, pipelined):
    a, b = _keys_on_two_shards()
    raw = proxy.raw()
    out = run_commands(raw, [("MULTI",), ("MSET", a, "1", b, "2"), ("DBSIZE",), ("SCAN", "0"),
                     ("CONFIG", "GET", "x"), ("INFO",), ("EXEC",)], pipelined)
    assert out[0] == "OK"
    assert out[1] == "CROSSSHARD Keys in request don't hash to the same shard"
    assert out[2] == ("ERR command 'dbsize' cannot be queued in a transaction: preshard runs a "
                      "transaction on one shard")
    assert out[3].startswith("ERR command 'scan' cannot be queued")
    assert out[4].startswith("ERR command 'config|get' cannot be queued")
    assert out[5].startswith("ERR command 'info' cannot be queued")
    assert out[6] == "EXECABORT Transaction discarded because of previous errors."
    assert all(instances.client(shard_of(k)).exists(k) == 0 for k in (a, b))


def test_replies_and_wording_match_redis(proxy, instances):
    """The same script against the proxy and against an instance directly, byte for byte."""
    script = [("EXEC",), ("DISCARD",), ("MULTI",), ("MULTI",), ("SET", "w", "1"),
              ("WATCH", "w"), ("FOO", "bar"), ("EXEC",), ("MULTI",), ("GET", "w", "x"),
              ("EXEC",), ("UNWATCH",), ("MULTI",), ("ECHO", "hi"), ("SET", "w", "1"),
              ("INCR", "w"), ("LPUSH", "w", "x"), ("UNWATCH",), ("EXEC",), ("MULTI",),
              ("INCR", "w"), ("DISCARD",), ("GET", "w"), ("MULTI",), ("EXEC",),
              ("MULTI",), ("SET", "w", "2"), ("RESET",), ("GET", "w"), ("WATCH", "w"),
              ("MULTI",), ("MSET", "w", "3"), ("EXEC",)]
    direct = redis.Redis(port=instances[0].port)
    direct.flushall()

    def transcript(port):
        from conftest import RawClient
        c = RawClient(port)
        c.send(b"".join(command(*s) for s in script))
        return c.replies(len(script))

    assert transcript(proxy.port) == transcript(instances[0].port)


def test_watch_conflict_makes_exec_return_nil(proxy, instances):
    r = proxy.client()
    other = proxy.client()
    r.set("{acct}:balance", 100)
    with r.pipeline(transaction=True) as p:
        p.watch("{acct}:balance")
        balance = int(p.get("{acct}:balance"))
        other.set("{acct}:balance", 5)  # another client changes the watched key
        p.multi()
        p.set("{acct}:balance", balance - 10)
        p.set("{acct}:log", "debit")
        with pytest.raises(redis.WatchError):
            p.execute()
    inst = instances.client(shard_of("acct"))
    assert inst.get("{acct}:balance") == b"5" and inst.exists("{acct}:log") == 0
    # Untouched, the same transaction commits.
    with r.pipeline(transaction=True) as p:
        p.watch("{acct}:balance")
        balance = int(p.get("{acct}:balance"))
        p.multi()
        p.set("{acct}:balance", balance - 1)
        assert p.execute() == [True]
    assert inst.get("{acct}:balance") == b"4"


def test_watch_change_written_directly_on_the_instance_is_seen(proxy, instances):
    raw = proxy.raw()
    assert run_commands(raw, [("WATCH", "wk"), ("GET", "wk")], False) == ["OK", None]
    instances.client(shard_of("wk")).set("wk", "direct")
    assert run_commands(raw, [("MULTI",), ("SET", "wk", "proxy"), ("EXEC",)], False) == ["OK", "QUEUED",
                                                                               None]
    assert instances.client(shard_of("wk")).get("wk") == b"direct"


def test_watch_binds_the_transaction_to_its_shard(proxy, instances):
    a, b = _keys_on_two_shards()
    raw = proxy.raw()
    out = run_commands(raw, [("WATCH", a, b), ("WATCH", a), ("WATCH", b), ("MULTI",), ("SET", b, "1"),
                     ("EXEC",), ("UNWATCH",), ("WATCH", b), ("MULTI",), ("SET", b, "2"),
                     ("EXEC",)], True)
    cross = "CROSSSHARD Keys in request don't hash to the same shard"
    assert out == [cross, "OK", cross, "OK", cross,
                   "EXECABORT Transaction discarded because of previous errors.", "OK", "OK",
                   "OK", "QUEUED", ["OK"]]
    assert instances.client(shard_of(b)).get(b) == b"2"


def test_optimistic_increments_from_many_clients_are_exact(make_proxy, instances):
    """WATCH/GET/MULTI/SET/EXEC retried on conflict: the classic check-and-set. Every increment
    lands exactly once, which needs WATCH, reads and EXEC to stay on one connection."""
    proxy = make_proxy(blocking_connections_per_shard=8)
    threads, per_thread = 6, 40
    errors, retries = [], [0]

    def worker():
        r = proxy.client()
        try:
            for _ in range(per_thread):
                while True:
                    with r.pipeline(transaction=True) as p:
                        try:
                            p.watch("cas:counter")
                            v = int(p.get("cas:counter") or 0)
                            p.multi()
                            p.set("cas:counter", v + 1)
                            p.execute()
                            break
                        except redis.WatchError:
                            retries[0] += 1
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=120)
    assert not errors
    assert instances.client(shard_of("cas:counter")).get("cas:counter") == \
        str(threads * per_thread).encode()
    assert retries[0] > 0  # the clients did collide: the test exercised WATCH


def test_watch_connections_are_given_back(make_proxy):
    proxy = make_proxy(blocking_connections_per_shard=2)
    raw, *holders, third = proxy.raws_on_one_worker(4)  # the limit is per shard and worker
    for i in range(20):  # ten times the per-shard limit, one after the other
        end = [("UNWATCH",), ("DISCARD",), ("EXEC",), ("RESET",)][i % 4]
        cmds = [("WATCH", "gb")] + ([("MULTI",)] if end[0] in ("DISCARD", "EXEC") else []) + [end]
        out = run_commands(raw, cmds, i % 2 == 0)
        assert out[0] == "OK", out
    # The last RESET/UNWATCH is answered before its pin's UNWATCH reply puts it back in the
    # pool: give that a moment (bounded) instead of racing it.
    for h in holders:
        for _ in range(100):
            out = run_commands(h, [("WATCH", "gb")], False)
            if out == ["OK"]:
                break
            threading.Event().wait(0.02)
        assert out == ["OK"]
    out = run_commands(third, [("WATCH", "gb")], False)[0]
    assert isinstance(out, ReplyError) and "blocking_connections_per_shard" in out
    holders[0].close()  # a client that leaves gives its connection back
    for _ in range(100):
        out = run_commands(third, [("WATCH", "gb")], False)[0]
        if out == "OK":
            break
        threading.Event().wait(0.02)
    assert out == "OK"


def test_client_leaving_inside_multi_applies_nothing(proxy, instances):
    raw = proxy.raw()
    assert run_commands(raw, [("MULTI",), ("SET", "left", "1")], True) == ["OK", "QUEUED"]
    raw.close()
    r = proxy.client()
    assert r.ping()
    assert instances.client(shard_of("left")).exists("left") == 0


def test_exec_after_the_watch_connection_was_lost_returns_nil(proxy, instances):
    shard = shard_of("lost")
    raw = proxy.raw()
    assert run_commands(raw, [("WATCH", "lost")], False) == ["OK"]
    instances[shard].stop()  # the instance forgets the WATCH with the connection
    instances[shard].start()
    instances[shard].wait()
    out = run_commands(raw, [("MULTI",), ("SET", "lost", "1"), ("EXEC",)], False)
    assert out == ["OK", "QUEUED", None]
    assert instances.client(shard).exists("lost") == 0
    # The client retries and succeeds.
    out = run_commands(raw, [("WATCH", "lost"), ("MULTI",), ("SET", "lost", "2"), ("EXEC",)], False)
    assert out == ["OK", "OK", "QUEUED", ["OK"]]
    assert instances.client(shard).get("lost") == b"2"


def test_an_unwatched_connection_does_not_touch_the_next_transaction(proxy, instances):
    """WATCH, UNWATCH, then a transaction elsewhere while the old WATCH connection breaks."""
    a = "unw:a"
    b = next(f"unw:b{i}" for i in range(1000) if shard_of(f"unw:b{i}") != shard_of(a))
    raw = proxy.raw()
    assert run_commands(raw, [("WATCH", a), ("UNWATCH",)], False) == ["OK", "OK"]
    out = run_commands(raw, [("MULTI",), ("SET", b, "1"), ("EXEC",)], True)
    assert out == ["OK", "QUEUED", ["OK"]]
    assert instances.client(shard_of(b)).get(b) == b"1"


def test_a_pipelined_watch_after_unwatch_on_another_shard_watches_there(proxy, instances):
    """WATCH a; UNWATCH; WATCH b in one pipeline: while a's connection still finishes its
    commands, b's WATCH must go to b's shard, so that a write to b aborts the EXEC."""
    a, b = _keys_on_two_shards()
    raw = proxy.raw()
    assert run_commands(raw, [("WATCH", a), ("UNWATCH",), ("WATCH", b)], True) == ["OK"] * 3
    instances.client(shard_of(b)).set(b, "touched")  # another client writes the watched key
    out = run_commands(raw, [("MULTI",), ("SET", b, "mine"), ("EXEC",)], True)
    assert out == ["OK", "QUEUED", None]
    assert instances.client(shard_of(b)).get(b) == b"touched"
    # And the connections come back: a fresh WATCH/EXEC round works on both shards.
    out = run_commands(raw, [("WATCH", a), ("MULTI",), ("SET", a, "1"), ("EXEC",)], True)
    assert out == ["OK", "OK", "QUEUED", ["OK"]]
