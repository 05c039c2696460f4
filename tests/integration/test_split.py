"""Multi-key commands split into one sub-command per shard and merged: MGET, MSET, DEL,
UNLINK, EXISTS, TOUCH. The truth is read from the instances directly."""
import random

import pytest
import redis

from conftest import N, command, keys_on_distinct_shards, shard_of


def _calls(instances, cmd):
    """How many times each instance has run `cmd` (INFO commandstats)."""
    out = []
    for i in range(N):
        st = instances.client(i).info("commandstats").get(f"cmdstat_{cmd}")
        out.append(st["calls"] if st else 0)
    return out


@pytest.mark.parametrize("pipelined", [False, True])
def test_mget_of_500_shuffled_existing_and_missing_keys(proxy, instances, pipelined):
    r = proxy.client()
    rng = random.Random(5)
    present = [f"m:{i}" for i in range(400)]
    for k in present:
        instances.client(shard_of(k)).set(k, f"v:{k}")
    keys = present[:300] + [f"missing:{i}" for i in range(200)]
    rng.shuffle(keys)
    instances.client(shard_of("m:hash")).hset("m:hash", "f", "v")
    keys.append("m:hash")  # a non-string key reads as nil, as in Redis
    assert len({shard_of(k) for k in keys}) > 100
    expected = [f"v:{k}".encode() if k.startswith("m:") and k != "m:hash" else None for k in keys]
    if pipelined:
        p = r.pipeline(transaction=False)
        for _ in range(3):
            p.mget(keys)
            p.get(keys[0])
        out = p.execute()
        assert out[0::2] == [expected] * 3
        assert out[1::2] == [expected[0]] * 3
    else:
        assert r.mget(keys) == expected


def test_mget_costs_one_command_per_shard_touched(proxy, instances):
    r = proxy.client()
    keys = [f"c:{i}" for i in range(300)]
    touched = {shard_of(k) for k in keys}
    before = _calls(instances, "mget")
    r.mget(keys)
    after = _calls(instances, "mget")
    per_shard = [a - b for a, b in zip(after, before)]
    assert sum(per_shard) == len(touched) <= min(len(keys), N)
    assert all(d <= 1 for d in per_shard)
    # All keys on one shard: forwarded untouched, one command.
    before = _calls(instances, "mget")
    r.mget([f"{{t}}:{i}" for i in range(50)])
    assert sum(a - b for a, b in zip(_calls(instances, "mget"), before)) == 1


def test_mset_across_shards(proxy, instances):
    r = proxy.client()
    pairs = {f"ms:{i}": f"val{i}" for i in range(200)}
    assert r.mset(pairs) is True
    for k, v in pairs.items():
        assert instances.client(shard_of(k)).get(k) == v.encode()
    raw = proxy.raw()
    raw.send(command("MSET", "a", "1", "b"))
    assert raw.reply() == "ERR wrong number of arguments for 'mset' command"
    raw.send(command("MSET", "a"))
    assert raw.reply() == "ERR wrong number of arguments for 'mset' command"


@pytest.mark.parametrize("cmd", ["del", "unlink", "exists", "touch"])
def test_counting_commands_sum_with_duplicates(proxy, instances, cmd):
    r = proxy.client()
    keys = keys_on_distinct_shards(10, prefix=cmd)
    for k in keys[:6]:
        r.set(k, "x")
    args = keys + keys[:2]  # two existing keys twice
    n = r.execute_command(cmd.upper(), *args)
    if cmd in ("exists", "touch"):
        assert n == 8  # like Redis: EXISTS k k counts 2
    else:
        assert n == 6  # deleting twice deletes once
        assert all(instances.client(shard_of(k)).exists(k) == 0 for k in keys)


def test_split_pipeline_interleaved_with_single_commands(proxy):
    raw = proxy.raw()
    keys = keys_on_distinct_shards(20, prefix="pl")
    data = b""
    for i, k in enumerate(keys):
        data += command("SET", k, i)
    data += command("MGET", *keys) + command("DEL", *keys[:10]) + command("EXISTS", *keys)
    data += command("MGET", *keys)
    raw.send(data)
    assert raw.replies(20) == ["OK"] * 20
    assert raw.reply() == [str(i).encode() for i in range(20)]
    assert raw.reply() == 10
    assert raw.reply() == 10
    assert raw.reply() == [None] * 10 + [str(i).encode() for i in range(10, 20)]


