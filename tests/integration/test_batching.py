"""Writes to instances are batched per loop turn: INFO stats backend_writes counts them."""
from conftest import command, shard_of

SHARD = shard_of(b"{b}")  # every key below carries the tag {b}: one shard, one instance


def _stats(proxy):
    s = proxy.info("stats")
    return s["backend_requests"], s["backend_writes"]


def test_a_pipeline_for_one_shard_leaves_in_one_write(proxy, instances):
    r = proxy.client()
    r.set("{b}warm", "1")  # connects the worker's connection to the shard
    requests0, writes0 = _stats(proxy)
    raw = proxy.raw()
    raw.send(b"".join(command("SET", f"{{b}}k{i}", i) for i in range(200)))
    assert raw.replies(200) == ["OK"] * 200
    requests, writes = _stats(proxy)
    assert requests - requests0 == 200
    # One read of the client's pipeline, one write to the instance (two if the pipeline
    # happened to arrive in two reads).
    assert 1 <= writes - writes0 <= 2
    assert instances.client(SHARD).get("{b}k199") == b"199"


def test_a_split_mget_sends_one_write_per_shard(proxy, instances):
    keys = [f"k{i}" for i in range(40)]
    shards = {shard_of(k) for k in keys}
    r = proxy.client()
    r.mset({k: k for k in keys})
    r.mget(keys)  # every shard's connection is made now
    requests0, writes0 = _stats(proxy)
    assert r.mget(keys) == [k.encode() for k in keys]
    requests, writes = _stats(proxy)
    assert requests - requests0 == len(shards)  # one sub-MGET per shard, not one per key
    assert writes - writes0 == len(shards)
