"""The proxy's own statistics: INFO commandstats/errorstats/latencystats against a redis-server,
and the admin endpoint (/metrics, /status, /sd) over 128 instances."""
import base64
import json
import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import redis

from conftest import RawClient, command, keys_on_distinct_shards, shard_of, wait_port

ADMIN_PORT = 23400  # + a few: test ports stay in 21000-24999


def http_get(port, path, auth=None, timeout=10):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()


def parse_metrics(text):
    """Prometheus text format -> {(name, frozenset(labels)): value}; strict about the syntax."""
    out = {}
    line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
    label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')
    types = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert name not in types, f"family {name} declared twice"
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = line_re.match(line)
        assert m, f"bad sample line: {line!r}"
        name, labels, value = m.groups()
        pairs = frozenset(label_re.findall(labels or ""))
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or base in types, f"{name} has no TYPE"
        out[(name, pairs)] = float(value)
    return out


def sample(metrics, name, **labels):
    return metrics.get((name, frozenset((k, str(v)) for k, v in labels.items())))


def wait_for(check, timeout=10.0, step=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def info_text(port, *sections):
    raw = RawClient(port)
    raw.send(command("INFO", *sections))
    text = raw.reply().decode()
    raw.close()
    return text


def stat_lines(info_text, prefix):
    return {l.split(":")[0]: dict(kv.split("=") for kv in l.split(":", 1)[1].split(","))
            for l in info_text.splitlines() if l.startswith(prefix)}


def run_sequence(c):
    for i in range(3):
        c.set(f"seq{i}", "v")
    c.get("seq0")
    c.get("seq1")
    for args in (("GET",), ("LPUSH", "seq0", "x"), ("NOSUCHCMD",)):
        with pytest.raises(redis.ResponseError):
            c.execute_command(*args)


def test_commandstats_and_errorstats_like_redis(make_proxy, clean):
    """The same commands through the proxy and to one redis-server: the same cmdstat and
    errorstat lines (calls, rejected and failed counts), and Redis's section defaults."""
    direct = clean.client(0)
    direct.config_resetstat()
    run_sequence(direct)
    p = make_proxy()
    run_sequence(p.client())
    want = info_text(clean[0].port, "commandstats")
    got = info_text(p.port, "commandstats")
    # (The instance also counts the proxy's monitor's INFOs, the RESETSTAT, and the ROLE of
    # each connection's handshake.)
    want_stats = {k: v for k, v in stat_lines(want, "cmdstat_").items()
                  if k not in ("cmdstat_config|resetstat", "cmdstat_info", "cmdstat_role")}
    got_stats = stat_lines(got, "cmdstat_")
    assert set(got_stats) == set(want_stats)
    for name, fields in want_stats.items():
        assert set(got_stats[name]) == set(fields), name
        for f in ("calls", "rejected_calls", "failed_calls"):
            assert got_stats[name][f] == fields[f], (name, f)
    errors_want = stat_lines(info_text(clean[0].port, "errorstats"), "errorstat_")
    errors_got = stat_lines(info_text(p.port, "errorstats"), "errorstat_")
    assert errors_got == errors_want  # ERR: 2 (arity, unknown), WRONGTYPE: 1
    lat = stat_lines(info_text(p.port, "latencystats"), "latency_percentiles_usec_")
    assert set(lat["latency_percentiles_usec_set"]) == {"p50", "p99", "p99.9"}
    assert 0 < float(lat["latency_percentiles_usec_set"]["p50"]) < 1e6
    # As in Redis: INFO alone has errorstats but not commandstats or latencystats; "all" has them.
    for port in (clean[0].port, p.port):
        plain = info_text(port)
        assert "# Errorstats" in plain and "# Commandstats" not in plain
        assert "# Latencystats" not in plain
        everything = info_text(port, "all")
        assert "# Commandstats" in everything and "# Latencystats" in everything


def test_latency_tracking_no_keeps_the_counters_but_no_histograms(make_proxy, clean):
    """Redis's latency-tracking: off, INFO latencystats is empty and the shard histograms stay
    at zero, while commandstats still counts; a reload turns it back on."""
    p = make_proxy(latency_tracking="no")
    c = p.client()
    for i in range(20):
        c.set(f"lt:{i}", "v")
    assert stat_lines(info_text(p.port, "latencystats"), "latency_percentiles_usec_") == {}
    assert stat_lines(info_text(p.port, "commandstats"), "cmdstat_")["cmdstat_set"]["calls"] == \
        "20"
    p.write_config(p.instances, latency_tracking="yes")
    assert c.execute_command("PROXY", "RELOAD") == b"OK"
    c.set("lt:x", "v")
    lat = stat_lines(info_text(p.port, "latencystats"), "latency_percentiles_usec_")
    assert "latency_percentiles_usec_set" in lat


def test_metrics_status_and_sd(make_proxy, clean):
    port = ADMIN_PORT
    p = make_proxy(admin_listen=f"127.0.0.1:{port}", monitor_interval_ms=200)
    wait_port(port, proc=p.proc)  # the admin listener may open after the client port
    c = p.client()
    keys = keys_on_distinct_shards(16, "m")
    for k in keys:
        c.set(k, "v")
        c.get(k)
    c.mget(keys)
    with pytest.raises(redis.ResponseError):
        c.execute_command("LPUSH", keys[0], "x")
    status, ctype, body = http_get(port, "/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    m = parse_metrics(body)
    assert sample(m, "preshard_commands_total", cmd="set") == 16
    assert sample(m, "preshard_commands_total", cmd="get") == 16
    assert sample(m, "preshard_commands_failed_total", cmd="lpush") == 1
    assert sample(m, "preshard_command_duration_seconds_count", cmd="set") == 16
    buckets = sorted((float(dict(l)["le"]), v) for (n, l), v in m.items()
                     if n == "preshard_command_duration_seconds_bucket" and ("cmd", "get") in l)
    assert buckets[-1] == (float("inf"), 16)
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:]))  # cumulative
    sent = {int(dict(l)["shard"]): v for (n, l), v in m.items() if n == "preshard_shard_requests_total"}
    assert len(sent) == 128
    for k in keys:
        assert sent[shard_of(k)] >= 3  # SET, GET, and its part of MGET
    assert sample(m, "preshard_connected_clients") >= 1
    assert sample(m, "process_open_fds") > 0 and sample(m, "process_resident_memory_bytes") > 0

    def ups():
        mm = parse_metrics(http_get(port, "/metrics")[2])
        return {int(dict(l)["shard"]): v for (n, l), v in mm.items() if n == "preshard_shard_up"}
    assert wait_for(lambda: sum(ups().values()) == 128), ups()
    labels = [dict(l) for (n, l), _ in m.items() if n == "preshard_shard_up"]
    assert {l["role"] for l in labels} <= {"master", "unknown"}

    sd = json.loads(http_get(port, "/sd")[2])
    assert [g["targets"] for g in sd] == [[a] for a in clean.addresses()]
    assert [g["labels"]["shard"] for g in sd] == [str(i) for i in range(128)]

    # A shard nobody uses: the monitor still sees it die, and come back.
    victim = 77
    clean[victim].stop()
    assert wait_for(lambda: ups()[victim] == 0, timeout=5)
    st = json.loads(http_get(port, "/status")[2])
    assert st["shards"][victim]["state"] == "down"
    assert "unavailable" in st["shards"][victim]["error"]
    assert st["totals"]["shards_up"] == 127
    clean[victim].start()
    clean[victim].wait()
    assert wait_for(lambda: ups()[victim] == 1, timeout=8)

    # PROXY PAUSE shows; a key count and memory come from the instances' INFO.
    c.execute_command("PROXY", "PAUSE", 5, "TIMEOUT", 3000)
    st = json.loads(http_get(port, "/status")[2])
    assert st["shards"][5]["state"] == "paused" and st["shards"][5]["paused"]
    c.execute_command("PROXY", "RESUME", 5)
    st = wait_for(lambda: (lambda s: s if s["totals"]["keys"] == 16 else None)(
        json.loads(http_get(port, "/status")[2])))
    assert st and st["totals"]["used_memory"] > 0 and st["shards"][5]["state"] == "up"
    assert http_get(port, "/")[2].startswith("<!doctype html>")
    with pytest.raises(urllib.error.HTTPError) as e:
        http_get(port, "/nothing")
    assert e.value.code == 404