def test_partial_failure_names_the_failing_shards(proxy, instances):
    r = proxy.client()
    keys = keys_on_distinct_shards(8, prefix="pf")
    victim = shard_of(keys[3])
    instances[victim].stop()
    try:
        with pytest.raises(redis.ResponseError) as e:
            r.mget(keys)
        assert str(e.value).startswith(f"failed on shard {victim} (first error: ERR shard "
                                       f"{victim} is unavailable")
        with pytest.raises(redis.ResponseError):
            r.mset({k: "1" for k in keys})
        # MSET across shards is not atomic: the parts on live shards were written.
        assert r.get(keys[0]) == b"1"
        assert r.get(keys[4]) == b"1"
    finally:
        instances[victim].start()
        instances[victim].wait()


def test_thousands_of_keys(proxy):
    r = proxy.client()
    pairs = {f"big:{i}": str(i) for i in range(5000)}
    assert r.mset(pairs)
    assert r.mget(list(pairs)) == [v.encode() for v in pairs.values()]
    assert r.delete(*pairs) == 5000


def test_client_leaving_with_split_commands_in_flight(proxy):
    import socket
    keys = [f"lv:{i}" for i in range(200)]
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", proxy.port))
        s.sendall(b"".join(command("MGET", *keys) + command("DBSIZE") for _ in range(200)))
        s.close()
    r = proxy.client()
    assert r.mset({k: "1" for k in keys})
    assert r.mget(keys) == [b"1"] * 200


def test_sort_patterns_that_may_reach_other_shards_are_refused(proxy, spares):
    """Issue 16, item 8: SORT BY/GET patterns are read by the sort key's instance only, so a
    pattern that may form keys on other shards would answer wrongly; it is refused (as Redis
    Cluster does), and one with the sort key's hash tag is answered exactly as Redis."""
    (reference,) = spares(1)
    r, ref = proxy.client(), redis.Redis(port=reference.port)
    for c in (r, ref):
        c.rpush("{s}list", 1, 2, 3)
        c.mset({"{s}w_1": 3, "{s}w_2": 2, "{s}w_3": 1, "{s}o_1": "a", "{s}o_2": "b", "{s}o_3": "c"})
        c.mset({"w_1": 3, "w_2": 2, "w_3": 1})
    # Same shard by the tag: Redis's answer.
    for args in (("BY", "{s}w_*"), ("BY", "{s}w_*", "GET", "{s}o_*", "GET", "#"),
                 ("BY", "nosort"), ("GET", "#"), ("BY", "{s}w_*", "DESC")):
        assert r.execute_command("SORT", "{s}list", *args) == \
            ref.execute_command("SORT", "{s}list", *args), args
    # May reach other shards: refused, never answered wrongly (before: "1 2 3" and nils).
    for args, option in ((("BY", "w_*"), "BY"), (("GET", "o_*"), "GET"),
                         (("BY", "*{s}w"), "BY"), (("GET", "{}o_*"), "GET")):
        with pytest.raises(redis.ResponseError) as e:
            r.execute_command("SORT", "{s}list", *args)
        assert str(e.value).startswith(f"{option} option of SORT denied by preshard"), e.value
        with pytest.raises(redis.ResponseError):
            r.execute_command("SORT_RO", "{s}list", *args)
    # SORT_RO takes no STORE: Redis's syntax error, whatever shard the name is on.
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command("SORT_RO", "{s}list", "STORE", "elsewhere")
    assert str(e.value) == "syntax error"
    # Inside MULTI the refusal aborts EXEC, as any refused command does.
    raw = proxy.raw()
    raw.send(command("MULTI") + command("SORT", "{s}list", "BY", "w_*") + command("EXEC"))
    out = raw.replies(3)
    assert out[0] == "OK" and out[1].startswith("ERR BY option") and out[2].startswith("EXECABORT")
