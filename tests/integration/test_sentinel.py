"""Failover with Redis Sentinel (issue 17), all real processes on 127.0.0.1: the reference
layout in miniature, 128 masters on 29000-29127 ("machine A") and their 128 replicas on
29200-29327 ("machine B"), started by `preshardctl instances start` from one config, and three
redis-sentinel processes on 29500-29502 fed by `preshardctl sentinel-config`. Proxies follow
the Sentinels. Figures (failover windows, lost writes) go to build/failover-report.txt."""
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import redis

from conftest import ROOT, Proxy, key_on
from test_instances import ctl, kill_leftovers

N = 128
MASTER_BASE, REPLICA_BASE, SENTINEL_BASE = 29000, 29200, 29500
SENTINELS = [SENTINEL_BASE + i for i in range(3)]
DOWN_AFTER_MS = 1000
SENTINEL_PASSWORD = "s3ntinel"  # the Sentinels' own requirepass: the proxy and preshardctl AUTH
REPORT = ROOT / "build" / "failover-report.txt"


def entry(i):
    return f"{{master: 127.0.0.1:{MASTER_BASE + i}, replicas: [127.0.0.1:{REPLICA_BASE + i}]}}"


def sentinel_list(ports=SENTINELS):
    return "[" + ", ".join(f"127.0.0.1:{p}" for p in ports) + "]"


def report(line):
    REPORT.parent.mkdir(exist_ok=True)
    with open(REPORT, "a") as f:
        f.write(line + "\n")
    print(line)


def sentinel(port):
    return redis.Redis(port=port, socket_timeout=5, decode_responses=True,
                       password=SENTINEL_PASSWORD)


def wait_for(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


class Layout:
    def __init__(self, tmp):
        self.tmp = tmp
        self.root = tmp / "data"
        self.config = tmp / "layout.yaml"
        lines = ["listen: 127.0.0.1:29499", f"sentinels: {sentinel_list()}",
                 f"sentinel_password: {SENTINEL_PASSWORD}", "instances:"]
        lines += [f"  - {entry(i)}" for i in range(N)]
        lines += ["redis:", f"  dir: {self.root}", '  appendonly: "no"', "  save: '\"\"'"]
        self.config.write_text("\n".join(lines) + "\n")
        self.sentinels = []
        self.proxies = []

    def start(self):
        r = ctl("instances", "start", "--config", self.config, timeout=120)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        assert f"instances: {2 * N} of {2 * N} up" in r.stdout, r.stdout[-500:]
        r = ctl("sentinel-config", "--config", self.config, "--quorum", 2, "--down-after-ms",
                DOWN_AFTER_MS, "--failover-timeout-ms", 10000)
        assert r.returncode == 0, r.stderr
        for port in SENTINELS:
            d = self.tmp / f"sentinel-{port}"
            d.mkdir()
            conf = d / "sentinel.conf"
            conf.write_text(f"port {port}\nbind 127.0.0.1\ndir {d}\nlogfile {d}/log\n"
                            f"requirepass {SENTINEL_PASSWORD}\n"
                            f"sentinel sentinel-pass {SENTINEL_PASSWORD}\n" + r.stdout)
            self.sentinels.append(subprocess.Popen(["redis-sentinel", str(conf)],
                                                   stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL))
        # Every Sentinel knows every master's replica and the two other Sentinels.
        def ready():
            try:
                for port in SENTINELS:
                    for m in sentinel(port).sentinel_masters().values():
                        if m["num-slaves"] != 1 or m["num-other-sentinels"] != 2:
                            return False
                return True
            except redis.RedisError:
                return False
        wait_for("Sentinels discover the replicas and each other", ready, 90)

    def proxy(self, instances=None, **settings):
        settings.setdefault("sentinels", sentinel_list())
        settings.setdefault("sentinel_password", SENTINEL_PASSWORD)
        settings.setdefault("monitor_interval_ms", 0)
        p = Proxy(self.tmp, instances or [entry(i) for i in range(N)], **settings)
        p.start()
        self.proxies.append(p)
        return p

    def stop_proxy(self, p):
        code = p.stop()
        log = p.log_text()
        assert "AddressSanitizer" not in log and "runtime error:" not in log, log[-4000:]
        assert code == 0, f"preshard exited with {code}; log:\n{log[-4000:]}"

    def stop(self):
        for p in self.proxies:
            if p.proc and p.proc.poll() is None:
                p.proc.kill()
                p.proc.wait()
        for s in self.sentinels:
            s.kill()
            s.wait()
        for pid in self._pids():
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass
        ctl("instances", "stop", "--config", self.config, "--timeout", 5000, timeout=120)
        kill_leftovers(self.root)

    def _pids(self):
        out = []
        for f in self.root.glob("*/redis.pid"):
            try:
                out.append(int(f.read_text()))
            except ValueError:
                pass
        return out

    def pid(self, port):
        return int((self.root / str(port) / "redis.pid").read_text())


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    lay = Layout(tmp_path_factory.mktemp("sentinel"))
    try:
        lay.start()
        yield lay
    finally:
        lay.stop()


class Writers:
    """A thread per shard that RPUSHes increasing numbers to one key of its shard through the
    proxy, recording every acknowledged number and every error with its time."""

    def __init__(self, port, shards):
        self.keys = {s: key_on(s, "w") for s in shards}
        self.acked = {s: [] for s in shards}
        self.last_ack = {s: 0.0 for s in shards}
        self.errors = {s: [] for s in shards}  # (time, text)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(port, s), daemon=True)
                        for s in shards]

    def _run(self, port, shard):
        c = redis.Redis(port=port, socket_timeout=10)
        seq = 0
        while not self.stop.is_set():
            seq += 1
            try:
                c.rpush(self.keys[shard], seq)
                self.acked[shard].append(seq)
                self.last_ack[shard] = time.monotonic()
            except redis.RedisError as e:
                self.errors[shard].append((time.monotonic(), str(e)))
            time.sleep(0.005)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def recovered(self, shard):
        """It failed, and a write was acknowledged since its last failure, in the last 0.5 s."""
        e = self.errors[shard]
        return bool(e) and self.last_ack[shard] > e[-1][0] and \
            self.last_ack[shard] > time.monotonic() - 0.5

    def lost(self, client, shard):
        """Acknowledged numbers the shard no longer has."""
        kept = {int(x) for x in client.lrange(self.keys[shard], 0, -1)}
        return [v for v in self.acked[shard] if v not in kept]


