"""Issue 13's faults and abuse: deep replies, resets mid-write, bounded answers."""
import os
import pathlib
import socket
import subprocess
import threading
import time

import pytest
import redis

from conftest import RawClient, command, key_on


def _key_on(shard, prefix="k"):
    return key_on(shard, prefix)


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


def _sender(sock, data):
    t = threading.Thread(target=lambda: sock.sendall(data), daemon=True)
    t.start()
    return t


def _answers_in_order(replies, expected, error):
    """Each reply is its command's own answer or an error, and the answers keep their order."""
    got = [r for r in replies if r != error]
    assert got == [e for e in expected if e in got], got[:5]


BUSY_SCRIPT = ("local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
               "repeat local u = redis.call('TIME') until u[1] * 1000000 + u[2] - s > 4000 "
               "return ARGV[1] --")


def test_timeouts_during_a_large_write_answer_every_command_in_order(make_proxy, instances):
    """Item 11: slow padded scripts, more of them than client_max_pending, so each timeout reset
    lands while a write of megabytes to that instance is only partly done."""
    p = make_proxy(timeout_ms=300, client_max_pending=100)
    shard = 13
    key = _key_on(shard)
    n = 400
    script = BUSY_SCRIPT + "x" * 300000
    c = RawClient(p.port, timeout=60)
    sender = _sender(c.sock, b"".join(command("EVAL", script, "1", key, str(i)) for i in range(n)))
    replies = c.replies(n)
    sender.join(30)
    assert any(r == "ERR shard 13 did not answer within 300 ms" for r in replies)
    _answers_in_order(replies, [str(i).encode() for i in range(n)],
                      "ERR shard 13 did not answer within 300 ms")
    c.send(command("SET", key, "after") + command("GET", key))
    assert c.replies(2) == ["OK", b"after"]
    assert "no reply within timeout_ms" in p.log_text()


def test_function_load_while_an_instance_sleeps_mid_write(make_proxy, instances):
    """Item 11: FUNCTION LOAD REPLACE goes to every shard; one instance is stopped while another
    client's large pipeline to it is being written; the reset that follows is safe."""
    p = make_proxy(timeout_ms=300, client_max_pending=100)
    shard = 17
    key = _key_on(shard)
    n = 300
    value = "v" * 200000
    c = RawClient(p.port, timeout=60)
    c.send(command("GET", key))  # the connection and its handshake are done before the pause
    c.reply()
    sender = _sender(c.sock, b"".join(command("SET", key, value + str(i)) for i in range(n)))
    instances[shard].pause()
    try:
        f = RawClient(p.port, timeout=30)
        f.send(command("FUNCTION", "LOAD", "REPLACE",
                       "#!lua name=i13\nredis.register_function('f13', function() return 1 end)"))
        reply = f.reply()
        assert reply.startswith("ERR") and "shard 17" in reply, reply
    finally:
        instances[shard].resume()
    replies = c.replies(n)
    sender.join(30)
    assert all(r in ("OK", "ERR shard 17 did not answer within 300 ms") for r in replies)
    c.send(command("GET", key))
    assert c.reply() in [(value + str(i)).encode() for i in range(n)]
    f.send(command("FUNCTION", "DELETE", "i13"))
    f.reply()


def _commands_in(buf):
    """Splits complete RESP commands off `buf`: (list of first arguments, rest)."""
    names = []
    while True:
        if not buf.startswith(b"*") or b"\r\n" not in buf:
            return names, buf
        head, rest = buf.split(b"\r\n", 1)
        args = []
        for _ in range(int(head[1:])):
            if b"\r\n" not in rest:
                return names, buf
            line, body = rest.split(b"\r\n", 1)
            size = int(line[1:])
            if len(body) < size + 2:
                return names, buf
            args.append(body[:size])
            rest = body[size + 2:]
        names.append(args[0].upper())
        buf = rest


