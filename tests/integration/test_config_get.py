"""CONFIG GET (issue 16, item 7): read-only from the instances, the value they all agree on;
CONFIG SET/REWRITE/RESETSTAT refused by default, run on every instance with config_commands:
all_shards (and still subject to the user's ACL). redis-benchmark no longer warns."""
import subprocess

import redis

from conftest import command


def test_config_get_answers_what_every_instance_agrees_on(proxy, instances):
    r = proxy.client()
    assert r.config_get("maxmemory-policy") == {"maxmemory-policy": "noeviction"}
    assert r.config_get("save") == {"save": ""}
    multi = r.execute_command("CONFIG", "GET", "appendonly", "databases", "nosuch")
    assert dict(zip(multi[::2], multi[1::2])) == {b"appendonly": b"no", b"databases": b"16"}
    # The port differs on every instance: left out, never one shard's value.
    assert r.config_get("port") == {}
    everything = r.config_get("*")
    assert "port" not in everything and "dir" not in everything
    assert everything["maxmemory-policy"] == "noeviction" and len(everything) > 100
    # One instance set apart: that setting is no longer common.
    instances.client(9).config_set("maxmemory-policy", "allkeys-lru")
    try:
        assert r.config_get("maxmemory-policy") == {}
    finally:
        instances.client(9).config_set("maxmemory-policy", "noeviction")
    # RESP3: a map, as redis-server answers a RESP3 client.
    raw = proxy.raw()
    raw.send(command("HELLO", "3"))
    raw.raw_reply()
    raw.send(command("CONFIG", "GET", "maxmemory-policy"))
    assert raw.raw_reply() == b"%1\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"
    for args in (("SET", "maxmemory", "1"), ("REWRITE",), ("RESETSTAT",)):
        try:
            r.execute_command("CONFIG", *args)
            raise AssertionError(args)
        except redis.ResponseError as e:
            assert "is refused by preshard" in str(e)


def test_redis_benchmark_does_not_warn(proxy):
    out = subprocess.run(["redis-benchmark", "-p", str(proxy.port), "-n", "200", "-c", "2", "-q",
                          "-t", "set"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "WARNING" not in out.stdout + out.stderr, out.stdout + out.stderr
    assert "SET:" in out.stdout


def test_config_set_reaches_every_instance_when_the_operator_allows_it(make_proxy, instances):
    p = make_proxy(config_commands="all_shards",
                   users=["user default on nopass ~* &* +@all",
                          "user app on >apppw ~* &* +@all -@admin"])
    r = p.client()
    try:
        assert r.execute_command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru",
                                 "hz", "11")
        for i in range(len(instances)):
            assert instances.client(i).config_get("maxmemory-policy") == {
                "maxmemory-policy": "allkeys-lru"}, i
        assert r.config_get("hz") == {"hz": "11"}
        # Redis's own error for a bad value, from the instances, and nothing half applied.
        direct = instances.client(0)
        for c in (r, direct):
            try:
                c.execute_command("CONFIG", "SET", "maxmemory-policy", "nosuch")
                raise AssertionError(c)
            except redis.ResponseError as e:
                words = str(e)
            if c is r:
                mine = words
        assert mine == words and "maxmemory-policy" in mine
        assert r.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
        instances.client(5).incr("k")  # a command the stats count
        for _ in range(3):
            r.get("k")
        assert r.info("commandstats")["cmdstat_get"]["calls"] >= 3
        assert r.execute_command("CONFIG", "RESETSTAT")
        assert instances.client(5).info("stats")["total_commands_processed"] <= 5
        # The proxy's own statistics start again too, as Redis's do (the suite's cmdrstat).
        r.get("k")
        stats = r.info("commandstats")
        assert stats["cmdstat_get"]["calls"] == 1, stats
        assert r.info("stats")["total_commands_processed"] <= 4
        # An application's user without @admin gets Redis's NOPERM, nothing sent.
        app = p.client(username="app", password="apppw")
        try:
            app.execute_command("CONFIG", "SET", "hz", "12")
            raise AssertionError("app ran CONFIG SET")
        except redis.ResponseError as e:
            assert str(e).startswith("this user has no permissions") or "NOPERM" in str(e), e
        assert r.config_get("hz") == {"hz": "11"}
        # In MULTI it is refused as a whole-keyspace command (it would be one shard's only).
        raw = p.raw()
        raw.send(command("MULTI") + command("CONFIG", "SET", "hz", "13") + command("EXEC"))
        replies = raw.replies(3)
        assert replies[0] == "OK" and "cannot be queued" in replies[1], replies
        assert replies[2].startswith("EXECABORT"), replies
        assert r.config_get("hz") == {"hz": "11"}
    finally:
        for i in range(len(instances)):
            instances.client(i).config_set("maxmemory-policy", "noeviction")
            instances.client(i).config_set("hz", "10")