VICTIM = 5


@pytest.fixture(scope="module")
def failed_over(layout):
    """Kills shard VICTIM's master with SIGKILL under writes to 16 shards; returns the figures.
    The proxy polls the Sentinels only every 10 minutes: what it learns, it learns from their
    +switch-master events."""
    p = layout.proxy(sentinel_poll_ms=600000)
    info = p.info("proxy")
    assert info["masters_from"] == "sentinel"
    assert info["sentinels"] == 3
    wait_for("the proxy follows all 3 Sentinels",
             lambda: p.info("proxy")["sentinels_connected"] == 3, 5)
    shards = sorted(set(range(16)) | {VICTIM})
    w = Writers(p.port, shards).start()
    time.sleep(1)
    t0 = time.monotonic()
    os.kill(layout.pid(MASTER_BASE + VICTIM), signal.SIGKILL)
    wait_for("writes to the victim's shard succeed again", lambda: w.recovered(VICTIM), 30)
    recovered = time.monotonic() - t0
    time.sleep(0.5)
    w.finish()
    new_master = redis.Redis(port=REPLICA_BASE + VICTIM, socket_timeout=5)
    lost = w.lost(new_master, VICTIM)
    window = (w.errors[VICTIM][-1][0] - w.errors[VICTIM][0][0]) if w.errors[VICTIM] else 0
    report(f"kill -9 of shard {VICTIM}'s master under writes: errors for {window:.2f} s "
           f"({len(w.errors[VICTIM])} failed writes), writes succeed again after "
           f"{recovered:.2f} s, acknowledged writes lost: {len(lost)} of {len(w.acked[VICTIM])}")
    return {"proxy": p, "writers": w, "lost": lost, "recovered": recovered}


def test_sentinel_config_names_every_shard(layout):
    r = ctl("sentinel-config", "--config", layout.config, "--quorum", 2)
    assert r.returncode == 0, r.stderr
    monitors = [l for l in r.stdout.splitlines() if l.startswith("sentinel monitor ")]
    assert len(monitors) == N
    assert monitors[7] == f"sentinel monitor preshard-007 127.0.0.1 {MASTER_BASE + 7} 2"
    assert "sentinel down-after-milliseconds preshard-127 5000" in r.stdout
    r = ctl("sentinel-config", "--config", layout.config, "--quorum", 4)
    assert r.returncode == 1
    assert "--quorum 4 is more than the 3 Sentinels" in r.stderr
    r = ctl("sentinel-config", "--config", layout.config)
    assert r.returncode == 2 and "--quorum N is required" in r.stderr


