"""preshardctl instances start|stop|restart|status against real redis-server processes, on
127.0.0.1:23000-23031, each test with a data root of its own."""
import os
import signal
import socket
import subprocess
import time

import pytest
import redis

from test_init import CTL

BASE = 23000


def write_config(path, ports, redis_section):
    lines = ["listen: 127.0.0.1:23099", "instances:"]
    lines += [f'  - "{p}"' if isinstance(p, str) else f'  - "127.0.0.1:{p}"' for p in ports]
    lines += ["redis:"] + [f"  {k}: {v}" for k, v in redis_section.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def ctl(*args, timeout=60):
    return subprocess.run([CTL, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def alive(pid):
    """Running and a redis-server (a stale pidfile's pid may belong to another process now)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return "redis" in stat.split(") ")[0] and stat.split(") ")[1][0] != "Z"


def pids_under(root):
    out = []
    for pidfile in root.glob("*/redis.pid"):
        try:
            out.append(int(pidfile.read_text()))
        except ValueError:
            pass
    return out


def kill_leftovers(root):
    for pid in pids_under(root):
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def layout(tmp_path):
    """A config of 16 local instances with no persistence; every process it left is killed."""
    root = tmp_path / "data"
    cfg = write_config(tmp_path / "p.yaml", range(BASE, BASE + 16),
                       {"dir": str(root), "appendonly": '"no"', "save": '""'})
    yield cfg, root
    ctl("instances", "stop", "--config", cfg, "--timeout", 5000)
    kill_leftovers(root)


def test_start_is_parallel_idempotent_and_status_shows_a_killed_instance(layout):
    cfg, root = layout
    r = ctl("instances", "start", "--config", cfg)
    assert r.returncode == 0, r.stderr
    assert "instances: 16 of 16 up (16 started in" in r.stdout
    assert f"data under {root}" in r.stdout
    for i in range(16):
        c = redis.Redis(port=BASE + i, socket_timeout=5)
        assert c.ping()
        assert c.config_get("appendonly") == {"appendonly": "no"}
        assert c.config_get("dir")["dir"] == str(root / str(BASE + i))
    conf = (root / str(BASE + 3) / "redis.conf").read_text()
    assert "(shard 3 127.0.0.1:23003)" in conf and "port 23003\n" in conf
    again = ctl("instances", "start", "--config", cfg)
    assert again.returncode == 0, again.stderr
    assert "shard 0 127.0.0.1:23000: already running (pid " in again.stdout
    assert "16 of 16 up (0 started in" in again.stdout and "16 already running" in again.stdout
    st = ctl("instances", "status", "--config", cfg)
    assert st.returncode == 0, st.stdout + st.stderr
    assert st.stdout.count(" up ") == 16 and "instances: 16 of 16 up" in st.stdout
    victim = int((root / str(BASE + 5) / "redis.pid").read_text())
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(victim):
        time.sleep(0.05)
    st = ctl("instances", "status", "--config", cfg)
    assert st.returncode == 1
    row = [line for line in st.stdout.splitlines() if line.startswith("5 ")][0]
    assert "127.0.0.1:23005" in row and " down " in row
    assert "instances: 15 of 16 up" in st.stdout
    one = ctl("instances", "start", "--config", cfg, "--only", "5")
    assert one.returncode == 0, one.stderr
    assert "1 of 1 up (1 started" in one.stdout
    stop = ctl("instances", "stop", "--config", cfg)
    assert stop.returncode == 0, stop.stderr
    assert "instances: 16 stopped, 0 not running" in stop.stdout
    assert not any(alive(p) for p in pids_under(root))
    st = ctl("instances", "status", "--config", cfg)
    assert st.returncode == 1 and "instances: 0 of 16 up" in st.stdout
    again = ctl("instances", "stop", "--config", cfg)
    assert again.returncode == 0 and "0 stopped, 16 not running" in again.stdout


def test_stop_saves_and_restart_keeps_the_data(tmp_path):
    root = tmp_path / "data"
    cfg = write_config(tmp_path / "p.yaml", [BASE + 20, BASE + 21], {"dir": str(root)})
    try:
        assert ctl("instances", "start", "--config", cfg).returncode == 0
        c = redis.Redis(port=BASE + 20, socket_timeout=5)
        assert c.config_get("appendonly") == {"appendonly": "yes"}  # the default: AOF
        c.set("kept", "across restarts")
        r = ctl("instances", "restart", "--config", cfg)
        assert r.returncode == 0, r.stderr
        assert "2 stopped" in r.stdout and "2 of 2 up (2 started" in r.stdout
        assert redis.Redis(port=BASE + 20, socket_timeout=5).get("kept") == b"across restarts"
    finally:
        ctl("instances", "stop", "--config", cfg, "--timeout", 5000)
        kill_leftovers(root)


def test_start_failures_say_why_in_redis_words(tmp_path):
    root = tmp_path / "data"
    busy = socket.socket()
    busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    busy.bind(("127.0.0.1", BASE + 25))
    busy.listen()
    cfg = write_config(tmp_path / "p.yaml", [BASE + 24, BASE + 25],
                       {"dir": str(root), "appendonly": '"no"'})
    bad = write_config(tmp_path / "bad.yaml", [BASE + 26],
                       {"dir": str(root), "appendonly": "maybe"})
    try:
        r = ctl("instances", "start", "--config", cfg, "--timeout", 10000)
        assert r.returncode == 1
        assert "shard 1 127.0.0.1:23025: redis-server exited:" in r.stderr
        assert "Address already in use" in r.stderr
        assert "1 of 2 up (1 started" in r.stdout and "1 failed" in r.stdout
        r = ctl("instances", "start", "--config", bad)
        assert r.returncode == 1
        assert "shard 0 127.0.0.1:23026: redis-server exited:" in r.stderr
        assert "FATAL CONFIG FILE ERROR" in r.stderr and "appendonly maybe" in r.stderr
    finally:
        busy.close()
        ctl("instances", "stop", "--config", cfg, "--timeout", 5000)
        kill_leftovers(root)


def test_only_local_instances_are_selected(tmp_path):
    cfg = write_config(tmp_path / "p.yaml", [BASE + 27, "192.0.2.1:7000"],
                       {"dir": str(tmp_path / "d")})
    r = ctl("instances", "status", "--config", cfg, "--only", "1")
    assert r.returncode == 1
    assert "shard 1 (192.0.2.1:7000) has no instance on this machine: run the command there" in r.stderr
    r = ctl("instances", "status", "--config", cfg, "--only", "2")
    assert r.returncode == 2 and "shard 2 does not exist (the config has 2 shards: 0-1)" in r.stderr
    r = ctl("instances", "status", "--config", cfg)  # shard 0 only: the other is remote
    assert r.returncode == 1 and "instances: 0 of 1 up" in r.stdout
    remote = write_config(tmp_path / "r.yaml", ["192.0.2.1:7000"], {"dir": str(tmp_path / "d")})
    r = ctl("instances", "start", "--config", remote)
    assert r.returncode == 1 and "has an address on this machine" in r.stderr
    r = ctl("instances", "jump", "--config", remote)
    assert r.returncode == 2 and "start, stop, restart, status or systemd" in r.stderr


def test_foreground_reports_exits_and_stops_all_on_sigterm(tmp_path):
    root = tmp_path / "data"
    cfg = write_config(tmp_path / "p.yaml", [BASE + 28, BASE + 29, BASE + 30],
                       {"dir": str(root), "appendonly": '"no"'})
    p = subprocess.Popen([CTL, "instances", "start", "--foreground", "--config", str(cfg)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while "in the foreground" not in line and time.monotonic() < deadline:
            line = p.stdout.readline()
        assert "in the foreground" in line
        victim = int((root / str(BASE + 29) / "redis.pid").read_text())
        os.kill(victim, signal.SIGKILL)
        time.sleep(1.5)
        assert p.poll() is None  # the others still run
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        assert p.returncode == 0, err
        assert "shard 1 127.0.0.1:23029: exited (pid" in err
        assert "2 stopped" in out
        assert not any(alive(x) for x in pids_under(root))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        kill_leftovers(root)


def test_systemd_writes_a_template_unit_and_every_redis_conf(tmp_path):
    root = tmp_path / "data"
    cfg = write_config(tmp_path / "p.yaml", [BASE + 10, BASE + 11, BASE + 12], {"dir": str(root)})
    r = ctl("instances", "systemd", "--config", cfg, "--only", "0-1")
    assert r.returncode == 0, r.stderr
    unit = (root / "preshard-redis@.service").read_text()
    assert f"ExecStart=redis-server {root}/%i/redis.conf --supervised systemd\n" in unit
    assert "Type=notify\n" in unit and "Restart=on-failure\n" in unit
    assert "systemctl enable --now preshard-redis@23010 preshard-redis@23011\n" in r.stdout
    assert (root / "23011" / "redis.conf").read_text().startswith("# Written by preshardctl")
    assert not (root / "23012").exists()
