"""RESP3 (issue 16, item 1): HELLO 3 switches a client to RESP3 and every reply is what a
redis-server 7.0 sends a RESP3 client, byte for byte, merged replies included; pub/sub comes as
push messages on the same connection; node-redis with its defaults (HELLO 3) and redis-cli -3
work end to end."""
import subprocess

import pytest

from conftest import RawClient, command, node_client
from resp3_transcript import transcript

def _run(port, proto, cmds):
    raw = RawClient(port)
    raw.send(command("HELLO", str(proto)))
    hello = raw.raw_reply()
    out = []
    for c in cmds:
        raw.send(command(*c))
        out.append(raw.raw_reply())
    raw.close()
    return hello, out


@pytest.mark.parametrize("proto", [2, 3])
def test_transcript_is_byte_identical_to_redis_server(make_proxy, spares, proto):
    (reference,) = spares(1)
    p = make_proxy()
    cmds = transcript()
    assert len(cmds) >= 250
    hello_p, got = _run(p.port, proto, cmds)
    hello_r, want = _run(reference.port, proto, cmds)
    # HELLO differs only in its id and version.
    assert hello_p[:1] == hello_r[:1] == (b"%" if proto == 3 else b"*")
    assert b"proto\r\n:%d\r\n" % proto in hello_p
    diffs = [(c, g, w) for c, g, w in zip(cmds, got, want) if g != w]
    assert not diffs, "\n".join(f"{c!r}:\n  preshard {g!r}\n  redis    {w!r}"
                                for c, g, w in diffs[:10])
    # The RESP3 run really saw the RESP3 types.
    if proto == 3:
        seen = {r[:1] for r in got}
        assert {b"%", b"~", b",", b"_", b"#", b"(", b"="} - seen == set()


def test_resp3_local_and_merged_replies_have_redis_types(proxy):
    raw = proxy.raw()
    raw.send(command("HELLO", "3", "SETNAME", "r3"))
    hello = raw.raw_reply()
    assert hello.startswith(b"%7\r\n") and b"proto\r\n:3\r\n" in hello
    for c, prefix in [(("INFO", "server"), b"="), (("INFO", "keyspace"), b"="),
                      (("CLIENT", "INFO"), b"="), (("CLIENT", "GETNAME"), b"$2\r\nr3"),
                      (("COMMAND", "INFO", "get", "nosuch"), b"*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~"),
                      (("COMMAND", "DOCS", "get"), b"%1\r\n"), (("HELLO",), b"%7\r\n")]:
        raw.send(command(*c))
        r = raw.raw_reply()
        assert r.startswith(prefix), (c, r)
    raw.send(command("CLIENT", "INFO"))
    assert b" resp=3 " in raw.raw_reply()
    # Back to RESP2: the same commands in RESP2's types again.
    raw.send(command("HELLO", "2"))
    assert raw.raw_reply().startswith(b"*14\r\n")
    raw.send(command("INFO", "keyspace"))
    assert raw.raw_reply().startswith(b"$")
    raw.send(command("HELLO", "4"))
    assert raw.raw_reply() == b"-NOPROTO unsupported protocol version\r\n"
    # A refused HELLO 3 leaves the protocol as it was; HELLO's AUTH and SETNAME are applied.
    raw.send(command("HELLO", "3", "AUTH", "nobody", "x"))
    assert raw.raw_reply().startswith(b"-WRONGPASS ")
    raw.send(command("HGETALL", "nothing"))
    assert raw.raw_reply() == b"*0\r\n"
    raw.send(command("HELLO", "3", "AUTH", "default", "x", "SETNAME", "again"))
    assert raw.raw_reply().startswith(b"%7\r\n")
    raw.send(command("CLIENT", "GETNAME"))
    assert raw.raw_reply() == b"$5\r\nagain\r\n"
    # SCAN's merged reply: [cursor, keys] in RESP3 too.
    proxy.client().mset({f"scan3:{i}": i for i in range(50)})
    keys, cursor = set(), b"0"
    for _ in range(1000):
        raw.send(command("SCAN", cursor, "MATCH", "scan3:*", "COUNT", "100"))
        r = raw.raw_reply()
        assert r.startswith(b"*2\r\n$"), r
        head, _, rest = r[4:].partition(b"\r\n")
        cursor, rest = rest[:int(head[1:])], rest[int(head[1:]) + 2:]
        keys |= {x for x in rest.split(b"\r\n") if x.startswith(b"scan3:")}
        if cursor == b"0":
            break
    assert len(keys) == 50
    # RESET goes back to RESP2, as Redis's does.
    raw.send(command("RESET") + command("HGETALL", "nothing") + command("GET", "nothing"))
    assert [raw.raw_reply() for _ in range(3)] == [b"+RESET\r\n", b"*0\r\n", b"$-1\r\n"]


