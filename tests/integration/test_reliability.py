"""Issue 13's faults and abuse: deep replies, resets mid-write, bounded answers."""
import threading

from conftest import RawClient, command, shard_of


def _key_on(shard, prefix="k"):
    i = 0
    while shard_of(f"{prefix}{i}") != shard:
        i += 1
    return f"{prefix}{i}"


def _nested_script(depth):
    return "return " + "{" * depth + "1" + "}" * depth


def _reply_bytes(port, data, sentinel=b"+PONG\r\n"):
    """Everything the server sends for `data` + PING, up to and including PING's answer."""
    c = RawClient(port, timeout=10)
    c.send(data + command("PING"))
    out = b""
    while not out.endswith(sentinel):
        d = c.sock.recv(1 << 16)
        assert d, out
        out += d
    c.close()
    return out


def test_deeply_nested_replies_pass_through_byte_exact(proxy, instances):
    key = _key_on(3)
    for depth in (7, 8, 9, 30, 150):
        data = command("EVAL", _nested_script(depth), "1", key)
        direct = _reply_bytes(instances[3].port, data)
        assert direct.startswith(b"*1\r\n" * depth), direct[:80]
        assert _reply_bytes(proxy.port, data) == direct, depth


def test_a_deep_reply_does_not_fail_other_clients_on_its_shard(proxy, instances):
    """hiredis 0.14's reader reset the shard's connection at depth 8: everyone's commands in flight
    on it failed. Now the others' pipelined commands all succeed while deep replies go by."""
    key = _key_on(7)
    errors = []

    def others():
        c = RawClient(proxy.port)
        for round_ in range(20):
            c.send(b"".join(command("INCR", key) for _ in range(100)))
            for reply in c.replies(100):
                if not isinstance(reply, int):
                    errors.append(reply)
        c.close()

    t = threading.Thread(target=others)
    t.start()
    deep = RawClient(proxy.port)
    for _ in range(50):
        deep.send(command("EVAL", _nested_script(9), "1", key))
        reply = deep.reply()
        for _ in range(8):
            assert isinstance(reply, list) and len(reply) == 1, reply
            reply = reply[0]
        assert reply == [1]
    deep.close()
    t.join(60)
    assert errors == []
    assert instances.client(7).get(key) == b"2000"


def test_exec_around_a_deep_reply_answers_it(proxy, instances):
    key = _key_on(11)
    c = RawClient(proxy.port)
    c.send(command("MULTI") + command("SET", key, "v") +
           command("EVAL", _nested_script(8), "1", key) + command("EXEC"))
    assert c.replies(3) == ["OK", "QUEUED", "QUEUED"]
    reply = c.reply()
    assert reply[0] == "OK"
    inner = reply[1]
    for _ in range(8):
        inner = inner[0]
    assert inner == 1
    assert instances.client(11).get(key) == b"v"
