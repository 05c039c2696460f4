"""Debian's python3-rq through preshard (issue 16): jobs enqueued with RQ's API and run by a real
`rq worker` process, over the 128 instances, with the queue's keys tagged; without the tags RQ's
MULTI spans shards and gets preshard's CROSSSHARD, as README says."""
import os
import subprocess

import pytest
import redis
from rq.job import Job

from conftest import ROOT, shard_of

CLIENTS = ROOT / "tests" / "clients" / "python"


@pytest.fixture
def tagged():
    import sys
    sys.path.insert(0, str(CLIENTS))
    try:
        import rq_tagged
        yield rq_tagged
    finally:
        sys.path.remove(str(CLIENTS))


def test_rq_worker_runs_jobs_through_the_proxy(make_proxy, tagged):
    p = make_proxy()
    r = redis.Redis(port=p.port)
    q = tagged.TaggedQueue("{jobs}", connection=r)
    for i in range(50):
        q.enqueue(tagged.add, i, 1, job_id=f"{{jobs}}{i}")
    assert len(q) == 50
    env = dict(os.environ, PYTHONPATH=str(CLIENTS))
    out = subprocess.run(
        ["rq", "worker", "--burst", "-u", f"redis://127.0.0.1:{p.port}", "--worker-class",
         "rq_tagged.TaggedWorker", "--queue-class", "rq_tagged.TaggedQueue", "-n", "{jobs}w1",
         "{jobs}"], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    jobs = [Job.fetch(f"{{jobs}}{i}", connection=r) for i in range(50)]
    assert [j.get_status() for j in jobs] == ["finished"] * 50, out.stdout[-3000:] + out.stderr[-3000:]
    assert [j.return_value() for j in jobs] == [i + 1 for i in range(50)]
    assert len(q) == 0
    # Everything RQ wrote lives on the tag's shard.
    keys = [k.decode() for k in r.scan_iter(count=1000)]
    assert keys and {shard_of(k) for k in keys} == {shard_of("{jobs}")}


def test_untagged_rq_gets_crossshard_not_a_wrong_answer(make_proxy, tagged):
    from rq import Queue
    p = make_proxy()
    q = Queue("plain", connection=redis.Redis(port=p.port))
    with pytest.raises(redis.ResponseError, match="CROSSSHARD"):
        q.enqueue(tagged.add, 1, 1, job_id="plain-1")
