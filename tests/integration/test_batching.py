"""Writes to instances are batched per loop turn: INFO stats backend_writes counts them."""
import subprocess

import pytest

from conftest import N, command, shard_of

SHARD = shard_of(b"{b}")  # every key below carries the tag {b}: one shard, one instance


def _stats(proxy):
    s = proxy.info("stats")
    return s["backend_requests"], s["backend_writes"]

# Between two readings: the second INFO's own questions (one request and one write to every
# shard, on the side connections) are counted before it answers.
INFO_OWN = N


def test_a_pipeline_for_one_shard_leaves_in_one_write(proxy, instances):
    r = proxy.client()
    r.set("{b}warm", "1")  # connects the worker's connection to the shard
    requests0, writes0 = _stats(proxy)
    raw = proxy.raw()
    raw.send(b"".join(command("SET", f"{{b}}k{i}", i) for i in range(200)))
    assert raw.replies(200) == ["OK"] * 200
    requests, writes = _stats(proxy)
    assert requests - requests0 - INFO_OWN == 200
    # One read of the client's pipeline, one write to the instance (two if the pipeline
    # happened to arrive in two reads).
    assert 1 <= writes - writes0 - INFO_OWN <= 2
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
    assert requests - requests0 - INFO_OWN == len(shards)  # one sub-MGET per shard, not one per key
    assert writes - writes0 - INFO_OWN == len(shards)


def _gather(proxy):
    s = proxy.info("stats")
    return s["gather_waits"], s["gather_reads"]


def test_replies_leave_first_and_the_wait_takes_in_the_answered_clients_next_command(
        make_proxy, instances):
    # Generous limits, so that this Python client has time to answer within the wait.
    proxy = make_proxy(gather_max_us=10000, gather_gap_us=10000)
    proxy.client().set("{b}x", "1")  # also connects the worker's connection to the shard
    raw = proxy.raw()
    waits = reads = 0
    for _ in range(5):  # bounded: a busy machine may deschedule this client for 10 ms once
        waits0, reads0 = _gather(proxy)
        # One turn: PING is answered by the proxy itself, the GET waits to be written to its
        # instance. The PONG leaves first; the GET is written only after the wait.
        raw.send(command("PING") + command("GET", "{b}x"))
        assert raw.reply() == "PONG"
        raw.send(command("PING"))  # arrives during the wait: joins the turn, ends the wait
        assert raw.replies(2) == [b"1", "PONG"]
        waits1, reads1 = _gather(proxy)
        waits, reads = waits1 - waits0, reads1 - reads0
        if reads >= 1:
            break
    assert waits >= 1
    assert reads >= 1


def test_a_wait_that_brings_nothing_ends_after_the_gap(make_proxy, instances):
    proxy = make_proxy(gather_max_us=10000, gather_gap_us=50)
    raw = proxy.raw()
    raw.send(command("GET", "{b}x"))  # connects the client's worker's connection to the shard
    assert raw.reply() is None
    waits0, reads0 = _gather(proxy)
    raw.send(command("PING") + command("GET", "{b}x"))
    assert raw.replies(2) == ["PONG", None]
    waits, reads = _gather(proxy)
    assert (waits - waits0, reads - reads0) == (1, 0)
    # Far less than max: the gap (50 us) ended it. Slack for a descheduled proxy.
    assert proxy.info("stats")["gather_wait_us"] < 5000


def _mget_load(proxy, clients=20, requests=3000):
    """redis-benchmark: `clients` connections, each sending an MGET of 10 keys and waiting."""
    keys = [f"k{i}" for i in range(10)]
    out = subprocess.run(
        ["redis-benchmark", "-p", str(proxy.port), "-c", str(clients), "-n", str(requests), "-P",
         "1", "--csv", "MGET", *keys], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [l for l in out.stdout.splitlines() if l.startswith('"MGET')]
    assert rows and float(rows[0].split(",")[1].strip('"')) > 0, out.stdout
    return keys


@pytest.mark.parametrize("gather_max_us", [0, 100])
def test_clients_in_lockstep_get_their_replies(make_proxy, instances, gather_max_us):
    proxy = make_proxy(gather_max_us=gather_max_us)
    r = proxy.client()
    r.mset({f"k{i}": i for i in range(10)})
    keys = _mget_load(proxy)
    assert r.mget(keys) == [str(i).encode() for i in range(10)]
    waits, reads = _gather(proxy)
    if gather_max_us == 0:
        assert (waits, reads) == (0, 0)
