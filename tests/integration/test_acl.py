"""Users and rights (issue 15): preshard and a redis-server with the same aclfile answer the
same transcript byte for byte; reloads, protected mode, --check and the key-access data."""
import pathlib
import subprocess

import pytest

from conftest import BIN, ROOT, RawClient, command, wait_port

REDIS_PORT = 23460  # the reference redis-server of this file

ACLFILE = """\
user default on >defpass ~* &* +@all
user alice on >secret ~app:* %R~ro:* %W~wo:* &app:* +@read +@write +@transaction -@dangerous
user bob off >bobpass ~* &* +@all
user admin on >adminpw ~* &* +@all
"""

# Sent in one write to each server; the replies must be the same bytes, in the same order.
TRANSCRIPT = [
    ("PING",), ("GET", "app:1"), ("NOSUCHCMD", "x"), ("GET",), ("AUTH", "wrong"),
    ("AUTH", "bob", "bobpass"), ("AUTH", "nobody", "x"), ("HELLO", "3"),
    ("HELLO", "2", "AUTH", "alice", "wrong"), ("AUTH", "alice", "secret"), ("ACL", "WHOAMI"),
    ("SET", "app:1", "v"), ("GET", "app:1"), ("SET", "other", "v"), ("GET", "ro:1"),
    ("SET", "ro:1", "x"), ("SET", "wo:1", "x"), ("GET", "wo:1"), ("SET", "wo:1", "y", "GET"),
    ("INCR", "wo:2"), ("LPUSH", "wo:list", "a"), ("FLUSHALL",),
    ("CONFIG", "SET", "maxmemory", "1"), ("KEYS", "*"), ("MGET", "app:1", "other"),
    ("MGET", "app:1", "ro:1"), ("DEL", "app:1"), ("PUBLISH", "app:x", "m"),
    ("PUBLISH", "other", "m"), ("EVAL", "return 1", "0"), ("ACL", "USERS"),
    ("MULTI",), ("SET", "other", "1"), ("SET", "app:2", "1"), ("EXEC",),
    ("AUTH", "admin", "adminpw"), ("ACL", "USERS"), ("ACL", "WHOAMI"),
    ("ACL", "DRYRUN", "alice", "set", "other", "v"), ("ACL", "DRYRUN", "alice", "get", "app:1"),
    ("ACL", "DRYRUN", "alice", "flushall"), ("ACL", "DRYRUN", "alice", "publish", "other", "m"),
    ("ACL", "DRYRUN", "nobody", "get", "x"), ("ACL", "GETUSER", "nobody"),
    ("AUTH", "alice", "secret"), ("PSUBSCRIBE", "app:x*"), ("SUBSCRIBE", "other"),
    ("PSUBSCRIBE", "app:*"), ("RESET",), ("PING",), ("AUTH", "defpass"), ("PING",),
]


