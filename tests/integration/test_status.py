"""preshardctl status over the session's 128 instances: one row each, a summary, JSON, exit code
when a shard is down or hung (each shard polled at once with its own timeout)."""
import json
import subprocess
import time

from test_init import CTL


def config_for(tmp_path, addresses):
    path = tmp_path / "status.yaml"
    path.write_text("listen: 127.0.0.1:23199\ninstances:\n" +
                    "".join(f'  - "{a}"\n' for a in addresses))
    return path


def status(*args, timeout=60):
    return subprocess.run([CTL, "status", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_status_of_128_shards(clean, instances, tmp_path):
    for i in (0, 5, 127):
        instances.client(i).set(f"k{i}", "v")
    cfg = config_for(tmp_path, instances.addresses())
    r = status("--config", cfg)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:5] == ["SHARD", "ADDRESS", "STATE", "ROLE", "REPLICATION"]
    assert len(lines) == 1 + 128 + 1
    row5 = lines[1 + 5].split()
    assert row5[:4] == ["5", instances.addresses()[5], "up", "master"]
    assert "shards up: 128 of 128; keys: 3;" in lines[-1]
    j = json.loads(status("--config", cfg, "--json").stdout)
    assert j["summary"] == {**j["summary"], "shards": 128, "up": 128, "keys": 3}
    assert j["shards"][127]["keys"] == 1 and j["shards"][127]["aof"] == "off"


def test_a_down_and_a_hung_shard_fail_the_status_without_stalling_it(clean, instances, tmp_path):
    cfg = config_for(tmp_path, instances.addresses()[:8] + ["127.0.0.1:21998"])
    instances[3].pause()  # SIGSTOP: the connection is accepted, INFO is never answered
    try:
        t0 = time.monotonic()
        r = status("--config", cfg, "--timeout", 1500)
        took = time.monotonic() - t0
    finally:
        instances[3].resume()
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[1 + 8].split()[:3] == ["8", "127.0.0.1:21998", "down"]
    assert "Connection refused" in lines[1 + 8]
    assert lines[1 + 3].split()[2] == "down"
    assert "shards up: 7 of 9;" in lines[-1]
    assert took < 1.5 * 2 + 3  # polled at once: one timeout, not one per hung shard in a row


def test_watch_redraws_until_interrupted(clean, instances, tmp_path):
    cfg = config_for(tmp_path, instances.addresses()[:2])
    p = subprocess.Popen([CTL, "status", "--config", str(cfg), "--watch", "1"],
                         stdout=subprocess.PIPE, text=True)
    time.sleep(2.5)
    p.send_signal(2)
    out, _ = p.communicate(timeout=10)
    assert p.returncode == 0
    assert out.count("shards up: 2 of 2") >= 2
    assert f"{cfg} at " in out and "every 1 s (Ctrl-C ends)" in out
