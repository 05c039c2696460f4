"""The proxy's own SLOWLOG and LATENCY (issue 18), against a redis-server where Redis defines
the answer, and the event log behind /status and the dashboard."""
import json
import threading
import time
import urllib.request

import redis

from conftest import RawClient, command, shard_of

ADMIN_PORT = 23440  # test ports stay in 21000-24999


def entries(c, *args):
    return c.execute_command("SLOWLOG", "GET", *args)


def test_slowlog_entries_have_redis_shape_and_truncation(make_proxy, clean):
    direct = clean.client(0)
    direct.config_set("slowlog-log-slower-than", 0)
    direct.slowlog_reset()
    p = make_proxy([f"127.0.0.1:{clean[0].port}"], slowlog_log_slower_than=0)
    c = p.client()
    c.client_setname("tester")
    direct.client_setname("tester")
    long_value = "v" * 200
    many = [f"k{i}" for i in range(40)]
    for client in (direct, c):
        client.set("k", long_value)
        client.delete(*many)
    # (The instance also logs what the proxy sent it, on a connection with no name.)
    want = [e for e in entries(direct) if e[3][0] in (b"SET", b"DEL") and e[5] == b"tester"]
    got = [e for e in entries(c) if e[3][0] in (b"SET", b"DEL")]
    direct.config_set("slowlog-log-slower-than", 10000)
    assert len(got) == len(want) == 2
    for g, w in zip(got, want):
        assert len(w) == 6 and len(g) == 7
        assert [type(x) for x in g[:6]] == [type(x) for x in w]
        assert g[3] == w[3]  # the same arguments, truncated the same way
        assert g[5] == w[5] == b"tester"
        assert g[4].startswith(b"127.0.0.1:")
    assert got[1][3][2] == b"v" * 128 + b"... (72 more bytes)"
    assert got[0][3][-1] == b"... (10 more arguments)" and len(got[0][3]) == 32
    assert got[1][6] == b"0" and got[0][6] == b"0"  # the shard of their keys (one here)
    assert got[0][0] > got[1][0]  # newest first
    # LEN, GET with a count, RESET; errors in Redis's words.
    raw = RawClient(p.port)
    raw_direct = RawClient(clean[0].port)
    for cmd in (command("SLOWLOG", "GET", "-2"), command("SLOWLOG", "GET", "x"),
                command("SLOWLOG", "LEN", "1"), command("SLOWLOG", "NOPE")):
        raw.send(cmd)
        raw_direct.send(cmd)
        assert raw.reply() == raw_direct.reply(), cmd
    for r in (raw, raw_direct):
        r.send(command("SLOWLOG", "HELP"))
    ours, theirs = raw.reply(), raw_direct.reply()
    assert ours[:5] == theirs[:5] and ours[6:] == theirs[6:]  # line 6 adds the shards
    n = c.slowlog_len()
    assert n >= 3
    assert len(entries(c, 1)) == 1 and len(entries(c, -1)) >= n + 1  # LEN itself is logged too
    assert c.slowlog_reset()
    assert c.slowlog_len() <= 1  # the RESET itself may be logged once answered, as in Redis


def test_a_slow_command_is_logged_with_its_shard_and_fast_ones_are_not(make_proxy):
    p = make_proxy(slowlog_log_slower_than=80000)
    c = p.client()
    key = "slow-key"
    shard = shard_of(key)
    for i in range(50):
        c.set(f"fast{i}", i)
    c.execute_command("PROXY", "PAUSE", shard, "TIMEOUT", 5000)
    other = p.client()
    # A pipelined client too: its SET is still in flight when the commands after it are read.
    piped = RawClient(p.port)
    fast_key = next(f"f{i}" for i in range(1000) if shard_of(f"f{i}") != shard)
    t = time.monotonic()
    th = threading.Thread(target=lambda: other.set(key, "x"))
    th.start()
    piped.send(command("SET", key, "y") + command("GET", fast_key) + command("PING"))
    time.sleep(0.25)
    c.execute_command("PROXY", "RESUME", shard)
    th.join(5)
    assert piped.replies(3) == ["OK", None, "PONG"]
    log = entries(c, -1)
    assert not [e for e in log if e[3][1].startswith(b"fast")], log
    slow = sorted((e for e in log if e[3][0] == b"SET"), key=lambda e: e[3][2])
    assert len(slow) == 2, log
    assert [e[3] for e in slow] == [[b"SET", key.encode(), b"x"], [b"SET", key.encode(), b"y"]]
    e = slow[0]
    assert e[2] >= 150000  # held by the pause
    assert all(x[6] == str(shard).encode() for x in slow)
    assert abs(e[1] - time.time()) < 5 and time.monotonic() - t < 5


def test_latency_and_the_event_log(make_proxy):
    p = make_proxy(admin_listen=f"127.0.0.1:{ADMIN_PORT}")
    c = p.client()
    c.execute_command("PROXY", "PAUSE", 7, "TIMEOUT", 5000)
    time.sleep(0.05)
    c.execute_command("PROXY", "RESUME", 7)
    assert c.execute_command("PROXY", "RELOAD") == b"OK"
    latest = {e[0]: e[1:] for e in c.execute_command("LATENCY", "LATEST")}
    assert set(latest) == {b"pause", b"reload"}
    assert latest[b"pause"][1] >= 50 and latest[b"pause"][2] >= latest[b"pause"][1]
    assert abs(latest[b"reload"][0] - time.time()) < 5
    history = c.execute_command("LATENCY", "HISTORY", "pause")
    assert len(history) == 1 and history[0][1] >= 50
    assert c.execute_command("LATENCY", "HISTORY", "nothing") == []
    assert c.execute_command("LATENCY", "RESET", "pause", "nothing") == 1
    assert [e[0] for e in c.execute_command("LATENCY", "LATEST")] == [b"reload"]
    try:
        c.execute_command("LATENCY", "DOCTOR")
        raise AssertionError("LATENCY DOCTOR should be refused")
    except redis.ResponseError as e:
        assert "refused by preshard" in str(e)
    status = json.load(urllib.request.urlopen(f"http://127.0.0.1:{ADMIN_PORT}/status"))
    texts = [e["text"] for e in status["events"]]
    assert "shard 7 paused (PROXY PAUSE, 5000 ms at most)" in texts
    assert any(t.startswith("shard 7 resumed after ") for t in texts)
    assert any(t.startswith("reload: generation 2 in effect") for t in texts)
    assert all(abs(e["time_ms"] / 1000 - time.time()) < 60 for e in status["events"])
