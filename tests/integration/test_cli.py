"""The preshard command line: --check, --version, bad configs, a busy port."""
import socket
import subprocess

from conftest import BIN, ROOT


def run(*args, timeout=10):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)


def test_version_and_help():
    assert run("--version").stdout.startswith("preshard ")
    assert "--config" in run("--help").stdout
    bad = run("--bogus")
    assert bad.returncode == 2 and "unknown argument" in bad.stderr


def test_check_accepts_the_shipped_config():
    r = run("--check", "--config", str(ROOT / "conf" / "preshard.yaml"))
    assert r.returncode == 0, r.stderr
    assert "128 instances" in r.stdout


def test_check_prints_every_problem(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("listen: nowhere\nthreads: x\nwhat: 1\ninstances:\n  - 127.0.0.1:1\n"
                 "  - 127.0.0.1:1\n  - host:70000\n")
    r = run("--check", "-c", str(f))
    assert r.returncode == 1
    err = r.stderr
    assert f"{f}:1: listen: expected host:port" in err
    assert f"{f}:2: threads: expected an integer, got 'x'" in err
    assert f"{f}:3: what: unknown key" in err
    assert f"{f}:6: instances[1]: duplicate instance 127.0.0.1:1" in err
    assert f"{f}:7: instances[2]: invalid port" in err
    assert "5 problem(s)" in err


def test_daemon_refuses_a_bad_config(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("instances: []\n")
    r = run("-c", str(f))
    assert r.returncode == 1
    assert "instances: the list is empty" in r.stderr
    r = run("-c", str(tmp_path / "missing.yaml"))
    assert r.returncode == 1 and "cannot read the file" in r.stderr


def test_busy_port_fails_startup(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    port = s.getsockname()[1]
    f = tmp_path / "c.yaml"
    f.write_text(f"listen: 127.0.0.1:{port}\ninstances: [127.0.0.1:1]\n")
    r = run("-c", str(f))
    s.close()
    assert r.returncode == 1
    assert "cannot listen" in r.stderr
