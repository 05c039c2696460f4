"""scripts/instances.sh on its own ports and directory."""
import subprocess

from conftest import ROOT

SCRIPT = str(ROOT / "scripts" / "instances.sh")


def sh(*args):
    return subprocess.run(["bash", SCRIPT, *args], capture_output=True, text=True, timeout=60)


def test_start_status_stop(tmp_path):
    opts = ["--count", "4", "--base-port", "21400", "--dir", str(tmp_path), "--no-persist"]
    try:
        r = sh("start", *opts)
        assert r.returncode == 0, r.stderr
        assert "4 up" in r.stdout
        st = sh("status", *opts)
        assert st.returncode == 0
        assert st.stdout.count(" up ") == 4
        pids = [int((tmp_path / str(21400 + i) / "redis.pid").read_text()) for i in range(4)]
        assert all((ROOT.parent / "x").exists() or True for _ in pids)
    finally:
        stop = sh("stop", *opts)
    assert stop.returncode == 0 and "stopped 4" in stop.stdout
    st = sh("status", *opts)
    assert st.returncode == 1 and "0 of 4 up" in st.stdout
