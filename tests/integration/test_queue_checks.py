"""A command queued in MULTI is answered as the instance answers it at that moment (issue 16,
item 8): Redis refuses it at queue time when it is out of memory or busy with a script, and
then aborts the EXEC. The proxy asks the instance in a MULTI ... DISCARD of its own; with
multi_queue_check: proxy it answers QUEUED itself."""
import time

import pytest
import redis

from conftest import RawClient, command, key_on, run_commands


def _transcript(port, cmds, between=None):
    """Sends cmds one at a time; `between` (index, fn) runs fn before command `index`."""
    c = RawClient(port)
    out = []
    for i, cmd in enumerate(cmds):
        if between and between[0] == i:
            between[1]()
        c.send(command(*cmd))
        out.append(c.reply())
    return out


def test_out_of_memory_at_queue_time_is_the_instances_answer_and_aborts_exec(proxy, instances):
    shard = 50
    key = key_on(shard, "oom")
    inst = instances.client(shard)
    cmds = [("MULTI",), ("SET", key, "v"), ("GET", key), ("EXEC",), ("GET", key)]
    try:
        inst.config_set("maxmemory", 1)
        direct = _transcript(instances[shard].port, cmds)
        via = _transcript(proxy.port, cmds)
        assert direct[1].startswith("OOM command not allowed"), direct
        assert via == direct
        assert via[3] == "EXECABORT Transaction discarded because of previous errors."
        # Memory freed between the queueing and EXEC: Redis still aborts (the queued command
        # was refused); the proxy's EXEC alone would have found the instance fine.
        relieve = (3, lambda: inst.config_set("maxmemory", 0))
        inst.config_set("maxmemory", 1)
        direct = _transcript(instances[shard].port, cmds, relieve)
        inst.config_set("maxmemory", 1)
        via = _transcript(proxy.port, cmds, relieve)
        assert via == direct and via[3].startswith("EXECABORT") and via[4] is None
    finally:
        inst.config_set("maxmemory", 0)


def _busy_transcript(port, key, kill):
    """Transactions around a script that keeps the instance busy (Redis's multi.tcl "MULTI and
    script timeout", "EXEC and script timeout", "just EXEC and script timeout")."""
    a, b, c, d = (RawClient(port) for _ in range(4))
    out = run_commands(b, [("MULTI",), ("INCR", key)], False)  # queued before the script
    a.send(command("EVAL", "while true do end", "1", key))
    time.sleep(0.3)  # past busy-reply-threshold
    out += run_commands(c, [("MULTI",), ("INCR", key), ("EXEC",)], True)  # pipelined
    out += run_commands(b, [("EXEC",)], False)  # a clean transaction's EXEC while busy
    out += run_commands(d, [("MULTI",), ("INCR", key)], False)
    kill()
    out.append("killed by user" in a.reply())
    out += run_commands(d, [("INCR", key), ("EXEC",), ("GET", key), ("PING", "x")], False)
    return out


def test_transactions_around_a_busy_script_answer_as_redis_does(make_proxy, instances):
    """A command queued while a script runs is refused with BUSY, and an EXEC while it runs is
    refused with "EXECABORT ... because of: BUSY": nothing of those transactions is applied."""
    shard = 51
    key = key_on(shard, "busy")
    inst = instances.client(shard)
    inst.config_set("busy-reply-threshold", 100)
    p = make_proxy(timeout_ms=20000)  # the proxy's own kill would come only after 20 s
    try:
        inst.set(key, 1)
        direct = _busy_transcript(instances[shard].port, key, lambda: inst.script_kill())
        inst.set(key, 1)
        proxy_client = p.client()
        via = _busy_transcript(p.port, key,
                               lambda: proxy_client.execute_command("SCRIPT", "KILL"))
        busy = ("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
                "NOSAVE.")
        assert direct == ["OK", "QUEUED", "OK", busy,
                          "EXECABORT Transaction discarded because of: " + busy,
                          "EXECABORT Transaction discarded because of: " + busy,
                          "OK", busy, True, "QUEUED",
                          "EXECABORT Transaction discarded because of previous errors.", b"1",
                          b"x"]
        assert via == direct
    finally:
        try:
            inst.script_kill()
        except redis.ResponseError:
            pass
        inst.config_set("busy-reply-threshold", 5000)


@pytest.mark.parametrize("check", ["instance", "proxy"])
def test_a_transaction_against_a_dead_shard_fails_cleanly(make_proxy, instances, check):
    shard = 52
    key = key_on(shard, "dead")
    instances[shard].stop()
    try:
        p = make_proxy(multi_queue_check=check)
        out = run_commands(p.raw(), [("MULTI",), ("SET", key, "1"), ("EXEC",), ("PING",)], True)
        down = f"ERR shard {shard} is unavailable (connection refused)"
        if check == "instance":  # the check could not be made: the transaction aborts
            assert out == ["OK", down, "EXECABORT Transaction discarded because of previous "
                           "errors.", "PONG"]
        else:  # QUEUED from the proxy; EXEC finds the shard down
            assert out == ["OK", "QUEUED", down, "PONG"]
    finally:
        instances.ensure_running()


def test_exec_pipelined_behind_its_checks_waits_for_them(proxy, instances):
    """MULTI, commands and EXEC in one write: EXEC is sent once every check has answered, and a
    refused one aborts it as in Redis."""
    shard = 53
    key = key_on(shard, "pipe")
    inst = instances.client(shard)
    cmds = [("MULTI",)] + [("INCR", key)] * 50 + [("EXEC",), ("GET", key)]
    out = run_commands(proxy.raw(), cmds, True)
    assert out == ["OK"] + ["QUEUED"] * 50 + [list(range(1, 51)), b"50"]
    try:
        inst.config_set("maxmemory", 1)
        out = run_commands(proxy.raw(), cmds, True)
        assert out[1].startswith("OOM") and out[51].startswith("EXECABORT")
    finally:
        inst.config_set("maxmemory", 0)
    assert inst.get(key) == b"50"


def test_an_exec_beside_a_running_script_runs_in_the_clients_database(make_proxy, instances):
    """While a script is in flight on the shard, EXEC goes on the side connection (db 0): it
    selects the client's database first and goes back after, so nothing lands in db 0. The
    script stays in flight here because its 64 MB reply streams to a client that does not
    read it yet."""
    shard = 54
    key = key_on(shard, "db")
    inst0, inst3 = instances.client(shard), redis.Redis(port=instances[shard].port, db=3)
    inst0.delete(key)
    inst3.delete(key)
    p = make_proxy(timeout_ms=20000)
    a, b, c = RawClient(p.port), RawClient(p.port), RawClient(p.port)
    assert run_commands(b, [("SELECT", "3"), ("GET", key)], False) == ["OK", None]
    a.send(command("EVAL", "return string.rep('x', 64 * 1024 * 1024)", "1", "{%s}x" % key))
    time.sleep(0.5)  # the reply's first part reached the proxy; the rest waits for `a`
    out = run_commands(b, [("MULTI",), ("INCR", key), ("EXEC",), ("GET", key)], False)
    assert out == ["OK", "QUEUED", [1], b"1"]
    assert inst3.get(key) == b"1" and inst0.exists(key) == 0
    # The side connection is back in db 0 for the next EXEC there (of a db-0 client).
    assert run_commands(c, [("MULTI",), ("INCR", key), ("EXEC",)], False) == ["OK", "QUEUED",
                                                                              [1]]
    assert inst0.get(key) == b"1"
    assert len(a.reply()) == 64 * 1024 * 1024
    inst0.delete(key)
    inst3.delete(key)
