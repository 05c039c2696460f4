"""Hot reload (SIGHUP, PROXY RELOAD), PROXY PAUSE/RESUME and admin protection, against real
instances. Spare instances (the targets of moved shards) listen on 21600 and up."""
import os
import signal
import threading
import time

import pytest
import redis

from conftest import ReplyError, command, shard_of

def _reload(proxy):
    return proxy.raw_command("PROXY", "RELOAD")


def _generation(proxy):
    return proxy.info("proxy")["config_generation"]


def _fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


@pytest.fixture
def rproxy(make_proxy):
    p = make_proxy()

    def raw_command(*args):
        c = p.raw()
        c.send(command(*args))
        r = c.reply()
        c.close()
        return r

    p.raw_command = raw_command
    return p


def _replicate(target, source_port):
    t = target.client()
    t.replicaof("127.0.0.1", source_port)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        info = t.info("replication")
        if info.get("master_link_status") == "up" and not info.get("master_sync_in_progress"):
            return
        time.sleep(0.05)
    raise AssertionError("replication did not come up")


def test_changed_address_takes_effect_with_data_moved_by_replication(rproxy, instances, spares):
    key = "moving:key"
    shard = shard_of(key)
    r = rproxy.client()
    r.set(key, "before")
    target = spares(1)[0]
    _replicate(target, instances[shard].port)
    target.client().replicaof("no", "one")
    addresses = list(rproxy.instances)
    addresses[shard] = f"127.0.0.1:{target.port}"
    rproxy.write_config(addresses)
    before = _generation(rproxy)
    assert _reload(rproxy) == "OK"
    info = rproxy.info("proxy")
    assert info["config_generation"] == before + 1 and info["last_reload_ok"] == 1
    assert info["last_reload_time"] > 0
    assert r.get(key) == b"before"  # the same long-lived client, now served by the target
    r.set(key, "after")
    assert target.client().get(key) == b"after"
    assert instances.client(shard).get(key) == b"before"  # the old instance got no write


@pytest.mark.parametrize("broken,expect", [
    ("instances: [127.0.0.1:1\n", "preshard-"),                       # YAML syntax
    ("timeout_ms: soon\ninstances:\n  - 127.0.0.1:1\n", "timeout_ms"),  # wrong type
    ("instances:\n  - 127.0.0.1:99999\n", "instances"),                # bad address
    (None, "instances instead of 128"),                                 # another instance count
    ("", "cannot read"),                                                # unreadable (a directory)
])
def test_an_invalid_file_changes_nothing(rproxy, instances, broken, expect):
    r = rproxy.client()
    r.set("still", "here")
    before = rproxy.info("proxy")
    good = rproxy.config_path.read_text()
    if broken is None:
        rproxy.write_config(rproxy.instances[:-1])
    elif broken == "":
        rproxy.config_path.unlink()
        rproxy.config_path.mkdir()
    else:
        rproxy.config_path.write_text(f"listen: 127.0.0.1:{rproxy.port}\n" + broken)
    out = _reload(rproxy)
    assert isinstance(out, ReplyError), out
    assert out.startswith("ERR reload refused, the running configuration stays: ")
    assert expect in out, out
    rproxy.proc.send_signal(signal.SIGHUP)  # the same through the signal
    deadline = time.monotonic() + 5
    while rproxy.info("proxy")["reload_failures"] < before["reload_failures"] + 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    info = rproxy.info("proxy")
    assert info["config_generation"] == before["config_generation"]
    assert info["last_reload_ok"] == 0 and expect in str(info["last_reload_error"])
    assert r.get("still") == b"here"  # serving, with the old table
    assert "reload refused" in rproxy.log_text()
    if broken == "":
        rproxy.config_path.rmdir()
    rproxy.config_path.write_text(good)
    assert _reload(rproxy) == "OK"
    assert rproxy.info("proxy")["last_reload_ok"] == 1


