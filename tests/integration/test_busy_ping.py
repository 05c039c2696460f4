"""PING while an instance is busy with a script (issue 16, item 8): Redis answers BUSY, and
clients and Redis's own tests (functions.tcl "test function kill") use PING to see it. The proxy
answers PING itself, except while a script is in flight on the client's shard: then the
instance is asked."""
import contextlib
import time

import redis

from conftest import RawClient, command, key_on, run_commands

BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."


def _end(inst):
    """Kills what a failed test may have left running, and restores the threshold."""
    for kill in ("SCRIPT", "FUNCTION"):
        try:
            inst.execute_command(kill, "KILL")
        except redis.ResponseError:
            pass
    inst.config_set("busy-reply-threshold", 5000)


@contextlib.contextmanager
def _busy_shard(make_proxy, instances, shard, prefix, threshold_ms):
    """A key on `shard`, its instance answering BUSY after `threshold_ms`, and a proxy that
    would kill a script only after 20 s; on leaving, what a failed test left running is killed."""
    inst = instances.client(shard)
    inst.config_set("busy-reply-threshold", threshold_ms)
    try:
        yield key_on(shard, prefix), inst, make_proxy(timeout_ms=20000)
    finally:
        _end(inst)


def test_ping_answers_busy_like_redis_while_a_script_runs_on_the_clients_shard(make_proxy,
                                                                              instances):
    shard = 60
    with _busy_shard(make_proxy, instances, shard, "ping", 100) as (key, inst, p):
        a, b, elsewhere = RawClient(p.port), RawClient(p.port), RawClient(p.port)
        assert run_commands(b, [("SET", "{%s}x" % key, "1")], False) == ["OK"]  # on that shard
        a.send(command("EVAL", "while true do end", "1", key))
        time.sleep(0.3)  # past busy-reply-threshold
        direct = RawClient(instances[shard].port)
        assert run_commands(direct, [("PING",), ("PING", "hi")], False) == [BUSY, BUSY]
        assert run_commands(b, [("PING",), ("PING", "hi")], False) == [BUSY, BUSY]
        # A client that never used that shard: its PING is the proxy's.
        assert run_commands(elsewhere, [("PING",)], False) == ["PONG"]
        assert p.client().execute_command("SCRIPT", "KILL") in (b"OK", True)
        assert "killed by user" in a.reply()
        assert run_commands(b, [("PING",), ("PING", "hi")], False) == ["PONG", b"hi"]


def test_a_ping_behind_the_clients_own_script_waits_for_it_and_answers_pong(make_proxy,
                                                                            instances):
    """Redis reads the client's PING only after its script: PONG, never BUSY."""
    shard = 61
    spin = ("local t0 = redis.call('TIME') repeat local t = redis.call('TIME') "
            "until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 300000 return 1")
    with _busy_shard(make_proxy, instances, shard, "own", 50) as (key, inst, p):
        for port in (instances[shard].port, p.port):
            c = RawClient(port)
            c.send(command("EVAL", spin, "1", key))
            time.sleep(0.15)  # the script is past busy-reply-threshold when the PING comes
            c.send(command("PING"))
            assert c.replies(2) == [1, "PONG"], port


def test_function_stats_shows_the_running_function_of_the_clients_shard(make_proxy, instances):
    """Redis's functions.tcl "test function kill": FUNCTION STATS while a function runs (it was
    refused), answered as that instance answers it, even while it is busy."""
    shard = 62
    lib = "#!lua name=spinfs\nredis.register_function('spinfs', function() while true do end end)"
    with _busy_shard(make_proxy, instances, shard, "fn", 100) as (key, inst, p):
        r = p.client()
        r.execute_command("FUNCTION", "LOAD", "REPLACE", lib)
        b = RawClient(p.port)
        assert run_commands(b, [("SET", "{%s}x" % key, "1")], False) == ["OK"]
        a = RawClient(p.port)
        a.send(command("FCALL", "spinfs", "1", key))
        time.sleep(0.3)
        stats = run_commands(b, [("FUNCTION", "STATS")], False)[0]
        assert stats[0] == b"running_script" and stats[1][:4] == [b"name", b"spinfs", b"command",
                                                                    [b"FCALL", b"spinfs", b"1",
                                                                     key.encode()]], stats
        assert stats[2] == b"engines"
        assert r.execute_command("FUNCTION", "KILL") in (b"OK", "OK", True)
        assert "killed by user" in a.reply()
        stats = run_commands(b, [("FUNCTION", "STATS")], False)[0]
        assert stats[:2] == [b"running_script", None]
    for i in range(len(instances)):
        instances.client(i).function_flush()
