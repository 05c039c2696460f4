"""Client libraries from npm (tests/clients, installed from its lockfile) through preshard over
128 shards, with their default options (issue 16)."""
from conftest import node_client


def test_ioredis_define_command_in_pipelines_across_shards(proxy):
    out = node_client("ioredis_scripts.js", proxy.port)
    # Three runs, each on a fresh connection that sends EVALSHA first: never NOSCRIPT.
    assert out["runs"] == [[1] * 40, [2] * 40, [3] * 40]
    assert out["single"] == 15


def test_bullmq_runs_1000_jobs_through_a_worker(proxy):
    out = node_client("bullmq_jobs.js", proxy.port, timeout=120)
    assert out["done"] == 1000 and out["total"] == sum(range(1000)) + 1000
    assert out["counts"]["completed"] == 1000 and out["counts"]["failed"] == 0
    assert out["workers"] == 1  # getWorkers() reads CLIENT LIST
