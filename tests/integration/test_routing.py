"""Keys land exactly on the instance the routing formula names."""
import os
import random

from conftest import N, shard_of


def test_golden_vectors_through_proxy(proxy):
    r = proxy.client()
    assert r.execute_command("PROXY", "SHARD", "foo") == 91
    assert r.execute_command("PROXY", "SHARD", "bar") == 101
    assert r.execute_command("PROXY", "SHARD", "") == 13
    assert r.execute_command("PROXY", "SHARD", "user{42}:profile") == shard_of(b"42")
    assert r.execute_command("PROXY", "SHARD", "foo{}{bar}") == shard_of(b"foo{}{bar}")


def test_thousands_of_keys_land_on_the_formula_shard(proxy, instances):
    r = proxy.client()
    rng = random.Random(1)
    keys = [f"key:{i}".encode() for i in range(4000)]
    keys += [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 24))) for _ in range(500)]
    keys = list(dict.fromkeys(keys))
    pipe = r.pipeline(transaction=False)
    for k in keys:
        pipe.set(k, b"v:" + k)
    assert all(pipe.execute())

    by_shard = {}
    for k in keys:
        by_shard.setdefault(shard_of(k), []).append(k)
    for shard, ks in by_shard.items():
        direct = instances.client(shard)
        assert direct.mget(ks) == [b"v:" + k for k in ks], f"shard {shard}"
    assert sum(instances.client(i).dbsize() for i in range(N)) == len(keys)
    assert len(by_shard) == N  # every instance got keys

    pipe = r.pipeline(transaction=False)
    for k in keys[:1000]:
        pipe.execute_command("PROXY", "SHARD", k)
    assert pipe.execute() == [shard_of(k) for k in keys[:1000]]


def test_hash_tags_keep_related_keys_together(proxy, instances):
    r = proxy.client()
    keys = [f"user{{42}}:{f}" for f in ("name", "email", "visits", "x{y}")]
    for k in keys:
        r.set(k, k)
    s = shard_of(b"42")
    direct = instances.client(s)
    assert direct.mget(keys) == [k.encode() for k in keys]
    # All keys share a shard, so a multi-key command is forwarded as is.
    assert r.mget(keys) == [k.encode() for k in keys]
    r.sadd("{set}:a", "1", "2")
    r.sadd("{set}:b", "2", "3")
    assert r.sinter("{set}:a", "{set}:b") == {b"2"}
    # An empty tag does not count: the whole key is hashed.
    r.set("foo{}{bar}", 1)
    assert instances.client(shard_of(b"foo{}{bar}")).get("foo{}{bar}") == b"1"


def test_keys_in_unusual_positions(proxy, instances):
    r = proxy.client()
    r.rpush("src", "a", "b")
    # OBJECT ENCODING has its key at argument 2.
    assert r.object("encoding", "src") in (b"listpack", b"quicklist", b"ziplist")
    # EVAL with keys: routed by the keys after numkeys.
    assert r.eval("return redis.call('GET', KEYS[1])", 1, "src{x}") is None
    r.set("k{x}", "v")
    assert r.eval("return redis.call('GET', KEYS[1])", 1, "k{x}") == b"v"
    # ZUNIONSTORE: destination and sources must share a shard.
    r.zadd("{z}a", {"m": 1})
    r.zadd("{z}b", {"m": 2})
    assert r.zunionstore("{z}dst", ["{z}a", "{z}b"]) == 1
    assert instances.client(shard_of(b"z")).zscore("{z}dst", "m") == 3.0
    # XREAD's keys follow STREAMS.
    r.xadd("{s}1", {"f": "v"})
    assert r.xread({"{s}1": "0"})[0][0] == b"{s}1"


def test_cross_shard_commands_are_refused_without_effect(proxy, instances):
    r = proxy.client()
    a, b = "a", "b"
    assert shard_of(a) != shard_of(b)
    r.set(a, "1")
    raw = proxy.raw()
    for cmd in (("RENAME", a, b), ("MSETNX", a, "1", b, "2"), ("SUNIONSTORE", a, b),
                ("RPOPLPUSH", a, b), ("SMOVE", a, b, "m"), ("COPY", a, b), ("SINTER", a, b),
                ("LMOVE", a, b, "LEFT", "RIGHT"), ("PFMERGE", a, b), ("BITOP", "AND", a, b),
                ("EVAL", "return 1", "2", a, b), ("ZUNIONSTORE", "d", "2", a, b),
                ("XREAD", "STREAMS", a, b, "0", "0")):
        from conftest import command
        raw.send(command(*cmd))
        assert raw.reply() == "CROSSSHARD Keys in request don't hash to the same shard", cmd
    assert instances.client(shard_of(a)).get(a) == b"1"
    assert instances.client(shard_of(b)).exists(b) == 0
    assert r.get(a) == b"1"
