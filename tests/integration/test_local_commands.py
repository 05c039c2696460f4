"""Commands preshard answers itself."""
import redis

from conftest import command, shard_of


def test_ping_echo_select_hello(proxy):
    r = proxy.client()
    assert r.ping() is True
    raw = proxy.raw()
    raw.send(command("PING", "hi") + command("PING", "a", "b"))
    assert raw.replies(2) == [b"hi", "ERR wrong number of arguments for 'ping' command"]
    assert r.echo("x\r\ny") == b"x\r\ny"
    assert r.execute_command("SELECT", 0) is True
    hello = r.execute_command("HELLO", "2", "SETNAME", "me")
    d = dict(zip(hello[::2], hello[1::2]))
    assert d[b"proto"] == 2 and d[b"mode"] == b"standalone"
    assert r.client_getname() == "me"
    raw = proxy.raw()
    raw.send(command("HELLO", "x") + command("SELECT", "x") + command("AUTH", "pw") +
             command("AUTH", "default", "pw") + command("CLIENT", "SETNAME", "a b"))
    assert raw.replies(5) == [
        "ERR Protocol version is not an integer or out of range",
        "ERR value is not an integer or out of range",
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?",
        "OK",
        "ERR Client names cannot contain spaces, newlines or special characters.",
    ]


def test_info_sections(proxy):
    r = proxy.client()
    for _ in range(10):
        r.set("i", 1)
    info = r.info()
    assert info["config_generation"] == 1
    assert info["instances"] == 128
    assert info["hash"] == "sha1"
    assert info["connected_clients"] >= 1
    assert info["total_commands_processed"] >= 10
    assert "instantaneous_ops_per_sec" in info
    assert "uptime_in_seconds" in info
    only = r.info("clients")
    assert "connected_clients" in only and "config_file" not in only
    assert r.info("proxy")["config_file"].endswith(".yaml")


def test_client_id_and_info(proxy):
    a, b = proxy.client(), proxy.client()
    ia, ib = a.client_id(), b.client_id()
    assert ia != ib
    assert f"id={ia} " in a.execute_command("CLIENT", "INFO").decode()


def test_help_subcommands_go_to_an_instance(proxy):
    r = proxy.client()
    raw = proxy.raw()
    raw.send(command("OBJECT", "HELP"))
    assert any(b"ENCODING" in line.encode() for line in raw.reply())
    assert r.execute_command("PROXY", "HELP")[0].startswith(b"PROXY")
    assert r.time()[0] > 0


def test_info_counts_error_replies_by_kind(make_proxy, clean):
    # Shard of "k1" is an instance that refuses connections: its commands fail as unavailable.
    addresses = clean.addresses()
    dead = shard_of("k1")
    addresses[dead] = "127.0.0.1:21999"
    p = make_proxy(addresses)
    raw = p.raw()
    raw.send(command("NOSUCH") + command("GET") + command("MGET", "a{1}", "a{2}") +
             command("SET", "a{1}", "1", "x") + command("GET", "k1") + command("RENAME", "a", "b"))
    replies = raw.replies(6)
    assert replies[0].startswith("ERR unknown command")
    assert replies[4].startswith(f"ERR shard {dead} is unavailable")
    info = p.client().info("stats")
    assert info["errors_unknown_command"] == 1
    assert info["errors_wrong_arity"] == 1
    assert info["errors_shard_unavailable"] == 1
    assert shard_of("a") != shard_of("b")
    assert info["errors_crossshard"] == 1
    assert info["errors_shard_timeout"] == 0
