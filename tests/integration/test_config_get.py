"""CONFIG GET (issue 16, item 7): read-only from the instances, the value they all agree on;
CONFIG SET/REWRITE/RESETSTAT stay refused. redis-benchmark no longer warns."""
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