def test_a_killed_master_fails_over_and_only_its_shard_sees_errors(layout, failed_over):
    w, p = failed_over["writers"], failed_over["proxy"]
    for s, errors in w.errors.items():
        if s != VICTIM:
            assert errors == [], f"shard {s} was affected: {errors[:3]}"
    assert w.errors[VICTIM], "the kill went unnoticed"
    for _, text in w.errors[VICTIM]:
        # redis-py drops the code (ERR, READONLY) from the text
        assert text.startswith(f"shard {VICTIM} ") or text.startswith(f"shard {VICTIM}'s "), text
    # Sentinel's detection (down-after 1 s) plus its election and promotion.
    assert failed_over["recovered"] < DOWN_AFTER_MS / 1000 + 15
    line = p.info("failover")[f"shard{VICTIM}"]
    assert line["master"] == f"127.0.0.1:{REPLICA_BASE + VICTIM}"
    assert line["learned"] == "switch-master"
    assert line["failovers"] == 1
    assert p.info("proxy")["failovers"] == 1
    assert p.info("failover")["shard4"]["failovers"] == 0
    # Redis replication is asynchronous: a write acknowledged just before the kill may be lost.
    assert len(failed_over["lost"]) <= 50


def test_the_old_master_comes_back_as_a_replica_and_gets_no_write(layout, failed_over):
    p = failed_over["proxy"]
    old = MASTER_BASE + VICTIM
    # The machine comes back with its old redis.conf: a master, as before the failover.
    proc = subprocess.Popen(["redis-server", str(layout.root / str(old) / "redis.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        c = redis.Redis(port=old, socket_timeout=5, decode_responses=True)
        wait_for("the old master answers", lambda: _answers(c), 10)
        key = key_on(VICTIM, "back")
        client = p.client()
        new = redis.Redis(port=REPLICA_BASE + VICTIM, socket_timeout=5, decode_responses=True)
        sets = lambda: new.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
        before = sets()
        for i in range(200):  # while the old master is back as a master
            client.set(key, i)
        wait_for("Sentinel demotes the old master",
                 lambda: _role(c) == "slave", 30)
        for i in range(200):
            client.set(key, i)
        # Every write went to the new master (the old one only sees them replicated, once it
        # is a replica), and none was refused by the old one.
        assert sets() - before == 400
        assert "errorstat_READONLY" not in c.info("errorstats")
        assert client.get(key) == b"199"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def _role(c):
    # Sentinel's reconfiguration ends with CLIENT KILL TYPE normal: a reset is part of it.
    try:
        return c.info("replication")["role"]
    except redis.ConnectionError:
        return None


def _answers(c):
    try:
        return c.ping()
    except redis.RedisError:
        return False


def test_a_proxy_started_after_the_failover_asks_sentinel(layout, failed_over):
    # Its file is the original one: it names the old master.
    p = layout.proxy()
    try:
        line = p.info("failover")[f"shard{VICTIM}"]
        assert line["master"] == f"127.0.0.1:{REPLICA_BASE + VICTIM}"
        assert line["learned"] == "sentinel-start"
        assert p.client().rpush(key_on(VICTIM, "late"), 1) == 1
    finally:
        layout.stop_proxy(p)


def test_without_sentinel_a_stale_map_is_fenced_by_the_role_check(layout, failed_over):
    old = MASTER_BASE + VICTIM
    d = layout.tmp / "stale"
    d.mkdir()
    proc = subprocess.Popen(["redis-server", "--port", str(old), "--bind", "127.0.0.1", "--save",
                             "", "--dir", str(d), "--replicaof", "127.0.0.1",
                             str(REPLICA_BASE + VICTIM)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        c = redis.Redis(port=old, socket_timeout=5)
        wait_for("the old master answers", lambda: _answers(c), 10)
        # No Sentinel answers: the file's map, whose master of the shard is a replica now.
        p = layout.proxy(sentinels=f"[127.0.0.1:{SENTINEL_BASE + 10}]")
        try:
            assert p.info("proxy")["masters_from"] == "config (no Sentinel answered at start)"
            client = p.client()
            with pytest.raises(redis.exceptions.ReadOnlyError) as e:  # READONLY ...
                client.set(key_on(VICTIM, "stale"), 1)
            assert str(e.value) == (
                f"shard {VICTIM}'s instance 127.0.0.1:{old} is a replica, not a master: nothing "
                "is sent to it until the map names the shard's master")
            assert client.set(key_on(VICTIM + 1, "stale"), 1)
            assert "cmdstat_set" not in c.info("commandstats")
        finally:
            layout.stop_proxy(p)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def test_with_min_replicas_to_write_a_kill_loses_no_acknowledged_write(layout, failed_over):
    """The same kill on another shard whose master has min-replicas-to-write 1 (and a lag bound
    of 1 s): a write is acknowledged only while a replica follows closely."""
    p = failed_over["proxy"]
    shard = 6
    master = redis.Redis(port=MASTER_BASE + shard, socket_timeout=5)
    master.config_set("min-replicas-to-write", 1)
    master.config_set("min-replicas-max-lag", 1)
    w = Writers(p.port, [shard]).start()
    time.sleep(1)
    os.kill(layout.pid(MASTER_BASE + shard), signal.SIGKILL)
    wait_for("writes to the shard succeed again", lambda: w.recovered(shard), 30)
    time.sleep(0.3)
    w.finish()
    new = redis.Redis(port=REPLICA_BASE + shard, socket_timeout=5)
    lost = w.lost(new, shard)
    report(f"kill -9 of shard {shard}'s master (min-replicas-to-write 1) under writes: "
           f"acknowledged writes lost: {len(lost)} of {len(w.acked[shard])}")
    assert lost == []
    # The promoted replica does not keep the setting: a master's own config.
    assert new.config_get("min-replicas-to-write")["min-replicas-to-write"] == "0"


def test_a_wrong_sentinel_password_is_said_and_the_file_serves(layout, failed_over):
    p = layout.proxy(sentinel_password="wrong")
    try:
        assert p.info("proxy")["masters_from"] == "config (no Sentinel answered at start)"
        assert "AUTH refused: WRONGPASS" in p.log_text()
        assert "wrong" not in p.info("everything").values()
    finally:
        layout.stop_proxy(p)


def test_instances_start_takes_the_roles_from_sentinel(layout, failed_over):
    """After the failover the file still names the old master of shard VICTIM: started again,
    it must come up as the new master's replica, not as a second master."""
    old = MASTER_BASE + VICTIM
    r = ctl("instances", "start", "--config", layout.config, "--only", VICTIM, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"shard {VICTIM} 127.0.0.1:{REPLICA_BASE + VICTIM}: already running" in r.stdout
    conf = (layout.root / str(old) / "redis.conf").read_text()
    assert conf.endswith(f"replicaof 127.0.0.1 {REPLICA_BASE + VICTIM}\n")
    assert redis.Redis(port=old, socket_timeout=5).info("replication")["role"] == "slave"


def test_a_planned_switchover_lets_sentinel_promote_with_no_error(layout, failed_over):
    p = failed_over["proxy"]  # it learns masters from Sentinel's events only
    shards = [10, 11]
    w = Writers(p.port, shards + [12]).start()
    time.sleep(0.5)
    r = ctl("failover", "--config", layout.config, "--proxy", f"127.0.0.1:{p.port}", *shards,
            timeout=180)
    time.sleep(0.3)
    w.finish()
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    pauses = [float(x) for x in re.findall(r"paused ([0-9.]+) ms", r.stdout)]
    report(f"planned switchover of shards {shards} by SENTINEL FAILOVER under writes: pauses "
           f"{', '.join(f'{x:.0f}' for x in pauses)} ms, errors "
           f"{sum(len(w.errors[s]) for s in shards)}")
    assert len(pauses) == 2
    for s in shards + [12]:
        assert w.errors[s] == [], w.errors[s][:3]
    masters = p.info("failover")
    for s in shards:
        new = redis.Redis(port=REPLICA_BASE + s, socket_timeout=5)
        assert w.lost(new, s) == []
        assert masters[f"shard{s}"]["master"] == f"127.0.0.1:{REPLICA_BASE + s}"
        assert masters[f"shard{s}"]["learned"] == "switch-master"
        name = f"preshard-{s:03d}"
        assert sentinel(SENTINELS[0]).sentinel_get_master_addr_by_name(name) == \
            ("127.0.0.1", REPLICA_BASE + s)
        assert f"  - {{master: 127.0.0.1:{REPLICA_BASE + s}, replicas: [127.0.0.1:{MASTER_BASE + s}]}}" \
            in layout.config.read_text()


def test_half_a_machine_stops_and_every_shard_recovers(layout, failed_over):
    p = failed_over["proxy"]
    victims = [s for s in range(64, 128)]
    w = Writers(p.port, victims).start()
    time.sleep(0.5)
    t0 = time.monotonic()
    for s in victims:  # SIGSTOP: they look like a dead machine (no RST, no answer)
        os.kill(layout.pid(MASTER_BASE + s), signal.SIGSTOP)
    try:
        wait_for("every stopped shard takes writes again",
                 lambda: all(w.recovered(s) for s in victims), 90)
        last = time.monotonic() - t0
        w.finish()
        masters = p.info("failover")
        moved = [s for s in victims
                 if masters[f"shard{s}"]["master"] == f"127.0.0.1:{REPLICA_BASE + s}"]
        report(f"SIGSTOP of 64 masters at once: every shard takes writes again after "
               f"{last:.2f} s; {len(moved)} of 64 failed over")
        assert len(moved) == 64
        for s in range(0, 64):  # the other machine's shards never moved (but the earlier tests')
            if s not in (VICTIM, 6, 10, 11):
                assert masters[f"shard{s}"]["failovers"] == 0, s
    finally:
        w.finish()
        for s in victims:
            os.kill(layout.pid(MASTER_BASE + s), signal.SIGCONT)
