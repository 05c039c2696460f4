"""The proxy's own credentials on the instances (issue 15): global or per instance, from the
environment or a file; a wrong password fails clearly, naming the shard, with backoff."""
import os
import subprocess
import time

import pytest
import redis

from conftest import BIN, RawClient, command, exercise_four_shards, key_on, wait_port

BASE = 23470  # instances of this file: 23470-23473


@pytest.fixture
def locked(tmp_path):
    """Four instances: three with requirepass "pw", one with an ACL user proxy/ppw."""
    procs = []
    for i in range(4):
        auth = (["--requirepass", "pw"] if i < 3 else
                ["--user", "proxy", "on", ">ppw", "~*", "&*", "+@all", "--user", "default", "off"])
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(BASE + i), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)] + auth,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for i, p in enumerate(procs):
            wait_port(BASE + i, proc=p)
        yield [f"127.0.0.1:{BASE + i}" for i in range(4)]
    finally:
        for p in procs:
            p.kill()
            p.wait()


def instance(i):
    if i < 3:
        return redis.Redis(port=BASE + i, password="pw")
    return redis.Redis(port=BASE + i, username="proxy", password="ppw")


def test_global_password_from_the_environment_and_a_user_from_a_file(make_proxy, locked,
                                                                     tmp_path):
    pwfile = tmp_path / "proxy.pw"
    pwfile.write_text("ppw\n")
    addresses = locked[:3] + [f"{{master: {locked[3]}, user: proxy, password_file: {pwfile}}}"]
    env = dict(os.environ, PRESHARD_TEST_BACKEND_PW="pw")
    p = make_proxy(addresses, env=env, backend_password="${PRESHARD_TEST_BACKEND_PW}")
    exercise_four_shards(p, instance)  # subscriber and blocking connections AUTH too
    raw = RawClient(p.port)
    raw.send(command("INFO", "everything"))
    info = raw.reply().decode()
    assert "ppw" not in info and ":pw\r" not in info and "PRESHARD_TEST" not in info


def test_a_wrong_password_names_the_shard_and_backs_off(make_proxy, locked):
    p = make_proxy(locked[:3], backend_password="wrong", retry_min_ms=200, retry_max_ms=1000)
    before = instance(1).info("stats")["total_connections_received"]
    c = RawClient(p.port)
    key = key_on(1, "k", n=3)
    deadline = time.monotonic() + 3
    sent = 0
    while time.monotonic() < deadline:  # a client that keeps trying
        c.send(command("GET", key))
        out = c.reply()
        sent += 1
        assert out.startswith("ERR shard 1 is unavailable (")
        assert "refuses the proxy's credentials" in out and "WRONGPASS" in out
        assert "wrong" not in out.split("AUTH:")[0]
    connects = instance(1).info("stats")["total_connections_received"] - before
    assert sent > 50
    assert connects <= 10, f"{connects} connects in 3 s: no backoff"


def test_secrets_never_printed_and_unset_variables_refused(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text('backend_password: "${PRESHARD_TEST_UNSET_VAR}"\n'
                 'requirepass: "${PRESHARD_TEST_UNSET_TOO}"\n'
                 'instances:\n  - {master: 127.0.0.1:23470, password: hunter2, '
                 'password_file: /nonexistent}\n')
    r = subprocess.run([BIN, "--check", "-c", str(f)], capture_output=True, text=True)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "environment variable PRESHARD_TEST_UNSET_VAR is not set" in out
    assert "environment variable PRESHARD_TEST_UNSET_TOO is not set" in out
    assert "both a password and a password_file" in out
    assert "hunter2" not in out


def test_the_generated_proxy_user_keeps_admin_commands_out_even_through_scripts(make_proxy,
                                                                               tmp_path):
    """preshardctl instances start gives each instance a user for the proxy without @admin and
    @dangerous: whatever gets past the proxy's own checks, the instance refuses."""
    from test_init import CTL
    root = tmp_path / "data"
    ports = [BASE + 4, BASE + 5]
    cfg = tmp_path / "p.yaml"
    cfg.write_text("listen: 127.0.0.1:23498\nbackend_user: proxy\nbackend_password: ppw\n"
                   "instances:\n" + "".join(f'  - "127.0.0.1:{p}"\n' for p in ports) +
                   f"redis:\n  dir: {root}\n  save: '\"\"'\n  appendonly: '\"no\"'\n")
    ctl = lambda *a: subprocess.run([CTL, *a, "--config", str(cfg)], capture_output=True,
                                    text=True, timeout=60)
    try:
        assert ctl("instances", "start").returncode == 0
        conf = (root / str(ports[0]) / "redis.conf").read_text()
        assert "user proxy on #" in conf and "-@admin -@dangerous" in conf and "ppw" not in conf
        p = make_proxy([f"127.0.0.1:{port}" for port in ports], backend_user="proxy",
                       backend_password="ppw")
        c = RawClient(p.port)
        c.send(command("SET", "kept", "1"))
        assert c.reply() == "OK"
        evil = "redis.call(string.lower('CONFIG'), 'SET', 'maxmemory', '1')"
        library = ("#!lua name=evil\nredis.register_function('f', function() return " +
                   evil + " end)")
        attempts = [
            command("EVAL", f"return {evil}", "0"),  # the name is computed: reaches the instance
            command("EVAL", "return redis.call('config','set','maxmemory','1')", "0"),
            command("FUNCTION", "LOAD", library) + command("FCALL", "f", "0"),
            command("MULTI") + command("CONFIG", "SET", "maxmemory", "1") + command("EXEC"),
            b"config set maxmemory 1\r\n",  # inline
            command("CoNfIg", "SeT", "maxmemory", "1"),
            command("FLUSHALL"),  # the proxy forwards it; the instances refuse it (@dangerous)
            command("EVAL", "return redis.call(string.lower('FLUSHALL'))", "0"),
        ]
        for a in attempts:
            n = a.count(b"\r\n*") + 1 if a.startswith(b"*") else 1
            c.send(a)
            replies = c.replies(n)
            assert any(isinstance(r, str) and r.startswith(("ERR", "NOPERM", "EXECABORT"))
                       for r in replies), (a, replies)
        for port in ports:
            assert instance_maxmemory(port) == 0
        assert p.client().get("kept") == b"1"
    finally:
        ctl("instances", "stop", "--timeout", "5000")


def instance_maxmemory(port):
    # The instances' default user has no password (only the proxy's user is restricted).
    return int(redis.Redis(port=port).config_get("maxmemory")["maxmemory"])
