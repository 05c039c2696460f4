"""COMMAND DOCS with Redis's own docs plus preshard's notes, and the COMMAND subcommands the
instances answer (issue 16, items 6 and 8)."""
import re
import subprocess

from conftest import RawClient, command


def _ask(port, *args):
    c = RawClient(port)
    c.send(command(*args))
    try:
        return c.reply()
    finally:
        c.close()


def _docs(port, *names):
    raw = _ask(port, "COMMAND", "DOCS", *names)
    out = {}
    for name, doc in zip(raw[::2], raw[1::2]):
        out[name] = dict(zip(doc[::2], doc[1::2]))
    return out


def test_command_docs_are_redis_docs_with_preshards_notes(proxy, spares):
    (reference,) = spares(1)
    got = _docs(proxy.port, "get", "swapdb", "mget", "proxy")
    want = _docs(reference.port, "get", "swapdb", "mget")
    for name in (b"get", b"mget"):
        note = got[name].pop(b"preshard")
        assert note.startswith(b"sent to the shard") or note.startswith(b"split")
        assert got[name] == want[name]
    assert got[b"swapdb"][b"summary"] == b"(refused by preshard) " + want[b"swapdb"][b"summary"]
    assert got[b"swapdb"][b"preshard"] == b"refused by preshard"
    assert b"PROXY HELP" in got[b"proxy"][b"summary"]
    # Every command, as the instance documents it, plus PROXY.
    everything = _ask(proxy.port, "COMMAND", "DOCS")
    assert len(everything) // 2 == len(_ask(reference.port, "COMMAND", "DOCS")) // 2 + 1
    # redis-cli's help reads them: group and arguments, as against a redis-server.
    out = subprocess.run(["redis-cli", "-p", str(proxy.port), "help", "get"],
                         capture_output=True, text=True, timeout=10).stdout
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "GET key" in out and "group: string" in out, out
    # RESP3: a map of maps.
    raw = proxy.raw()
    raw.send(command("HELLO", "3"))
    raw.raw_reply()
    raw.send(command("COMMAND", "DOCS", "get"))
    assert raw.raw_reply().startswith(b"%1\r\n$3\r\nget\r\n%6\r\n")


def test_command_subcommands_the_instances_answer(proxy, spares):
    (reference,) = spares(1)
    for args in (("GETKEYSANDFLAGS", "set", "a", "b"), ("GETKEYSANDFLAGS", "lmove", "a", "b",
                 "left", "right"), ("HELP",)):
        assert _ask(proxy.port, "COMMAND", *args) == _ask(reference.port, "COMMAND", *args)
    for args in (("FILTERBY", "ACLCAT", "hyperloglog"), ("FILTERBY", "PATTERN", "x*"),
                 ("FILTERBY", "MODULE", "nosuch")):
        assert sorted(_ask(proxy.port, "COMMAND", "LIST", *args)) == \
            sorted(_ask(reference.port, "COMMAND", "LIST", *args)), args


def _raw(port, protocol, *args):
    c = RawClient(port)
    try:
        if protocol == 3:
            c.send(command("HELLO", "3"))
            c.raw_reply()
        c.send(command(*args))
        return c.raw_reply()
    finally:
        c.close()


def test_command_info_is_the_instances_with_key_specs_plus_proxy(proxy, spares, make_proxy):
    """Tools that read key specs, tips and subcommands get Redis's own (the same bytes as a
    redis-server, RESP2 and RESP3); PROXY's row comes from the table; shard 0 down, the table's
    rows still answer."""
    (reference,) = spares(1)
    for protocol in (2, 3):
        # (Not a container such as CLIENT: each redis-server lists subcommands in its own
        # dict order.)
        for args in (("COMMAND", "INFO", "get", "set", "georadius", "nosuch"),
                     ("COMMAND", "INFO", "xreadgroup", "sort", "eval")):
            got = _raw(proxy.port, protocol, *args)
            assert got == _raw(reference.port, protocol, *args), (protocol, args)
    info = _ask(proxy.port, "COMMAND", "INFO", "get")[0]
    assert info[8] and info[8][0][:2] == [b"flags", ["RO", "access"]]  # a key spec
    own = _ask(proxy.port, "COMMAND", "INFO", "proxy")[0]
    assert own[0] == b"proxy" and own[1] == -2
    everything = _ask(proxy.port, "COMMAND")
    assert len(everything) == len(_ask(reference.port, "COMMAND")) + 1
    assert _ask(proxy.port, "COMMAND", "COUNT") == len(everything)
    dead = make_proxy(["127.0.0.1:23951"])  # nothing listens there
    fallback = _ask(dead.port, "COMMAND", "INFO", "get")[0]
    assert fallback[:7] == info[:7]