def test_resp3_pubsub_pushes_on_the_same_connection(proxy):
    sub = proxy.raw()
    sub.send(command("HELLO", "3"))
    sub.raw_reply()
    sub.send(command("SUBSCRIBE", "news") + command("PSUBSCRIBE", "n*"))
    assert sub.raw_reply() == b">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n"
    assert sub.raw_reply() == b">3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:2\r\n"
    # In RESP3 there is no subscribed mode: any command runs, and PING is a plain PONG.
    sub.send(command("SET", "k3", "v") + command("GET", "k3") + command("PING"))
    assert [sub.raw_reply() for _ in range(3)] == [b"+OK\r\n", b"$1\r\nv\r\n", b"+PONG\r\n"]
    pub = proxy.client()
    assert pub.publish("news", "hi") == 2  # the channel's and the pattern's subscription
    msgs = {sub.raw_reply(), sub.raw_reply()}
    assert msgs == {b">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
                    b">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n"}
    sub.send(command("UNSUBSCRIBE") + command("PUNSUBSCRIBE"))
    assert sub.raw_reply() == b">3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:1\r\n"
    assert sub.raw_reply() == b">3\r\n$12\r\npunsubscribe\r\n$2\r\nn*\r\n:0\r\n"
    sub.send(command("UNSUBSCRIBE"))
    assert sub.raw_reply() == b">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n"


def test_hello3_while_watching_loses_the_watch_not_the_order(proxy):
    raw = proxy.raw()
    raw.send(command("SET", "{w}a", "1") + command("WATCH", "{w}a") + command("HELLO", "3") +
             command("GET", "{w}a") + command("MULTI") + command("GET", "{w}a") +
             command("EXEC"))
    replies = [raw.raw_reply() for _ in range(7)]
    assert replies[0] == b"+OK\r\n" and replies[1] == b"+OK\r\n"
    assert replies[2].startswith(b"%7\r\n")
    assert replies[3:6] == [b"$1\r\n1\r\n", b"+OK\r\n", b"+QUEUED\r\n"]
    # The WATCH was on a RESP2 connection: EXEC aborts as if the key was touched.
    assert replies[6] == b"_\r\n"


def test_node_redis_with_its_defaults(proxy):
    out = node_client("node_redis_defaults.js", proxy.port)
    assert out["hello"]["proto"] == 3
    assert out["mget"] == ["1", None, "2"]
    assert out["hgetall"] == {"f1": "v1", "f2": "v2"}  # a RESP3 map
    assert out["smembers"] == ["x", "y"]
    assert out["zscore"] == 1.5  # a RESP3 double
    assert out["missing"] is None
    assert out["multi"] == [1, 2, "2"] and out["pipeline"] == [1, 2, "2"]
    assert out["dbsize"] >= 7
    assert out["published"] == 1 and out["message"] == "hello"
    assert out["after_unsubscribe"] == "1"
    assert out["errors"] == []


def test_redis_cli_resp3_output_matches_redis_server(proxy, spares):
    (reference,) = spares(1)
    setup = [["HSET", "cli:h", "a", "1", "b", "2"], ["ZADD", "cli:z", "1.5", "m"],
             ["SADD", "cli:s", "x"]]
    checks = [["HGETALL", "cli:h"], ["ZRANGE", "cli:z", "0", "-1", "WITHSCORES"],
              ["SMEMBERS", "cli:s"], ["GET", "cli:none"], ["ZSCORE", "cli:z", "m"],
              ["MGET", "cli:h", "cli:none"], ["HELLO", "3"]]
    outs = []
    for port in (proxy.port, reference.port):
        for c in setup:
            subprocess.run(["redis-cli", "-3", "-p", str(port), *c], check=True,
                           capture_output=True, timeout=10)
        outs.append([subprocess.run(["redis-cli", "-3", "-p", str(port), *c],
                                    capture_output=True, text=True, timeout=10).stdout
                     for c in checks])
    for c, got, want in zip(checks, *outs):
        if c[0] == "HELLO":  # id and version differ
            assert "proto 3" in got.splitlines() and "proto 3" in want.splitlines()
            continue
        assert got == want, c