@pytest.fixture
def reference(tmp_path):
    """A redis-server with the same aclfile, stopped by its PID."""
    acl = tmp_path / "users.acl"
    acl.write_text(ACLFILE)
    proc = subprocess.Popen(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--aclfile", str(acl)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(REDIS_PORT, proc=proc)
        yield acl
    finally:
        proc.kill()
        proc.wait()


def transcript(port, commands):
    c = RawClient(port)
    c.send(b"".join(command(*cmd) for cmd in commands))
    return [c.raw_reply() for _ in commands]


def test_the_same_transcript_as_redis_with_the_same_aclfile(make_proxy, reference, instances):
    p = make_proxy(aclfile=str(reference))
    ours = transcript(p.port, TRANSCRIPT)
    theirs = transcript(REDIS_PORT, TRANSCRIPT)
    for cmd, a, b in zip(TRANSCRIPT, ours, theirs):
        assert a == b, f"{cmd}: preshard {a!r}, redis-server {b!r}"
    # Nothing refused reached an instance; what was allowed did.
    keys = set()
    for i in range(len(p.instances)):
        keys |= {k.decode() for k in instances.client(i).keys("*")}
    assert keys == {"wo:1", "wo:list"}
    assert "other" not in keys


@pytest.mark.parametrize("data, text", [
    (b"*11\r\n", "Protocol error: unauthenticated multibulk length"),
    (b"*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length"),
])
def test_before_auth_only_small_commands_are_read(make_proxy, reference, data, text):
    p = make_proxy(aclfile=str(reference))
    for port in (p.port, REDIS_PORT):
        c = RawClient(port)
        c.send(data)
        assert c.reply() == "ERR " + text
        assert c.closed()
    c = RawClient(p.port)  # after AUTH, in the same write: no such bound
    c.send(command("AUTH", "defpass") + command("MSET", *[f"k{i}" for i in range(12)]) +
           command("SET", "big", "x" * 20000))
    assert c.replies(3) == ["OK", "OK", "OK"]


def test_key_access_data_is_what_redis_server_says(instances):
    out = subprocess.run([str(ROOT / "scripts" / "gen_key_access.py"), str(instances[0].port)],
                         check=True, capture_output=True, text=True).stdout
    assert out == (ROOT / "src" / "command" / "key_access.cpp").read_text()


def test_a_user_removed_or_disabled_by_a_reload_is_disconnected(make_proxy):
    users = ["user default on nopass ~* &* +@all", "user alice on >a ~* &* +@all",
             "user carol on >c ~* &* +@all", "user dave on >d ~* &* +@all"]
    p = make_proxy(users=users)
    conns = {}
    for name, pw in [("alice", "a"), ("carol", "c"), ("dave", "d")]:
        conns[name] = p.raw()
        conns[name].send(command("AUTH", name, pw))
        assert conns[name].reply() == "OK"
    plain = p.raw()
    p.write_config(p.instances, users=[users[0], "user carol on >new ~* &* +@all",
                                       "user dave off >d ~* &* +@all"])
    plain.send(command("PROXY", "RELOAD"))
    assert plain.reply() == "OK"
    assert conns["alice"].closed()  # removed
    assert conns["dave"].closed()  # off
    conns["carol"].send(command("ACL", "WHOAMI"))  # kept, with the new rules
    assert conns["carol"].reply() == b"carol"
    fresh = p.raw()
    fresh.send(command("AUTH", "carol", "c") + command("AUTH", "carol", "new"))
    assert fresh.replies(2) == ["WRONGPASS invalid username-password pair or user is disabled.",
                                "OK"]
    assert "AUTH as 'carol' failed" in p.log_text()


def test_exec_checks_the_rights_again_after_a_reload_as_redis_does(make_proxy, reference):
    """Redis re-checks queued commands at EXEC; rules changed by ACL SETUSER there, by a reload
    here. The same transcript gets the same bytes: refused commands answer NOPERM in EXEC's
    array, the others run."""
    before = "on >g ~{t}* &* +@all"
    after = "on >g ~{t}a &* +@all -incr"
    p = make_proxy(users=["user default on nopass ~* &* +@all", "user gina " + before])
    admin = RawClient(REDIS_PORT)
    admin.send(command("AUTH", "admin", "adminpw") +
               command("ACL", "SETUSER", "gina", "reset", *before.split()))
    assert admin.replies(2) == ["OK", "OK"]
    queue = [("AUTH", "gina", "g"), ("MULTI",), ("SET", "{t}a", "1"), ("INCR", "{t}b"),
             ("SET", "{t}c", "1"), ("GET", "{t}a")]

    def run(port, change):
        c = RawClient(port)
        c.send(b"".join(command(*cmd) for cmd in queue))
        queued = [c.raw_reply() for _ in queue]
        change()
        c.send(command("EXEC"))
        return queued, c.raw_reply()

    def change_redis():
        admin.send(command("ACL", "SETUSER", "gina", "reset", *after.split()))
        assert admin.reply() == "OK"

    def change_proxy():
        p.write_config(p.instances, users=["user default on nopass ~* &* +@all",
                                           "user gina " + after])
        plain = p.raw()
        plain.send(command("PROXY", "RELOAD"))
        assert plain.reply() == "OK"

    want = run(REDIS_PORT, change_redis)
    got = run(p.port, change_proxy)
    assert b"ACLs rules changed" in want[1], want
    assert got == want


def test_a_subscriber_that_lost_its_channel_to_a_reload_is_closed(make_proxy):
    users = ["user default on nopass ~* &* +@all", "user erin on >e ~* &* +@all",
             "user fred on >f ~* &* +@all"]
    p = make_proxy(users=users)
    subs = {}
    for name, pw, kind, channel in [("erin", "e", "SUBSCRIBE", "news.1"),
                                     ("fred", "f", "PSUBSCRIBE", "sports.*")]:
        subs[name] = p.raw()
        subs[name].send(command("AUTH", name, pw) + command(kind, channel))
        assert subs[name].reply() == "OK"
        subs[name].reply()  # the subscribe confirmation
    p.write_config(p.instances, users=[users[0], "user erin on >e ~* &news.* +@all",
                                       "user fred on >f ~* &news.* +@all"])
    plain = p.raw()
    plain.send(command("PROXY", "RELOAD"))
    assert plain.reply() == "OK"
    assert subs["fred"].closed()  # sports.* is no longer allowed
    plain.send(command("PUBLISH", "news.1", "still"))
    assert plain.reply() == 1
    assert subs["erin"].reply() == [b"message", b"news.1", b"still"]
    assert "may no longer use channel 'sports.*'" in p.log_text()


def check(tmp_path, text):
    f = tmp_path / "p.yaml"
    f.write_text(text + "\ninstances:\n  - 127.0.0.1:21000\n")
    return subprocess.run([BIN, "--check", "-c", str(f)], capture_output=True, text=True)


def test_protected_mode(tmp_path):
    r = check(tmp_path, "listen: 0.0.0.0:23461")
    assert r.returncode != 0 and "protected mode" in r.stdout + r.stderr
    assert check(tmp_path, "listen: 0.0.0.0:23461\nrequirepass: x").returncode == 0
    assert check(tmp_path, "listen: 0.0.0.0:23461\nprotected_mode: no").returncode == 0
    assert check(tmp_path, "listen: 127.0.0.1:23461").returncode == 0
    off = 'listen: 0.0.0.0:23461\nusers: ["user default off"]'
    assert check(tmp_path, off).returncode == 0


def test_check_names_the_bad_rule_and_never_a_password(tmp_path):
    r = check(tmp_path, 'requirepass: "topsecret"\nusers:\n'
                        '  - "user carl on >carlpw ~* +nosuchcmd"\n'
                        '  - "user dora on >dorapw #abc"\n'
                        '  - "user default on nopass"')
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Error in applying operation '+nosuchcmd'" in out
    assert "The password hash must be exactly 64 characters" in out
    assert "requirepass and a 'user default' line are both set" in out
    assert ":3:" in out and ":4:" in out  # the lines of the entries
    for secret in ("topsecret", "carlpw", "dorapw"):
        assert secret not in out