def test_protocol_error_from_an_instance_mid_write(make_proxy):
    """Item 11: an instance that reads slowly, then sends garbage while the proxy is still writing
    a large pipeline to it. The commands caught by the reset get their error, in order; the
    proxy reconnects and the same client is served again."""
    port = 21950
    lsock = socket.create_server(("127.0.0.1", port))
    lsock.settimeout(20)

    def serve(s, connection):
        s.settimeout(20)
        if connection == 0:
            s.recv(4096)
            time.sleep(0.2)
            s.sendall(b"?garbage\r\n")
            time.sleep(0.5)
            return
        buf = b""
        while True:
            d = s.recv(1 << 16)
            if not d:
                return
            names, buf = _commands_in(buf + d)
            s.sendall(b"".join(b"$2\r\nok\r\n" if n == b"GET" else b"+OK\r\n" for n in names))

    def fake():
        for connection in range(4):
            try:
                s, _ = lsock.accept()
            except OSError:
                return
            if connection == 0:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            threading.Thread(target=lambda s=s, n=connection: (serve(s, n), s.close()),
                             daemon=True).start()

    t = threading.Thread(target=fake, daemon=True)
    t.start()
    # (No monitor: the fake counts connections, and the first one is the faulty one.)
    p = make_proxy([f"127.0.0.1:{port}"], timeout_ms=5000, client_max_pending=50,
                   monitor_interval_ms=0, role_check="no")
    try:
        c = RawClient(p.port, timeout=30)
        n = 200
        sender = _sender(c.sock, b"".join(command("SET", "k", "x" * 100000) for _ in range(n)))
        replies = c.replies(n)
        sender.join(30)
        errors = [r for r in replies if r != "OK"]
        assert errors and all(r == "ERR shard 0 is unavailable (protocol error from instance)" for r in errors), errors[:3]
        assert replies == errors + ["OK"] * (n - len(errors))
        c.send(command("GET", "k"))
        assert c.reply() == b"ok"
    finally:
        lsock.close()
        t.join(5)
    assert "bad reply: Protocol error, got \"?\" as reply type byte" in p.log_text()


class _LargeWriteAhead:
    """Another client's big SET to `instance`'s shard, written while the instance is stopped, so
    the shared connection to it is still busy with those bytes when the test's commands come."""

    def __init__(self, port, instance, key, size=32 << 20):
        self.instance = instance
        self.client = RawClient(port, timeout=30)
        instance.pause()
        self.sender = _sender(self.client.sock, command("SET", key, "z" * size))
        time.sleep(0.3)

    def release(self):
        time.sleep(0.1)
        self.instance.resume()
        self.sender.join(30)
        assert self.client.reply() == "OK"
        self.client.close()


def test_watch_does_not_overtake_the_clients_earlier_commands(proxy, instances):
    """Item 3: SET k v; WATCH w; GET k pipelined must read v (the WATCH goes on a connection of
    its own, and must not run before the SET still queued on the shared one)."""
    shard = 21
    k, w, big = _key_on(shard, "o3k"), _key_on(shard, "o3w"), _key_on(shard, "o3big")
    for rnd in range(3):
        ahead = _LargeWriteAhead(proxy.port, instances[shard], big)
        c = RawClient(proxy.port)
        value = f"v{rnd}"
        c.send(command("SET", k, value) + command("WATCH", w) + command("GET", k) +
               command("MULTI") + command("SET", w, value) + command("EXEC"))
        ahead.release()
        assert c.replies(6) == ["OK", "OK", value.encode(), "OK", "QUEUED", ["OK"]]
        c.close()


def test_blocking_pop_does_not_overtake_the_clients_earlier_commands(proxy, instances):
    """Item 3: RPUSH l a; DEL l; BLPOP l 0.2 pipelined must time out (Redis: nil), not pop a."""
    shard = 22
    lst, big = _key_on(shard, "o3l"), _key_on(shard, "o3big")
    for _ in range(3):
        ahead = _LargeWriteAhead(proxy.port, instances[shard], big)
        c = RawClient(proxy.port)
        c.send(command("RPUSH", lst, "a") + command("DEL", lst) + command("BLPOP", lst, "0.2") +
               command("RPUSH", lst, "b") + command("LRANGE", lst, "0", "-1"))
        ahead.release()
        assert c.replies(5) == [1, 1, None, 1, [b"b"]]
        instances.client(shard).delete(lst)
        c.close()


