"""Pub/sub through the proxy: channels hashed like keys, patterns on every shard, shard
channels, Redis's replies and counts, merged PUBSUB, and what happens when an instance goes."""
import time

import pytest
import redis

from conftest import RawClient, ReplyError, command, keys_on_distinct_shards, run_commands, shard_of


def _subscribe_replies(raw, cmds, expected_replies, pipelined):
    """(P|S)SUBSCRIBE answers one reply per topic: read exactly that many."""
    if pipelined:
        raw.send(b"".join(command(*c) for c in cmds))
    else:
        for c in cmds:
            raw.send(command(*c))
    return raw.replies(expected_replies)


@pytest.mark.parametrize("pipelined", [False, True])
def test_channels_and_a_pattern_across_shards(proxy, instances, pipelined):
    channels = keys_on_distinct_shards(4, "news:")
    sub = proxy.raw()
    got = _subscribe_replies(sub, [("SUBSCRIBE", *channels), ("PSUBSCRIBE", "news:*")], 5,
                             pipelined)
    assert got == [[b"subscribe", c.encode(), i + 1] for i, c in enumerate(channels)] + \
        [[b"psubscribe", b"news:*", 5]]
    pub = proxy.client()
    for i, c in enumerate(channels):
        # One channel subscription and one pattern subscription receive it, as in Redis.
        assert pub.publish(c, f"m{i}") == 2
    messages = sub.replies(2 * len(channels))
    for i, c in enumerate(channels):
        assert [b"message", c.encode(), f"m{i}".encode()] in messages
        assert [b"pmessage", b"news:*", c.encode(), f"m{i}".encode()] in messages
    # Published on the instance directly (as another proxy would), it arrives too.
    instances.client(shard_of(channels[0])).publish(channels[0], "direct")
    assert sub.replies(2)[0] in ([b"message", channels[0].encode(), b"direct"],
                                 [b"pmessage", b"news:*", channels[0].encode(), b"direct"])
    # A channel that matches only the pattern, published on some shard.
    assert pub.publish("news:other", "p") == 1
    assert sub.reply() == [b"pmessage", b"news:*", b"news:other", b"p"]


@pytest.mark.parametrize("pipelined", [False, True])
def test_replies_and_wording_match_redis(proxy, instances, pipelined):
    script = [("SUBSCRIBE", "a", "b", "a"), ("PSUBSCRIBE", "p*"), ("SSUBSCRIBE", "s1"),
              ("SUBSCRIBE", "c"), ("PING",), ("PING", "x"), ("PING", "x", "y"), ("GET", "k"),
              ("MULTI",),
              ("UNSUBSCRIBE", "a", "zz"), ("SUNSUBSCRIBE", "s1"), ("PUNSUBSCRIBE", "p*"),
              ("UNSUBSCRIBE", "c", "b"), ("UNSUBSCRIBE",), ("PUNSUBSCRIBE",), ("SUNSUBSCRIBE",),
              ("GET", "k"), ("PING",)]
    replies = 22  # one per command, but one per topic for (P|S)(UN)SUBSCRIBE

    def transcript(port):
        c = RawClient(port)
        if pipelined:
            c.send(b"".join(command(*s) for s in script))
        else:
            for s in script:
                c.send(command(*s))
                time.sleep(0.005)
        return c.replies(replies)

    instances[0].client().flushall()
    assert transcript(proxy.port) == transcript(instances[0].port)


def test_shard_channels(proxy, instances):
    a, b = keys_on_distinct_shards(2, "sc:")
    sub = proxy.raw()
    assert run_commands(sub, [("SSUBSCRIBE", a, b)], False) == [
        "CROSSSHARD Keys in request don't hash to the same shard"]
    assert _subscribe_replies(sub, [("SSUBSCRIBE", a, "{%s}x" % a)], 2, False) == [
        [b"ssubscribe", a.encode(), 1], [b"ssubscribe", ("{%s}x" % a).encode(), 2]]
    pub = proxy.client()
    assert pub.execute_command("SPUBLISH", a, "hello") == 1
    assert sub.reply() == [b"smessage", a.encode(), b"hello"]
    assert instances.client(shard_of(a)).execute_command("PUBSUB", "SHARDNUMSUB", a) == [
        a.encode(), 1]


def test_pubsub_introspection_is_merged(proxy, instances):
    channels = keys_on_distinct_shards(5, "intro:")
    sub = proxy.raw()
    _subscribe_replies(sub, [("SUBSCRIBE", *channels), ("PSUBSCRIBE", "x*", "y*")], 7, True)
    # A subscriber of its own, directly on an instance.
    direct = instances.client(shard_of(channels[0])).pubsub()
    direct.subscribe(channels[0])
    direct.get_message(timeout=5)
    r = proxy.client()
    assert sorted(r.pubsub_channels("intro:*")) == sorted(c.encode() for c in channels)
    numsub = r.pubsub_numsub(channels[0], channels[1], "nobody")
    assert numsub == [(channels[0].encode(), 2), (channels[1].encode(), 1), (b"nobody", 0)]
    assert r.pubsub_numpat() == 2
    direct.close()


