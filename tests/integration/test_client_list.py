"""CLIENT LIST, INFO, KILL and NO-EVICT (issue 16, item 4): the proxy's own clients on every
worker thread, in redis-server 7.0's format and words."""
import socket
import time

import redis

from conftest import RawClient, command, shard_of


def _fields(line):
    return [kv.split("=", 1)[0] for kv in line.strip().split(" ")]


def test_client_list_shows_every_client_of_every_worker_in_redis_format(make_proxy, spares):
    (reference,) = spares(1)
    p = make_proxy(threads=2)
    named = []
    for i in range(6):
        c = p.client()
        c.client_setname(f"c{i}")
        named.append(c)
    sub = p.raw()
    sub.send(command("CLIENT", "SETNAME", "sub") + command("SUBSCRIBE", "ch"))
    assert sub.replies(2) == ["OK", [b"subscribe", b"ch", 1]]
    multi = p.raw()
    multi.send(command("MULTI") + command("SET", "a", "1"))
    assert multi.replies(2) == ["OK", "QUEUED"]
    r = p.client()
    clients = r.client_list()
    names = sorted(c["name"] for c in clients)
    assert names == sorted(["", "", "sub"] + [f"c{i}" for i in range(6)])
    ids = [int(c["id"]) for c in clients]
    assert ids == sorted(ids)
    # The same fields, in the same order, as a redis-server's own line (7.0), and Redis 8.0's
    # io-thread: the worker serving the client.
    want = _fields(redis.Redis(port=reference.port).execute_command("CLIENT", "INFO").decode())
    want += [] if "io-thread" in want else ["io-thread"]
    raw_list = r.execute_command("CLIENT", "LIST").decode()
    for line in raw_list.strip().split("\n"):
        assert _fields(line) == want, line
    by_name = {c["name"]: c for c in clients}
    assert by_name["sub"]["flags"] == "P" and by_name["sub"]["sub"] == "1"
    assert by_name["c0"]["cmd"] == "client|setname" and by_name["c0"]["flags"] == "N"
    multi_line = [c for c in clients if c["flags"] == "x"]
    assert len(multi_line) == 1 and multi_line[0]["multi"] == "1"
    # Filters.
    assert [c["name"] for c in r.client_list(_type="pubsub")] == ["sub"]
    assert len(r.client_list(_type="normal")) == len(clients) - 1
    one = int(by_name["c3"]["id"])
    got = r.execute_command("CLIENT", "LIST", "ID", one, 999999).decode()
    assert got.count("\n") == 1 and " name=c3 " in got
    assert r.execute_command("CLIENT", "LIST", "TYPE", "master") == b""
    # CLIENT INFO: the caller's own line.
    info = r.client_info()
    assert info["cmd"] == "client|info" and info["resp"].strip() == "2" and str(info["db"]) == "0"
    assert info["laddr"] == f"127.0.0.1:{p.port}"
    assert {c["io-thread"] for c in clients} <= {"0", "1"}
    mine = [c["io-thread"] for c in clients if str(c["id"]) == str(info["id"])]
    assert mine == [info["io-thread"].strip()]
    sub.close()
    multi.close()