def test_admin_endpoint_needs_the_admin_password(make_proxy):
    port = ADMIN_PORT + 1
    p = make_proxy(admin_listen=f"127.0.0.1:{port}", admin_password="s3cret")
    wait_port(port, proc=p.proc)  # the admin listener may open after the client port
    with pytest.raises(urllib.error.HTTPError) as e:
        http_get(port, "/metrics")
    assert e.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as e:
        http_get(port, "/status", auth="admin:wrong")
    assert e.value.code == 401
    assert http_get(port, "/metrics", auth="admin:s3cret")[0] == 200


def test_info_sums_the_instances_and_names_missing_shards(make_proxy, clean):
    p = make_proxy(monitor_interval_ms=200)
    c = p.client()
    version = clean.client(0).info("server")["redis_version"]
    assert wait_for(lambda: c.info("memory").get("instances_reporting") == 128)
    assert c.info("server")["redis_version"] == version
    mem = c.info("memory")
    direct = sum(clean.client(i).info("memory")["used_memory"] for i in range(128))
    assert abs(mem["used_memory"] - direct) < 0.05 * direct
    assert mem["maxmemory_policy"] == "noeviction"
    assert c.info("persistence")["aof_enabled"] == 0
    clean.client(3).config_set("maxmemory-policy", "allkeys-lru")
    try:
        assert wait_for(lambda: c.info("memory")["maxmemory_policy"] == "mixed")
    finally:
        clean.client(3).config_set("maxmemory-policy", "noeviction")
    clean[20].stop()
    assert wait_for(lambda: c.info("memory").get("instances_reporting") == 127)
    text = info_text(p.port, "memory")
    assert "shard_errors:20\r\n" in text
    assert "shard_errors:20\r\n" in info_text(p.port, "persistence")