def test_one_instance_subscription_serves_every_client_of_a_worker(proxy, instances):
    subs = [proxy.client().pubsub() for _ in range(20)]
    for s in subs:
        s.subscribe("fanout")
        assert s.get_message(timeout=5)["type"] == "subscribe"
    inst = instances.client(shard_of("fanout"))
    # One per worker thread that serves a subscriber (20 clients: every worker, all but surely).
    assert inst.pubsub_numsub("fanout") == [(b"fanout", proxy.workers())]
    assert proxy.client().publish("fanout", "all") == 20  # Redis counts clients
    for s in subs:
        m = s.get_message(timeout=5)
        assert m["type"] == "message" and m["data"] == b"all"
    for s in subs[:-1]:
        s.unsubscribe("fanout")
        s.get_message(timeout=5)
    # A worker whose last subscriber left unsubscribes its instance connection: bounded wait.
    deadline = time.monotonic() + 5
    while inst.pubsub_numsub("fanout") != [(b"fanout", 1)] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert inst.pubsub_numsub("fanout") == [(b"fanout", 1)]
    subs[-1].close()  # the last one leaves: the proxy unsubscribes the instance
    deadline = time.monotonic() + 5
    while inst.pubsub_numsub("fanout") != [(b"fanout", 0)] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert inst.pubsub_numsub("fanout") == [(b"fanout", 0)]
    for s in subs[:-1]:
        s.close()


def _counts(r, port_clients, channel, pattern):
    """PUBLISH and NUMSUB as a client sees them, over subscribers made by `port_clients`:
    two of `channel`, two of `pattern` (one of them also subscribed to `channel`)."""
    subs = [port_clients().pubsub() for _ in range(3)]
    subs[0].subscribe(channel)
    subs[1].subscribe(channel)
    subs[1].psubscribe(pattern)
    subs[2].psubscribe(pattern)
    for s, n in zip(subs, (1, 2, 1)):
        for _ in range(n):
            assert s.get_message(timeout=5)["type"] in ("subscribe", "psubscribe")
    seen = [r.publish(channel, "m"), r.pubsub_numsub(channel)[0][1]]
    subs[1].unsubscribe(channel)
    subs[1].get_message(timeout=5)
    # Through preshard with two workers, subs[1]'s worker may have been the channel's only
    # subscriber there: its UNSUBSCRIBE to the instance is then still in flight, and the
    # instance counts that connection until it lands (README: pub/sub counts).
    deadline = time.monotonic() + 5
    while r.pubsub_numsub(channel)[0][1] != 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    seen += [r.publish(channel, "m"), r.pubsub_numsub(channel)[0][1]]
    subs[0].close()  # its server notices the close in its own time
    deadline = time.monotonic() + 5
    while r.pubsub_numsub(channel)[0][1] != 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    seen += [r.publish(channel, "m")]
    for s in subs[1:]:
        s.close()
    return seen


@pytest.mark.parametrize("threads", [1, 2])
def test_publish_and_numsub_count_clients_as_redis_does(make_proxy, instances, threads):
    """Every worker has one subscriber connection per shard, so the instance counted 1 where
    Redis counts every client (Redis's suite: PUBLISH/SUBSCRIBE with two clients). Compared
    with the same subscriptions made directly on a redis-server."""
    p = make_proxy(threads=threads)
    direct_port = instances[0].port
    direct = _counts(redis.Redis(port=direct_port), lambda: redis.Redis(port=direct_port),
                     "direct:chan.a", "direct:chan.*")
    assert direct == [4, 2, 3, 1, 2]  # (2 + 2 patterns, then 1 + 2, then 0 + 2)
    via = _counts(p.client(), p.client, "via:chan.a", "via:chan.*")
    assert via == direct


def test_subscribed_mode_refuses_other_commands_then_ends(proxy):
    raw = proxy.raw()
    assert run_commands(raw, [("SUBSCRIBE", "m")], False) == [["subscribe".encode(), b"m", 1]]
    out = run_commands(raw, [("SET", "k", "v"), ("PUBLISH", "m", "x")], True)
    assert out == [
        "ERR Can't execute 'set': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
        "are allowed in this context",
        "ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
        "RESET are allowed in this context"]
    assert run_commands(raw, [("RESET",), ("SET", "k", "v")], True) == ["RESET", "OK"]


