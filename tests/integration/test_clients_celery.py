"""Celery (Debian's python3-celery, kombu's Redis transport) through preshard (issue 16): a real
`celery worker` process over the 128 instances, the broker's keys tagged with kombu's
global_keyprefix, results stored and announced by the Redis result backend (SET and PUBLISH in
one MULTI) and waited for over pub/sub."""
import gc
import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT

CLIENTS = ROOT / "tests" / "clients" / "python"


@pytest.fixture
def celery_app(make_proxy):
    p = make_proxy()
    os.environ["PRESHARD_CELERY_URL"] = f"redis://127.0.0.1:{p.port}/0"
    sys.path.insert(0, str(CLIENTS))
    import celery_app as module
    module.app.conf.broker_url = module.app.conf.result_backend = os.environ["PRESHARD_CELERY_URL"]
    env = dict(os.environ, PYTHONPATH=str(CLIENTS))
    log = open(p.workdir / "celery.log", "wb")
    worker = subprocess.Popen(
        ["/usr/bin/python3", "-m", "celery", "-A", "celery_app", "worker", "--pool", "solo", "--without-mingle",
         "--without-gossip", "--without-heartbeat", "--loglevel", "INFO"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(CLIENTS))
    try:
        yield module, p
    finally:
        module.app.close()
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        sys.path.remove(str(CLIENTS))
        sys.modules.pop("celery_app", None)


def test_celery_runs_tasks_and_returns_results_through_the_proxy(celery_app):
    module, p = celery_app
    results = [module.add.delay(i, 1) for i in range(30)]
    assert [r.get(timeout=60) for r in results] == [i + 1 for i in range(30)]
    del results
    gc.collect()  # each result unsubscribes its channel now, while the proxy runs
    log = (p.workdir / "celery.log").read_text(errors="replace")
    assert "CROSSSHARD" not in log and "succeeded" in log