def test_info_server_gives_the_instances_version_before_the_monitor_has_one(make_proxy, clean):
    # The shard monitor off: INFO server alone asks the instances rather than guess a version.
    p = make_proxy(monitor_interval_ms=0)
    version = clean.client(0).info("server")["redis_version"]
    assert p.client().info("server")["redis_version"] == version


def test_redis_cli_stat_shows_memory_and_blocked_clients(make_proxy, clean):
    p = make_proxy(monitor_interval_ms=200)
    c = p.client()
    for i in range(50):
        c.set(f"stat{i}", "v")
    assert wait_for(lambda: c.info("memory").get("instances_reporting") == 128)
    blocker = RawClient(p.port)
    blocker.send(command("BLPOP", "stat-list", "5"))
    assert wait_for(lambda: c.info("clients")["blocked_clients"] == 1)
    out = subprocess.run(["timeout", "-s", "INT", "2.5", "stdbuf", "-o0", "redis-cli", "-p",
                          str(p.port), "--stat", "-i", "0.5"],
                         capture_output=True, text=True).stdout
    rows = [l.split() for l in out.splitlines() if l[:1].isdigit()]
    assert rows, out
    keys, mem, clients, blocked = rows[-1][:4]
    assert keys == "50" and blocked == "1", out
    assert mem.endswith(("K", "M", "G")) and float(mem[:-1]) > 0, out
    blocker.close()


def test_proxy_info_passes_one_instance_through(make_proxy, clean):
    p = make_proxy()
    c = p.client()
    text = c.execute_command("PROXY", "INFO", 5, "server").decode()
    assert text.startswith("# Server\r\n")
    assert f"tcp_port:{clean[5].port}\r\n" in text
    both = c.execute_command("PROXY", "INFO", 127, "memory", "clients").decode()
    assert "# Memory" in both and "# Clients" in both and "# Server" not in both
    for bad in ("128", "-1", "x"):
        with pytest.raises(redis.ResponseError) as e:
            c.execute_command("PROXY", "INFO", bad)
        with pytest.raises(redis.ResponseError) as pause_error:
            c.execute_command("PROXY", "PAUSE", bad)
        assert str(e.value) == str(pause_error.value)


def test_info_reads_the_instances_as_they_are_now(make_proxy, clean):
    """INFO's instance sections come from asking every shard with this INFO, not from the shard
    monitor's last sample (Redis's test suite reads used_memory or rdb_changes_since_last_save
    right after a write): with the monitor at a minute, a write shows at once."""
    p = make_proxy(monitor_interval_ms=60000)
    r = p.client()
    before = r.info("persistence")["rdb_changes_since_last_save"]
    for i in range(5):
        r.set(f"live{i}", "x")
    assert r.info("persistence")["rdb_changes_since_last_save"] == before + 5
    used = r.info("memory")["used_memory"]
    r.set("livebig", "x" * (4 << 20))
    assert r.info("memory")["used_memory"] > used + (3 << 20)
    assert r.info("stats")["total_commands_processed"] > 0
    assert r.info()["db0"]["keys"] == 6
