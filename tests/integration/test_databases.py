"""SELECT (issue 16, item 5): databases 0 .. databases-1 per client, on instance connections of
that database; keyspace commands per database; SWAPDB and MOVE stay refused."""
import subprocess

from conftest import command, keys_on_distinct_shards, shard_of


def test_select_keeps_databases_apart_on_every_shard(proxy, instances):
    keys = keys_on_distinct_shards(20, "db")
    zero, one = proxy.client(db=0), proxy.client(db=1)  # redis-py sends SELECT 1 on connect
    one.mset({k: f"one-{k}" for k in keys})
    zero.set(keys[0], "zero")
    assert zero.mget(keys[:3]) == [b"zero", None, None]
    assert one.mget(keys[:3]) == [f"one-{k}".encode() for k in keys[:3]]
    # Really in the instances' db 1, on the keys' own shards.
    for k in keys[:5]:
        direct = instances.all[shard_of(k)].client()
        direct.execute_command("SELECT", 1)
        assert direct.get(k) == f"one-{k}".encode()
    assert one.dbsize() == 20 and zero.dbsize() == 1
    assert sorted(one.keys("db*")) == sorted(k.encode() for k in keys)
    assert sorted(one.scan_iter("db*", count=50)) == sorted(k.encode() for k in keys)
    assert zero.keys("db*") == [keys[0].encode()]
    info = zero.info("keyspace")
    assert info["db0"]["keys"] >= 1 and info["db1"]["keys"] == 20
    # Transactions, scripts and blocking commands run in the client's db too.
    with one.pipeline(transaction=True) as p:
        p.incr("{t}n")
        p.get("{t}n")
        assert p.execute() == [1, b"1"]
    assert zero.get("{t}n") is None
    assert one.eval("return redis.call('GET', KEYS[1])", 1, keys[1]) == f"one-{keys[1]}".encode()
    one.rpush("{b}l", "x")
    assert one.blpop("{b}l", 1) == (b"{b}l", b"x")
    assert zero.blpop("{b}l", 0.1) is None
    # FLUSHDB empties only the client's db.
    assert one.flushdb() is True
    assert one.dbsize() == 0 and zero.get(keys[0]) == b"zero"


def test_select_errors_and_switching_on_one_connection(make_proxy):
    p = make_proxy(databases=4)
    raw = p.raw()
    raw.send(command("SELECT", "3") + command("SET", "sw", "three") + command("SELECT", "4") +
             command("SELECT", "-1") + command("SELECT", "x") + command("GET", "sw") +
             command("SELECT", "0") + command("GET", "sw") + command("CLIENT", "INFO") +
             command("SELECT", "3") + command("RESET") + command("GET", "sw") +
             command("SWAPDB", "0", "1") + command("MOVE", "sw", "1"))
    out = raw.replies(14)
    assert out[:8] == ["OK", "OK", "ERR DB index is out of range", "ERR DB index is out of range",
                       "ERR value is not an integer or out of range", b"three", "OK", None]
    assert b" db=0 " in out[8]
    assert out[9:12] == ["OK", "RESET", None]  # RESET selects db 0, as Redis's
    assert out[12].startswith("ERR command 'swapdb' is refused by preshard")
    assert out[13].startswith("ERR command 'move' is refused by preshard")
    # A pipeline that switches back and forth keeps each command in its own db and in order.
    cmds = b""
    for i in range(50):
        cmds += command("SELECT", str(i % 3)) + command("INCR", "flip")
    raw.send(cmds)
    got = raw.replies(100)[1::2]
    assert got == [i // 3 + 1 for i in range(50)]


def test_select_while_watching_loses_the_watch(proxy):
    raw = proxy.raw()
    raw.send(command("WATCH", "{w}k") + command("SELECT", "2") + command("MULTI") +
             command("SET", "{w}k", "x") + command("EXEC") + command("GET", "{w}k"))
    assert raw.replies(6) == ["OK", "OK", "OK", "QUEUED", None, None]


def test_redis_cli_n(proxy):
    run = lambda *a: subprocess.run(["redis-cli", "-p", str(proxy.port), *a], capture_output=True,
                                    text=True, timeout=10).stdout.strip()
    assert run("-n", "5", "SET", "cli-n", "five") == "OK"
    assert run("-n", "5", "GET", "cli-n") == "five"
    assert run("GET", "cli-n") == ""
    assert run("-n", "5", "DBSIZE") == "1"