def test_hello_and_select_do_not_let_later_commands_overtake_earlier_ones(proxy, instances):
    """Item 3 for the client's mode: after HELLO 3 or SELECT the client's commands go on other
    instance connections, which must not run them before its earlier commands still queued on
    the old ones (SET k v; HELLO 3; GET k reads v; a FLUSHALL after SELECT 0 removes what was
    just written to db 1)."""
    shard = 23
    k, big = _key_on(shard, "o3m"), _key_on(shard, "o3big")
    for rnd in range(3):
        ahead = _LargeWriteAhead(proxy.port, instances[shard], big)
        c = RawClient(proxy.port)
        value = f"m{rnd}"
        c.send(command("SET", k, value) + command("HELLO", "3") + command("GET", k) +
               command("HELLO", "2") + command("SELECT", "1") + command("SET", k, "db1") +
               command("SELECT", "0") + command("FLUSHALL") + command("SELECT", "1") +
               command("GET", k) + command("SELECT", "0"))
        ahead.release()
        out = [c.raw_reply() for _ in range(11)]
        assert out[0] == b"+OK\r\n" and out[2] == b"$2\r\n%s\r\n" % value.encode(), out[:3]
        assert out[4:9] == [b"+OK\r\n"] * 5 and out[9] == b"$-1\r\n", out[4:]
        c.close()


class _SilentInstance:
    """Accepts connections and reads everything, but never answers."""

    def __init__(self, port):
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(0.2)
        self.stop = False
        self.conns = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                s, _ = self.listener.accept()
            except OSError:
                continue
            s.setblocking(False)
            self.conns.append(s)
            for c in self.conns:
                try:
                    c.recv(1 << 16)
                except OSError:
                    pass

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.listener.close()
        for c in self.conns:
            c.close()


def _timed_reply(c, data):
    t0 = time.monotonic()
    c.send(data)
    reply = c.reply()
    return reply, time.monotonic() - t0


def test_every_command_to_a_silent_instance_is_answered_in_bounded_time(make_proxy):
    """Item 7: SUBSCRIBE, PSUBSCRIBE and blocking commands to an instance that accepts and never
    answers got nothing for 30 s and more. Now: a subscription's confirmation within timeout_ms,
    a blocking command within its own timeout plus timeout_ms."""
    silent = _SilentInstance(21951)
    # (role_check: no, since a silent instance would not answer the handshake's ROLE either.)
    p = make_proxy(["127.0.0.1:21951"], timeout_ms=300, role_check="no")
    try:
        cases = [
            (command("GET", "k"), "ERR shard 0 did not answer within 300 ms", 0.3),
            (command("SUBSCRIBE", "ch"), "ERR shard 0 did not answer within 300 ms", 0.3),
            (command("PSUBSCRIBE", "p*"), "ERR shard 0 did not answer within 300 ms", 0.3),
            (command("BLPOP", "l", "0.5"), "ERR shard 0 did not answer within 800 ms", 0.8),
            (command("BZPOPMIN", "z", "1"), "ERR shard 0 did not answer within 1300 ms", 1.3),
            (command("BLMPOP", "0.2", "1", "l", "LEFT"), "ERR shard 0 did not answer within 500 ms",
             0.5),
            (command("XREAD", "BLOCK", "400", "STREAMS", "s", "$"),
             "ERR shard 0 did not answer within 700 ms", 0.7),
            (command("WAIT", "1", "100"), "ERR shard 0 did not answer within 400 ms", 0.4),
            (command("BLPOP", "l", "-1"), "ERR shard 0 did not answer within 300 ms", 0.3),
        ]
        for data, error, bound in cases:
            c = RawClient(p.port, timeout=10)
            reply, took = _timed_reply(c, data)
            assert reply == error, data
            # The tick that notices runs every 100 ms or so; a loaded machine adds some.
            assert bound - 0.05 < took < bound + 1.0, (data, took)
            c.close()
        # A timeout of 0 blocks forever, as in Redis: no answer, until the client leaves.
        c = RawClient(p.port, timeout=1.5)
        c.send(command("BLPOP", "l", "0"))
        c.sock.settimeout(1.5)
        try:
            got = c.sock.recv(100)
        except TimeoutError:
            got = None
        assert got is None
        c.close()
    finally:
        silent.close()


@pytest.fixture(scope="module")
def slow_dns(tmp_path_factory):
    """The LD_PRELOAD shim that makes *.slow.test and *.never.test names slow to resolve."""
    out = tmp_path_factory.mktemp("dns") / "slow_dns.so"
    src = pathlib.Path(__file__).with_name("slow_dns.c")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(out), str(src), "-ldl"], check=True)
    return out