def test_client_kill_across_workers_and_its_errors(make_proxy):
    p = make_proxy(threads=2)
    victims = [RawClient(p.port) for _ in range(6)]
    for v in victims:
        v.send(command("PING"))
        assert v.reply() == "PONG"
    r = p.client()
    me = r.client_id()
    raw = p.raw()
    # By id, then everything normal except the caller (SKIPME yes is the default).
    raw.send(command("CLIENT", "ID"))
    raw_id = raw.reply()
    listed = {int(c["id"]): c for c in r.client_list()}
    vid = [i for i, c in listed.items() if i not in (me, raw_id)][0]
    assert r.execute_command("CLIENT", "KILL", "ID", vid) == 1
    n = r.execute_command("CLIENT", "KILL", "TYPE", "normal")
    assert n == len(victims) - 1 + 1  # the other victims, and `raw`
    deadline = time.monotonic() + 5
    for v in victims:
        assert v.closed(timeout=max(0.1, deadline - time.monotonic()))
    assert r.ping() is True  # the caller was skipped
    assert [int(c["id"]) for c in r.client_list()] == [me]
    # The old form, by address; and Redis's errors.
    other = RawClient(p.port)
    other.send(command("CLIENT", "INFO"))
    addr = other.reply().decode().split(" addr=")[1].split(" ")[0]
    out = []
    for args in (("KILL", addr), ("KILL", "1.2.3.4:5"), ("KILL", "ID", "x"), ("KILL", "ID", "0"),
                 ("KILL", "TYPE", "foo"), ("KILL", "USER", "nobody"), ("KILL", "SKIPME", "maybe"),
                 ("KILL", "ID", "1", "BADOPT"), ("LIST", "ID", "x"), ("LIST", "TYPE"),
                 ("LIST", "TYPE", "foo"), ("NO-EVICT", "maybe"), ("NO-EVICT", "on"),
                 ("KILL", "LADDR", "1.2.3.4:1")):
        try:
            out.append(r.execute_command("CLIENT", *args))
        except redis.ResponseError as e:
            out.append("ERR:" + str(e))
    assert out == [b"OK", "ERR:No such client", "ERR:client-id should be greater than 0",
                   "ERR:client-id should be greater than 0", "ERR:Unknown client type 'foo'",
                   "ERR:No such user 'nobody'", "ERR:syntax error", "ERR:syntax error",
                   "ERR:Invalid client ID", "ERR:syntax error", "ERR:Unknown client type 'foo'",
                   "ERR:syntax error", b"OK", 0]
    assert other.closed(timeout=5)
    assert r.client_info()["flags"] == "e"  # NO-EVICT on
    # Killing itself: the reply comes, then the connection closes.
    raw2 = p.raw()
    raw2.send(command("CLIENT", "KILL", "SKIPME", "no", "TYPE", "normal"))
    assert raw2.reply() >= 2
    assert raw2.closed(timeout=5)


def test_client_reply_off_on_skip_as_redis(proxy, instances):
    """CLIENT REPLY was refused (Redis's suite uses it in pubsub and others): OFF and SKIP keep
    replies back, ON brings them again; the same bytes as a redis-server for the same input."""
    cmds = [("CLIENT", "REPLY", "OFF"), ("SET", "reply:a", "1"), ("GET", "reply:a"),
            ("CLIENT", "REPLY", "ON"), ("GET", "reply:a"), ("CLIENT", "REPLY", "SKIP"),
            ("GET", "reply:a"), ("INCR", "reply:a"), ("CLIENT", "REPLY", "MAYBE"), ("PING",)]
    payload = b"".join(command(*c) for c in cmds)

    def answer(port):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(payload)
        got = b""
        while not got.endswith(b"+PONG\r\n"):
            d = s.recv(4096)
            assert d, got
            got += d
        s.close()
        return got

    direct = answer(instances[shard_of("reply:a")].port)
    assert direct == b"+OK\r\n$1\r\n1\r\n:2\r\n-ERR syntax error\r\n+PONG\r\n"
    instances.client(shard_of("reply:a")).delete("reply:a")
    assert answer(proxy.port) == direct
    assert proxy.client().get("reply:a") == b"2"  # the silenced commands ran


def test_client_reply_off_keeps_no_subscribe_confirmation_back(proxy, instances):
    """Redis 7.0 sends pub/sub confirmations as pushes, which CLIENT REPLY OFF does not silence
    (Redis's suite: PubSub messages with CLIENT REPLY OFF)."""
    payload = b"".join(command(*c) for c in [("CLIENT", "REPLY", "OFF"), ("SUBSCRIBE", "replych"),
                                             ("PING",), ("UNSUBSCRIBE", "replych")])
    end = b"$11\r\nunsubscribe\r\n$7\r\nreplych\r\n:0\r\n"

    def answer(port):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(payload)
        got = b""
        while not got.endswith(end):
            d = s.recv(4096)
            assert d, got
            got += d
        s.close()
        return got

    direct = answer(instances[0].port)
    assert direct.startswith(b"*3\r\n$9\r\nsubscribe\r\n")
    assert answer(proxy.port) == direct
