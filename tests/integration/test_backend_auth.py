"""The proxy's own credentials on the instances (issue 15): global or per instance, from the
environment or a file; a wrong password fails clearly, naming the shard, with backoff."""
import os
import subprocess
import time

import pytest
import redis

from conftest import BIN, RawClient, command, key_on, wait_port

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
    c = p.client()
    keys = [key_on(s, "k", n=4) for s in range(4)]
    for k in keys:
        assert c.set(k, "v") is True
    assert c.mget(keys) == [b"v"] * 4
    for s, k in enumerate(keys):
        assert instance(s).get(k) == b"v"
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
