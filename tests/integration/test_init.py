"""preshardctl init: a commented config for a layout, accepted by preshard --check."""
import os
import pathlib
import subprocess

from conftest import BIN, ROOT

CTL = os.environ.get("PRESHARDCTL_BIN", str(pathlib.Path(BIN).parent / "preshardctl"))


def ctl(*args):
    return subprocess.run([CTL, *map(str, args)], capture_output=True, text=True, timeout=30)


def test_init_writes_a_config_preshard_accepts(tmp_path):
    out = tmp_path / "p.yaml"
    r = ctl("init", "--instances", 128, "--hosts", "10.0.0.1:7000-7063,10.0.0.2:7000-7063",
            "--listen", "127.0.0.1:6390", "-o", out)
    assert r.returncode == 0, r.stderr
    assert f"{out}: 128 instances, listen 127.0.0.1:6390" in r.stdout
    check = subprocess.run([BIN, "--check", "-c", str(out)], capture_output=True, text=True,
                           timeout=30)
    assert check.returncode == 0, check.stderr
    assert "128 instances" in check.stdout
    text = out.read_text()
    assert '  - "10.0.0.2:7063"  # shard 127' in text
    assert "# timeout_ms: 1000" in text
    # The same shard for a key as the shipped 128-instance layout computes.
    shard = ctl("shard", "--config", out, "foo")
    assert "foo shard 91 instance 10.0.0.2:7027" in shard.stdout


def test_init_refusals_say_why_and_write_nothing(tmp_path):
    out = tmp_path / "p.yaml"
    r = ctl("init", "--instances", 128, "--hosts", "10.0.0.1:7000-7063", "-o", out)
    assert r.returncode == 1
    assert "--hosts gives 64 instances, --instances says 128" in r.stderr
    assert not out.exists()
    r = ctl("init", "--instances", 2, "--hosts", "h:7000,h:7000")
    assert r.returncode == 1 and "duplicate instance h:7000" in r.stderr
    r = ctl("init", "--instances", 1, "--hosts", "h:notaport")
    assert r.returncode == 2 and "ports must be 1-65535" in r.stderr
    out.write_text("keep me\n")
    r = ctl("init", "--instances", 1, "--hosts", "h:7000", "-o", out)
    assert r.returncode == 1 and "exists (--force replaces it)" in r.stderr
    assert out.read_text() == "keep me\n"
    assert ctl("init", "--instances", 1, "--hosts", "h:7000", "-o", out, "--force").returncode == 0
    assert "h:7000" in out.read_text()