def _until_served(r, key, deadline_s):
    t0 = time.monotonic()
    errors = []
    while time.monotonic() - t0 < deadline_s:
        try:
            r.set(key, "x")
            return time.monotonic() - t0, errors
        except redis.ResponseError as e:
            errors.append(str(e))
            time.sleep(0.1)
    raise AssertionError(f"not served within {deadline_s} s: {errors[-3:]}")


def test_a_slow_or_dead_name_delays_only_its_shard_and_recovers(make_proxy, instances,
                                                                   slow_dns):
    """Item 8: an instance whose name takes 3 s to resolve (connect_timeout_ms 1000) is served
    once its lookup is in (with Asio's resolver each attempt queued behind the last and the
    shard never recovered); a name that never resolves affects only its own shard."""
    env = dict(os.environ, LD_PRELOAD=str(slow_dns), SLOW_DNS_MS="3000",
               ASAN_OPTIONS="verify_asan_link_order=0:" + os.environ.get("ASAN_OPTIONS", ""))
    addresses = instances.addresses()
    addresses[5] = addresses[5].replace("127.0.0.1", "i5.slow.test")
    addresses[6] = addresses[6].replace("127.0.0.1", "i6.never.test")
    p = make_proxy(addresses, env=env, connect_timeout_ms=1000, retry_min_ms=100,
                   retry_max_ms=500)
    r = p.client(socket_timeout=10)
    slow, dead, live = _key_on(5), _key_on(6), _key_on(7)
    # The first command for the slow shard fails by the connect timeout, not later.
    t0 = time.monotonic()
    with pytest.raises(redis.ResponseError) as e:
        r.get(slow)
    assert str(e.value) == "shard 5 is unavailable (connect timed out)"
    assert time.monotonic() - t0 < 2.5
    # Meanwhile other shards answer at once.
    for _ in range(20):
        t1 = time.monotonic()
        assert r.set(live, "y")
        assert time.monotonic() - t1 < 0.2
    took, _ = _until_served(r, slow, 8)
    print(f"slow name served {time.monotonic() - t0:.1f} s after the first try")
    assert instances.client(5).get(slow) == b"x"
    # The dead name: each attempt fails within the connect timeout; others stay fast.
    for _ in range(3):
        t1 = time.monotonic()
        with pytest.raises(redis.ResponseError):
            r.get(dead)
        assert time.monotonic() - t1 < 2.5
        assert r.get(live) == b"y"


def test_scripts_calling_refused_commands_never_reach_an_instance(proxy, instances):
    """Item 10: EVAL, SCRIPT LOAD and FUNCTION LOAD of code that calls SWAPDB, MOVE, SELECT,
    MIGRATE ... by name are refused; SWAPDB from a script emptied a shard's db 0 for everyone."""
    key = _key_on(30)
    r = proxy.client()
    r.set(key, "kept")
    c = RawClient(proxy.port)
    for script in ["return redis.call('SWAPDB', 0, 1)", "return redis.pcall('move', KEYS[1], 1)",
                   "redis.call('SELECT', 1) return redis.call('SET', KEYS[1], 'x')",
                   "return redis.call('MIGRATE', '127.0.0.1', 21999, KEYS[1], 0, 100)"]:
        c.send(command("EVAL", script, "1", key))
        reply = c.reply()
        assert isinstance(reply, str) and reply.startswith("ERR the script calls '"), reply
        c.send(command("SCRIPT", "LOAD", script))
        assert c.reply().startswith("ERR the script calls '")
    c.send(command("FUNCTION", "LOAD", "REPLACE", "#!lua name=bad\nredis.register_function("
                   "'f', function(keys) return redis.call('swapdb', 0, 1) end)"))
    assert c.reply() == ("ERR the script calls 'swapdb', which preshard refuses: the instances "
                         "are shared by every client of the proxy")
    # In MULTI it is refused at once and EXEC aborts, as for any refused command.
    c.send(command("MULTI") + command("EVAL", "return redis.call('swapdb', 0, 1)", "0") +
           command("EXEC"))
    replies = c.replies(3)
    assert replies[0] == "OK" and replies[1].startswith("ERR the script calls")
    assert replies[2].startswith("EXECABORT")
    assert instances.client(30).get(key) == b"kept"
    assert r.get(key) == b"kept"
    c.send(command("EVAL", "return redis.call('GET', KEYS[1])", "1", key))
    assert c.reply() == b"kept"


