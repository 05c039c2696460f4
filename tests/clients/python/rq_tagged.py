"""RQ through preshard: RQ's per-queue keys (rq:queue:NAME, rq:wip:NAME, ...) carry the queue's
name, and a job's keys its id, so a queue named "{jobs}" with job ids "{jobs}..." keeps a
queue's keys on one shard. Only RQ's two global sets and its suspension flag are named without
the queue (a worker's heartbeat and the flag are read in one MULTI); these classes tag them too
(rq worker --worker-class/--queue-class take them)."""
import rq.suspension
from rq import Queue, Worker

rq.suspension.WORKERS_SUSPENDED = "{jobs}:rq:suspended"


class TaggedQueue(Queue):
    redis_queues_keys = "{jobs}:rq:queues"


class TaggedWorker(Worker):
    redis_workers_keys = "{jobs}:rq:workers"
    queue_class = TaggedQueue


def add(a, b):
    return a + b
