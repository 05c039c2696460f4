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