def test_losing_the_instance_disconnects_its_subscribers(proxy, instances):
    ch = "lost:ch"
    shard = shard_of(ch)
    other = next(c for c in keys_on_distinct_shards(3, "kept:") if shard_of(c) != shard)
    victim = proxy.raw()
    _subscribe_replies(victim, [("SUBSCRIBE", ch)], 1, False)
    survivor = proxy.raw()
    _subscribe_replies(survivor, [("SUBSCRIBE", other)], 1, False)
    instances[shard].stop()
    assert victim.closed(timeout=5)  # it may have missed messages: Redis would drop it too
    # Subscribing there while it is down: an error, then the connection closes.
    again = proxy.raw()
    again.send(command("SUBSCRIBE", ch))
    err = again.reply()
    assert isinstance(err, ReplyError) and f"shard {shard} is unavailable" in err
    assert again.closed(timeout=5)
    # Other shards' subscribers are untouched.
    assert proxy.client().publish(other, "still") == 1
    assert survivor.reply() == [b"message", other.encode(), b"still"]
    instances.ensure_running()
    deadline = time.monotonic() + 10
    while True:
        c = proxy.raw()
        c.send(command("SUBSCRIBE", ch))
        r = c.reply()
        if not isinstance(r, ReplyError) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert r == [b"subscribe", ch.encode(), 1]
    assert proxy.client().publish(ch, "back") == 1
    assert c.reply() == [b"message", ch.encode(), b"back"]


def test_a_subscriber_that_does_not_read_is_dropped(make_proxy):
    import socket
    proxy = make_proxy(client_max_output_bytes=1 << 20)
    slow = RawClient(proxy.port)
    slow.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.send(command("SUBSCRIBE", "flood"))
    assert slow.reply() == [b"subscribe", b"flood", 1]
    pub = proxy.client()
    payload = "x" * 10000
    deadline = time.monotonic() + 30
    while "over client_max_output_bytes" not in proxy.log_text():
        assert time.monotonic() < deadline, "the subscriber was never dropped"
        for _ in range(100):  # 1 MB a round, until the limit plus socket buffers are full
            pub.publish("flood", payload)
    assert slow.closed(timeout=10)
    # The proxy still serves subscribers that read.
    fresh = proxy.client().pubsub()
    fresh.subscribe("flood")
    assert fresh.get_message(timeout=5)["type"] == "subscribe"
    assert pub.publish("flood", "after") == 1
    assert fresh.get_message(timeout=5)["data"] == b"after"
    fresh.close()


def test_publish_inside_multi_on_the_transactions_shard(proxy):
    # kombu's Redis result backend: SET the result and PUBLISH on the key's own name, in MULTI.
    sub = proxy.client().pubsub()
    sub.subscribe("celery-task-meta-1")
    assert sub.get_message(timeout=5)["type"] == "subscribe"
    r = proxy.client()
    with r.pipeline(transaction=True) as p:
        p.set("celery-task-meta-1", "done")
        p.publish("celery-task-meta-1", "done")
        assert p.execute() == [True, 1]
    assert sub.get_message(timeout=5)["data"] == b"done"
    sub.close()
    # A transaction of PUBLISH alone runs on its channel's shard.
    raw = proxy.raw()
    raw.send(command("MULTI") + command("PUBLISH", "alone", "x") + command("EXEC"))
    assert raw.replies(3) == ["OK", "QUEUED", [0]]
    # A channel on another shard than the transaction's keys: CROSSSHARD, and EXEC aborts.
    a, b = keys_on_distinct_shards(2, "pt")
    raw.send(command("MULTI") + command("SET", a, "1") + command("PUBLISH", b, "x") +
             command("EXEC") + command("GET", a))
    out = raw.replies(5)
    assert out[:2] == ["OK", "QUEUED"]
    assert out[2].startswith("CROSSSHARD")
    assert out[3].startswith("EXECABORT")
    assert out[4] is None


@pytest.mark.parametrize("threads", [1, 2])
def test_spublish_counts_clients_as_redis_does(make_proxy, instances, threads):
    """SPUBLISH counted the proxy's subscriber connections (one per worker): 1 where Redis
    counts 3 clients. Compared with the same subscriptions made directly on a redis-server."""
    p = make_proxy(threads=threads)

    def spublish_count(port, channel):
        subs = [RawClient(port) for _ in range(3)]
        for s in subs:
            s.send(command("SSUBSCRIBE", channel))
            assert s.reply() == [b"ssubscribe", channel.encode(), 1]
        pub = RawClient(port)
        pub.send(command("SPUBLISH", channel, "m"))
        n = pub.reply()
        for s in subs:
            assert s.reply() == [b"smessage", channel.encode(), b"m"]
            s.sock.close()
        return n

    assert spublish_count(instances[0].port, "direct:shard") == 3
    assert spublish_count(p.port, "via:shard") == 3
