"""Commands that act on the whole keyspace: sent to every shard, replies merged."""
import pytest
import redis

from conftest import N, command, shard_of


def _fill(r, n, prefix="ks"):
    keys = [f"{prefix}:{i}" for i in range(n)]
    r.mset({k: "1" for k in keys})
    return keys


def test_dbsize_sums_and_keys_concatenates(proxy, instances):
    r = proxy.client()
    keys = _fill(r, 1000)
    assert r.dbsize() == 1000 == sum(instances.client(i).dbsize() for i in range(N))
    assert sorted(r.keys("ks:*")) == sorted(k.encode() for k in keys)
    assert r.keys("nomatch*") == []


def test_randomkey(proxy):
    r = proxy.client()
    assert r.randomkey() is None  # every shard empty
    keys = set(_fill(r, 50))
    seen = {r.randomkey().decode() for _ in range(60)}
    assert seen <= keys and len(seen) > 5


@pytest.mark.parametrize("cmd", [("FLUSHDB",), ("FLUSHALL",), ("FLUSHDB", "ASYNC"),
                                 ("FLUSHALL", "SYNC")])
def test_flush_reaches_every_shard(proxy, instances, cmd):
    r = proxy.client()
    _fill(r, 500)
    assert r.execute_command(*cmd) is True
    assert sum(instances.client(i).dbsize() for i in range(N)) == 0


def test_a_syntax_error_every_shard_gives_is_answered_as_redis_words_it(proxy, instances):
    r = proxy.client()
    keys = _fill(r, 100)
    direct = None
    try:
        instances.client(0).execute_command("FLUSHALL", "FOO")
    except redis.ResponseError as e:
        direct = str(e)
    assert direct == "syntax error"
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("FLUSHALL", "FOO")
    assert str(e.value) == direct
    assert r.dbsize() == len(keys)  # nothing flushed anywhere


def test_flushall_with_a_shard_down_says_so(proxy, instances):
    r = proxy.client()
    _fill(r, 200)
    instances[7].stop()
    try:
        with pytest.raises(redis.ResponseError) as e:
            r.flushall()
        assert str(e.value).startswith("failed on shard 7 ")
    finally:
        instances[7].start()
        instances[7].wait()


def test_functions_are_loaded_everywhere(proxy, instances):
    r = proxy.client()
    code = "#!lua name=plib\nredis.register_function('pget', function(keys) " \
           "return redis.call('GET', keys[1]) end)"
    raw = proxy.raw()
    raw.send(command("FUNCTION", "LOAD", code))
    assert raw.reply() == b"plib"
    r.set("fk", "v")
    raw.send(command("FCALL", "pget", "1", "fk"))
    assert raw.reply() == b"v"
    raw.send(command("FUNCTION", "DELETE", "plib"))
    assert raw.reply() == "OK"
    assert instances.client(shard_of("fk")).execute_command("FUNCTION", "LIST") == []


def test_broadcast_commands_in_a_pipeline(proxy):
    raw = proxy.raw()
    raw.send(command("SET", "a", "1") + command("DBSIZE") + command("SET", "b", "2") +
             command("DBSIZE") + command("FLUSHDB") + command("DBSIZE"))
    assert raw.replies(6) == ["OK", 1, "OK", 2, "OK", 0]


def _scan_all(r, **kw):
    cursor, seen, calls = 0, [], 0
    while True:
        cursor, keys = r.scan(cursor, **kw)
        seen += keys
        calls += 1
        assert calls < 200000
        if cursor == 0:
            return seen, calls


@pytest.mark.parametrize("count", [10, 1000])
def test_scan_returns_exactly_the_set_of_keys(proxy, count):
    r = proxy.client()
    keys = {f"scan:{i}" for i in range(50000)}
    p = r.pipeline(transaction=False)
    for k in keys:
        p.set(k, 1)
    p.execute()
    seen, calls = _scan_all(r, count=count)
    assert {k.decode() for k in seen} == keys
    assert calls >= N  # every shard was visited


def test_scan_match_type_and_bad_input(proxy):
    r = proxy.client()
    for i in range(300):
        r.set(f"str:{i}", 1)
        r.hset(f"h:{i}", "f", 1)
    seen, _ = _scan_all(r, match="str:1*")
    assert {k.decode() for k in seen} == {f"str:{i}" for i in range(300) if str(i).startswith("1")}
    seen, _ = _scan_all(r, _type="hash")
    assert len(seen) == 300 and all(k.startswith(b"h:") for k in seen)
    raw = proxy.raw()
    for bad in ("x", "-1", "1.5", "99999999999999999999999"):
        raw.send(command("SCAN", bad))
        assert raw.reply() == "ERR invalid cursor"
    raw.send(command("SCAN", "0", "COUNT", "0"))
    assert raw.reply() == "ERR syntax error"  # Redis's own answer, passed through


def test_scan_keys_present_throughout_are_seen_despite_changes(proxy):
    r = proxy.client()
    stable = {f"keep:{i}" for i in range(5000)}
    r.mset({k: 1 for k in stable})
    cursor, seen, step = 0, set(), 0
    while True:
        cursor, keys = r.scan(cursor, count=50)
        seen |= {k.decode() for k in keys}
        # Churn while iterating: add and delete other keys.
        r.set(f"churn:{step}", 1)
        r.delete(f"churn:{step - 3}")
        step += 1
        if cursor == 0:
            break
    assert stable <= seen


def test_info_keyspace_is_summed_over_shards(proxy, instances):
    r = proxy.client()
    p = r.pipeline(transaction=False)
    for i in range(500):
        p.set(f"ks:{i}", i)
    for i in range(120):
        p.set(f"ttl:{i}", i, ex=1000)
    p.execute()
    ks = r.info("keyspace")
    assert ks["db0"]["keys"] == 620 and ks["db0"]["expires"] == 120
    assert 0 <= ks["db0"]["avg_ttl"] <= 1_000_000  # Redis's own estimate, sampled lazily
    truth = sum(instances.client(i).dbsize() for i in range(len(instances)))
    assert truth == 620
    everything = r.info()  # the default sections include Keyspace, as in Redis
    assert everything["db0"]["keys"] == 620 and "connected_clients" in everything
    assert "db0" not in r.info("server")


def test_info_still_answers_with_a_shard_down(proxy, instances):
    instances[5].stop()
    info = proxy.client().info()
    assert "connected_clients" in info
    assert "shard 5 is unavailable" in str(info["keyspace_error"])