def test_settings_apply_and_listen_waits_for_a_restart(rproxy):
    old = rproxy.raw()  # connected before the reload
    rproxy.write_config(rproxy.instances, max_bulk_len=1024, listen="127.0.0.1:1")
    text = rproxy.config_path.read_text().replace(f"listen: 127.0.0.1:{rproxy.port}\n", "")
    rproxy.config_path.write_text(text)
    assert _reload(rproxy) == "OK"
    assert rproxy.client().ping()  # still on the old listen address
    assert "listen: stays" in rproxy.log_text()
    old.send(command("SET", "k", "x" * 2000))  # the new limit applies to it at once
    assert old.reply() == "ERR Protocol error: invalid bulk length"


def test_100_sighups_under_load(rproxy, instances):
    # Every shard connected first, on every worker thread, and the side connections that INFO
    # asks on: a reload must not reconnect any.
    warm_keys = [next(f"warm{i}" for i in range(10000) if shard_of(f"warm{i}") == s)
                 for s in range(128)]
    warmed = set()
    for _ in range(64):
        r = rproxy.client()
        worker = r.client_info()["io-thread"]
        if worker not in warmed:
            warmed.add(worker)
            for k in warm_keys:
                r.get(k)
            r.info("stats")
        if len(warmed) == rproxy.workers():
            break
    assert len(warmed) == rproxy.workers()
    stats_before = rproxy.info("stats")["backend_connections"]
    fds_before = _fd_count(rproxy.proc.pid)
    gen_before = _generation(rproxy)
    errors, done = [], threading.Event()
    counts = [0] * 4

    def load(n):
        c = rproxy.client()
        i = 0
        try:
            while not done.is_set():
                c.set(f"load:{n}:{i}", i)
                assert c.get(f"load:{n}:{i}") == str(i).encode()
                i += 1
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
        counts[n] = i

    threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    start = time.monotonic()
    for _ in range(100):
        rproxy.proc.send_signal(signal.SIGHUP)
        time.sleep(0.045)
    assert time.monotonic() - start < 6
    deadline = time.monotonic() + 10
    while _generation(rproxy) < gen_before + 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    done.set()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert min(counts) > 0
    assert _generation(rproxy) == gen_before + 100
    assert rproxy.info("stats")["backend_connections"] == stats_before  # none remade
    assert _fd_count(rproxy.proc.pid) <= fds_before + 4  # the load's own client connections


def test_pipeline_straddling_a_reload_that_moves_its_shard(rproxy, instances):
    key = "straddle"
    shard = shard_of(key)
    raw = rproxy.raw()
    raw.send(b"".join(command("INCR", key) for _ in range(500)))
    # The same instance under another name: the shard "moves", its data stays, so INCR's
    # results show whether any command was lost, repeated or reordered.
    addresses = list(rproxy.instances)
    addresses[shard] = f"localhost:{instances[shard].port}"
    rproxy.write_config(addresses)
    assert _reload(rproxy) == "OK"
    raw.send(b"".join(command("INCR", key) for _ in range(500)))
    assert raw.replies(1000) == list(range(1, 1001))


def test_pause_queues_until_resume(rproxy, instances):
    key = "paused:key"
    shard = shard_of(key)
    admin = rproxy.raw()
    admin.send(command("PROXY", "PAUSE", shard))
    assert admin.reply() == "OK"
    assert str(shard) in str(rproxy.info("proxy")["paused_shards"])
    c = rproxy.raw()
    c.send(command("SET", key, "v") + command("GET", key))
    c.sock.settimeout(0.3)
    with pytest.raises(OSError):
        c.sock.recv(1)  # nothing is answered (nor sent: the instance has no key)
    assert instances.client(shard).exists(key) == 0
    other = rproxy.client()  # other shards are served meanwhile
    assert other.set("not:" + key, 1)
    c.sock.settimeout(30)
    admin.send(command("PROXY", "RESUME", shard))
    assert admin.reply() == "OK"
    assert c.replies(2) == ["OK", b"v"]


