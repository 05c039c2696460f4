"""The proxy's command table (COMMAND, from its rows) against COMMAND INFO of the installed
redis-server: every Redis command is in the table, and every row states Redis's facts."""
import redis


def _raw_command(port, *args):
    c = redis.Connection(port=port)
    c.send_command(*args)
    out = c.read_response()
    c.disconnect()
    return out


def _entries(raw):
    """name -> (arity, flags, first, last, step, {subcommand name: entry}, ACL categories)"""
    out = {}
    for e in raw:
        name = e[0].decode()
        flags = {f.decode() if isinstance(f, bytes) else f for f in e[2]}
        subs = _entries(e[9]) if len(e) > 9 else {}
        cats = {c.decode() if isinstance(c, bytes) else c for c in e[6]}
        out[name] = (e[1], flags, e[3], e[4], e[5], subs, cats)
    return out


def test_every_row_matches_redis(proxy, instances):
    ours = _entries(_raw_command(proxy.port, "COMMAND"))
    theirs = _entries(_raw_command(instances[0].port, "COMMAND"))
    missing = sorted(set(theirs) - set(ours))
    assert not missing, f"Redis commands missing from the table: {missing}"
    checked = 0
    for name, mine in ours.items():
        if name == "proxy":
            continue  # preshard's own
        assert name in theirs, f"{name} is not a Redis command"
        real = theirs[name]
        assert mine[0] == real[0], f"{name}: arity {mine[0]} != {real[0]}"
        assert mine[1] == real[1], f"{name}: flags {sorted(mine[1])} != {sorted(real[1])}"
        assert mine[2:5] == real[2:5], f"{name}: key range {mine[2:5]} != {real[2:5]}"
        assert mine[6] == real[6], f"{name}: ACL categories {mine[6]} != {real[6]}"
        for sub, s in mine[5].items():
            assert sub in real[5], f"{sub} is not a Redis subcommand"
            r = real[5][sub]
            assert (s[0], s[1], s[2:5], s[6]) == (r[0], r[1], r[2:5], r[6]), sub
            checked += 1
        checked += 1
    assert checked > 300


def test_the_unit_tests_snapshot_is_the_installed_redis(instances):
    """tests/data/redis-command-info.txt, which the Catch2 test checks every row against, is
    exactly what the installed redis-server says."""
    import pathlib
    import sys
    data = pathlib.Path(__file__).resolve().parents[1] / "data"
    sys.path.insert(0, str(data))
    import command_snapshot
    snapshot = (data / "redis-command-info.txt").read_text().splitlines()
    assert command_snapshot.lines(instances[0].port) == snapshot


def test_command_count_and_info(proxy):
    assert _raw_command(proxy.port, "COMMAND", "COUNT") >= 240
    info = _raw_command(proxy.port, "COMMAND", "INFO", "get", "nosuch", "zunionstore")
    assert info[0][0] == b"get" and info[0][1] == 2
    assert info[1] is None
    assert b"movablekeys" in info[2][2]
    keys = _raw_command(proxy.port, "COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b")
    assert keys == [b"d", b"a", b"b"]
