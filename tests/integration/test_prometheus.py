"""A real Prometheus (Debian's) scrapes the proxy's /metrics, and a real redis_exporter in
multi-target mode scrapes all 128 instances, found through the proxy's /sd."""
import json
import pathlib
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, keys_on_distinct_shards, wait_port

ADMIN_PORT = 23420
PROMETHEUS_PORT = 23421
EXPORTER_PORT = 23422


def query(expr):
    url = f"http://127.0.0.1:{PROMETHEUS_PORT}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as r:
        doc = json.load(r)
    assert doc["status"] == "success", doc
    return doc["data"]["result"]


def wait_query(expr, ok, timeout=30.0):
    """Polls a PromQL query until ok(result); returns the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = query(expr)
        if ok(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


@pytest.fixture
def prometheus(tmp_path):
    """Prometheus scraping the proxy (1 s) and, through redis_exporter, every instance /sd lists."""
    exporter = subprocess.Popen(
        ["prometheus-redis-exporter", "-web.listen-address", f"127.0.0.1:{EXPORTER_PORT}",
         "-redis.addr", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config = tmp_path / "prometheus.yml"
    config.write_text(f"""
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: preshard
    static_configs:
      - targets: ["127.0.0.1:{ADMIN_PORT}"]
  - job_name: redis
    scrape_interval: 2s
    scrape_timeout: 2s
    http_sd_configs:
      - url: "http://127.0.0.1:{ADMIN_PORT}/sd"
        refresh_interval: 5s
    metrics_path: /scrape
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
        replacement: "redis://$1"
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: "127.0.0.1:{EXPORTER_PORT}"
""")
    prom = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{PROMETHEUS_PORT}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=open(tmp_path / "prometheus.log", "wb"))
    try:
        wait_port(PROMETHEUS_PORT, timeout=30, proc=prom)
        wait_port(EXPORTER_PORT, timeout=10, proc=exporter)
        yield prom
    finally:
        for proc in (prom, exporter):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_prometheus_scrapes_the_proxy_and_the_instances(make_proxy, clean, prometheus):
    p = make_proxy(admin_listen=f"127.0.0.1:{ADMIN_PORT}", monitor_interval_ms=250)
    c = p.client()
    keys = keys_on_distinct_shards(32, "prom")
    scraped = wait_query('up{job="preshard"} == 1', lambda r: len(r) == 1)
    assert scraped, "Prometheus never scraped the proxy"
    # Load for a few scrapes: the rate Prometheus computes is the load's.
    deadline = time.monotonic() + 4
    sent = 0
    while time.monotonic() < deadline:
        pipe = c.pipeline(transaction=False)
        for k in keys:
            pipe.set(k, "v")
        pipe.execute()
        sent += len(keys)
    rate = wait_query("sum(rate(preshard_commands_total[30s]))",
                      lambda r: r and float(r[0]["value"][1]) > 0)
    assert rate and float(rate[0]["value"][1]) > 0
    total = wait_query('preshard_commands_total{cmd="set"}',
                       lambda r: r and float(r[0]["value"][1]) == sent)
    assert float(total[0]["value"][1]) == sent
    up = wait_query("count(preshard_shard_up == 1)", lambda r: r and r[0]["value"][1] == "128")
    assert up[0]["value"][1] == "128"

    # redis_exporter, fed by /sd, sees every instance.
    exported = wait_query("count(redis_up == 1)", lambda r: r and r[0]["value"][1] == "128",
                          timeout=40)
    assert exported and exported[0]["value"][1] == "128"
    keys_seen = wait_query('sum(redis_db_keys{db="db0"})',
                           lambda r: r and float(r[0]["value"][1]) == len(keys), timeout=20)
    assert float(keys_seen[0]["value"][1]) == len(keys)

    # An instance dies: Prometheus sees its shard down, from the proxy's view.
    victim = 41
    clean[victim].stop()
    down = wait_query("preshard_shard_up == 0", lambda r: len(r) == 1, timeout=20)
    assert [r["metric"]["shard"] for r in down] == [str(victim)]
    assert down[0]["metric"]["address"] == f"127.0.0.1:{clean[victim].port}"


def _exporter_series(redis_port, listen_port):
    """The redis_* series names a stock redis_exporter finds on one address."""
    exporter = subprocess.Popen(
        ["prometheus-redis-exporter", "-web.listen-address", f"127.0.0.1:{listen_port}",
         "-redis.addr", f"redis://127.0.0.1:{redis_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(listen_port, timeout=10, proc=exporter)
        text = urllib.request.urlopen(f"http://127.0.0.1:{listen_port}/metrics", timeout=20).read()
    finally:
        exporter.terminate()
        exporter.wait(10)
    names = set()
    for line in text.decode().splitlines():
        if line.startswith("redis_"):
            names.add(line.split("{")[0].split(" ")[0])
    return names


def test_redis_exporter_pointed_at_the_proxy_finds_what_a_redis_server_has(make_proxy, clean):
    p = make_proxy()
    c = p.client()
    for i in range(50):
        c.set(f"exp{i}", i)
    for client in (c, clean.client(0)):  # an error reply each, for errorstats
        try:
            client.execute_command("NOSUCHCOMMAND")
        except Exception:
            pass
    proxy_names = _exporter_series(p.port, EXPORTER_PORT + 1)
    direct_names = _exporter_series(clean[0].port, EXPORTER_PORT + 2)
    missing = sorted(direct_names - proxy_names)
    report = ROOT / "build" / "exporter-series.txt"
    report.parent.mkdir(exist_ok=True)
    report.write_text(f"through preshard: {len(proxy_names)} redis_* series names; direct: "
                      f"{len(direct_names)}\nmissing through preshard: {missing}\n")
    assert "redis_up" in proxy_names and "redis_slowlog_length" in proxy_names
    assert "redis_cluster_enabled" in proxy_names
    # What is left is one instance's own: replication offsets and backlog (the proxy is neither
    # a master nor a replica), allocator ratios (they differ per instance), client buffer peaks.
    assert len(missing) <= len(direct_names) // 10, missing
    assert not [m for m in missing if "keyspace" in m or "commands" in m or "memory" in m]
