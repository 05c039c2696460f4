"""Celery through preshard: the Redis broker (kombu) with a tagged `global_keyprefix`, so that
its queue, bindings and unacked bookkeeping share one shard, and the Redis result backend, whose
keys are its pub/sub channels (celery-task-meta-ID: SET and PUBLISH of the same name in one
MULTI, which preshard sends to that name's shard)."""
import os

from celery import Celery

URL = os.environ.get("PRESHARD_CELERY_URL", "redis://127.0.0.1:6380/0")

app = Celery("preshard_test", broker=URL, backend=URL)
app.conf.broker_transport_options = {"global_keyprefix": "{celery}"}
app.conf.worker_enable_remote_control = False  # no pidbox fanout (not needed to run tasks)
app.conf.broker_connection_retry_on_startup = True


@app.task
def add(a, b):
    return a + b