def test_pause_answers_once_the_shards_in_flight_are_answered(rproxy, instances):
    key = "slow:key"
    shard = shard_of(key)
    c = rproxy.raw()
    c.send(command("GET", key))  # warm the connection
    assert c.reply() is None
    instances.client(shard).execute_command("CLIENT", "PAUSE", "600", "ALL")
    t0 = time.monotonic()
    c.send(command("SET", key, "v"))  # in flight while the instance is paused
    time.sleep(0.05)
    admin = rproxy.raw()
    admin.send(command("PROXY", "PAUSE", shard))
    assert admin.reply() == "OK"
    assert time.monotonic() - t0 >= 0.5  # not before the SET was answered
    assert c.reply() == "OK"
    admin.send(command("PROXY", "RESUME", shard))
    assert admin.reply() == "OK"


def test_a_pause_resumes_by_itself_after_its_timeout(rproxy):
    shard = shard_of("t:key")
    admin = rproxy.raw()
    admin.send(command("PROXY", "PAUSE", shard, "TIMEOUT", 300))
    assert admin.reply() == "OK"
    t0 = time.monotonic()
    assert rproxy.client().set("t:key", 1)
    assert 0.2 <= time.monotonic() - t0 < 3
    assert "pause of shard" in rproxy.log_text()


def test_a_reload_moves_a_paused_shards_queue_to_the_new_address(rproxy, instances, spares):
    key = "flip:key"
    shard = shard_of(key)
    target = spares(1)[0]
    admin = rproxy.raw()
    admin.send(command("PROXY", "PAUSE", shard))
    assert admin.reply() == "OK"
    c = rproxy.raw()
    c.send(command("SET", key, "queued"))
    addresses = list(rproxy.instances)
    addresses[shard] = f"127.0.0.1:{target.port}"
    rproxy.write_config(addresses)
    admin.send(command("PROXY", "RELOAD"))
    assert admin.reply() == "OK"
    admin.send(command("PROXY", "RESUME", shard))
    assert admin.reply() == "OK"
    assert c.reply() == "OK"
    assert target.client().get(key) == b"queued"
    assert instances.client(shard).exists(key) == 0


def test_admin_commands_need_the_admin_password(make_proxy):
    p = make_proxy(admin_password="s3cret")
    c = p.raw()
    for cmd in [("PROXY", "RELOAD"), ("PROXY", "PAUSE", "1"), ("PROXY", "RESUME", "1")]:
        c.send(command(*cmd))
        out = c.reply()
        name = "|".join(cmd[:2]).lower()
        assert out == f"NOPERM this user has no permissions to run the '{name}' command"
    c.send(command("AUTH", "admin", "wrong"))
    assert c.reply() == "WRONGPASS invalid username-password pair or user is disabled."
    c.send(command("AUTH", "admin", "s3cret"))
    assert c.reply() == "OK"
    c.send(command("PROXY", "PAUSE", "1", "TIMEOUT", "1000") + command("PROXY", "RESUME", "1") +
           command("PROXY", "RELOAD"))
    assert c.replies(3) == ["OK", "OK", "OK"]
    other = p.raw()  # authentication is per connection
    other.send(command("PROXY", "RELOAD"))
    assert other.reply().startswith("NOPERM")


def test_admin_argument_errors(rproxy):
    c = rproxy.raw()
    c.send(command("PROXY", "PAUSE", "128") + command("PROXY", "PAUSE", "x") +
           command("PROXY", "PAUSE", "1", "TIMEOUT", "0") + command("PROXY", "RESUME", "-1"))
    assert c.replies(4) == [
        "ERR invalid shard '128' (shards are 0 to 127)",
        "ERR invalid shard 'x' (shards are 0 to 127)",
        "ERR TIMEOUT must be a number of milliseconds from 1 to 3600000",
        "ERR invalid shard '-1' (shards are 0 to 127)"]
    assert rproxy.info("proxy")["paused_shards"] in ("", None)