def _sanitized(pid):
    """ASan holds freed memory in its quarantine: RSS bounds mean nothing under it."""
    return "libasan" in open(f"/proc/{pid}/maps").read()


def _rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_the_queue_towards_a_paused_shard_is_bounded(make_proxy, instances):
    """Item 4: SETs of 8 MB to a paused shard queued without bound (32 x 64 MB: 2 GB). Beyond
    shard_max_queue_bytes a command gets its error at once; the queued ones run on RESUME."""
    limit = 16 << 20
    p = make_proxy(shard_max_queue_bytes=limit, pause_timeout_ms=60000)
    shard = 33
    key = _key_on(shard)
    admin = p.client()
    base = _rss_mb(p.proc.pid)
    assert admin.execute_command("PROXY", "PAUSE", shard) in (b"OK", True)
    c = RawClient(p.port, timeout=60)
    n, size = 16, 8 << 20
    value = b"v" * size
    sender = _sender(c.sock, b"".join(command("SET", key, value) for _ in range(n)))
    deadline = time.monotonic() + 30
    while p.info("stats").get("errors_limit", 0) < n - 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    held = _rss_mb(p.proc.pid) - base
    print(f"RSS while paused: +{held:.0f} MB for {n} x {size >> 20} MB (bound {limit >> 20} MB)")
    assert _sanitized(p.proc.pid) or held < (limit + size) / (1 << 20) + 40, held
    assert admin.execute_command("PROXY", "RESUME", shard) in (b"OK", True)
    replies = c.replies(n)
    sender.join(30)
    queued = -(-limit // (size + 40))  # admitted while less than the bound waits (framing too)
    assert replies[:queued] == ["OK"] * queued
    overloaded = (f"ERR shard {shard} is overloaded: {limit} bytes already queued for it "
                  f"(shard_max_queue_bytes)")
    assert replies[queued:] == [overloaded] * (n - queued)
    assert instances.client(shard).strlen(key) == size


def test_a_command_larger_than_the_queue_bound_is_not_refused_for_a_small_one(make_proxy,
                                                                            instances):
    """A 4 MB SET (bound 1 MB) found another client's small command waiting on its shard and
    was refused: a huge command could fail at random on a busy shard. It goes when the queue
    is under the bound; the command after it, with the bound passed, gets the error."""
    limit = 1 << 20
    p = make_proxy(shard_max_queue_bytes=limit, pause_timeout_ms=60000)
    shard = 34
    admin = p.client()
    assert admin.execute_command("PROXY", "PAUSE", shard) in (b"OK", True)
    small, big, third = p.raws_on_one_worker(3)  # the bound is per shard and worker thread
    small.send(command("SET", _key_on(shard, "small"), "v"))
    time.sleep(0.2)
    big.send(command("SET", _key_on(shard, "big"), b"x" * (4 << 20)))
    time.sleep(0.5)
    third.send(command("SET", _key_on(shard, "third"), "v"))
    assert third.replies(1) == [f"ERR shard {shard} is overloaded: {limit} bytes already "
                                f"queued for it (shard_max_queue_bytes)"]
    assert admin.execute_command("PROXY", "RESUME", shard) in (b"OK", True)
    assert small.replies(1) == ["OK"] and big.replies(1) == ["OK"]
    assert instances.client(shard).strlen(_key_on(shard, "big")) == 4 << 20


def test_a_client_that_does_not_read_its_replies_is_bounded(make_proxy, instances):
    """Item 4: one client pipelining 4,000 GETs of 1 MB without reading made the proxy hold
    4 GB (limit 256 MB). Replies of commands already sent keep arriving after reading paused;
    past client_output_hard_limit_bytes the client is closed and the memory given back. (60
    GETs of 4 MB: few enough bytes that they are all read, and sent, before the first reply.)"""
    hard = 48 << 20
    # (Replies gathered whole, not streamed: the limit on replies already asked for is tested.)
    p = make_proxy(client_max_output_bytes=4 << 20, client_output_hard_limit_bytes=hard,
                   reply_stream_bytes=64 << 20)
    shard = 34
    key, other = _key_on(shard), _key_on(35)
    r = p.client()
    r.set(key, b"g" * (4 << 20))
    r.set(other, "fine")
    base = _rss_mb(p.proc.pid)
    s = socket.create_connection(("127.0.0.1", p.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.sendall(b"".join(command("GET", key) for _ in range(60)))
    peak = 0
    deadline = time.monotonic() + 20
    while "over client_output_hard_limit_bytes" not in p.log_text():
        peak = max(peak, _rss_mb(p.proc.pid) - base)
        assert time.monotonic() < deadline, "the client was never closed"
        time.sleep(0.02)
    print(f"RSS peak +{peak:.0f} MB for 60 x 4 MB unread (hard limit {hard >> 20} MB)")
    assert _sanitized(p.proc.pid) or peak < (hard >> 20) + 60, peak
    assert r.get(other) == b"fine"
    s.settimeout(10)
    got = 0
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            got += len(d)
    except ConnectionResetError:
        pass
    assert got < 60 * (4 << 20)  # closed, not served whole
    s.close()
    assert r.info("clients")["connected_clients"] == 1


def _end_busy_scripts(inst):
    """Kills a script the test left running and restores the instance's busy threshold."""
    try:
        inst.script_kill()
    except redis.ResponseError:
        pass
    inst.config_set("busy-reply-threshold", 5000)


def test_an_endless_script_fails_alone_and_the_commands_behind_it_run(make_proxy, instances):
    """Item 10: an endless script made its shard answer BUSY for everyone, and the reply timeout
    failed every command queued behind it. Past timeout_ms preshard kills it (SCRIPT KILL from a
    side connection): its client gets the script's error, the others' commands run, in order.
    The instance must process the kill: its busy-reply-threshold is below timeout_ms."""
    shard = 40
    key = _key_on(shard)
    inst = instances.client(shard)
    inst.config_set("busy-reply-threshold", 100)
    p = make_proxy(timeout_ms=500)
    try:
        # On one worker, so on one instance connection: b's commands queue behind a's script.
        # (A client of another worker has a connection of its own, and gets the instance's BUSY
        # as from a redis-server.)
        a, b = p.raws_on_one_worker(2)
        a.send(command("EVAL", "while true do end", "1", key))
        time.sleep(0.05)
        b.send(b"".join(command("INCR", key) for _ in range(100)))
        t0 = time.monotonic()
        reply = a.reply()
        took = time.monotonic() - t0
        assert isinstance(reply, str) and "Script killed by user with SCRIPT KILL" in reply, reply
        assert b.replies(100) == list(range(1, 101))
        print(f"endless script killed after {took:.2f} s")
        assert took < 2.0
        a.send(command("PING"))
        assert a.reply() == "PONG"
        assert "a script ran past timeout_ms; kill: +OK" in p.log_text()
    finally:
        _end_busy_scripts(inst)


def test_a_clients_script_kill_reaches_a_busy_instance_past_the_script(make_proxy, instances):
    """A client's own SCRIPT KILL (Redis's test suite, multi.tcl "MULTI and script timeout") was
    queued on the shared connection behind the script it was meant to kill: a busy instance reads
    nothing more from that connection, so it waited for the proxy's own kill. It goes on a side
    connection per shard; FUNCTION KILL too (it was refused)."""
    shard = 41
    key = _key_on(shard)
    inst = instances.client(shard)
    inst.config_set("busy-reply-threshold", 100)
    p = make_proxy(timeout_ms=20000)  # the proxy's own kill would come only after 20 s
    try:
        lib = "#!lua name=spin\nredis.register_function('spin', function() while true do end end)"
        r = p.client()
        r.execute_command("FUNCTION", "LOAD", "REPLACE", lib)
        for run, kill in ((("EVAL", "while true do end", "1", key), "SCRIPT"),
                          (("FCALL", "spin", "1", key), "FUNCTION")):
            a = RawClient(p.port)
            a.send(command(*run))
            time.sleep(0.3)  # past busy-reply-threshold: the instance serves kills now
            t0 = time.monotonic()
            assert r.execute_command(kill, "KILL") in (b"OK", "OK", True)
            took = time.monotonic() - t0
            reply = a.reply()
            assert isinstance(reply, str) and "killed by user" in reply, reply
            assert took < 2.0, took
            try:
                r.execute_command(kill, "KILL")
                raise AssertionError("a second kill found a script")
            except redis.ResponseError as e:
                assert str(e).startswith("NOTBUSY No scripts in execution"), e
    finally:
        _end_busy_scripts(inst)
        for i in range(len(instances)):
            instances.client(i).function_flush()
