"""The proxy's script cache (issue 16, item 2): a script loaded through the proxy (EVAL or
SCRIPT LOAD) runs by EVALSHA on every shard, in order, without NOSCRIPT; SCRIPT LOAD reaches one
instance, not 128; SCRIPT EXISTS and SCRIPT FLUSH answer as one Redis would."""
import hashlib
import uuid

import redis

from conftest import command, keys_on_distinct_shards, shard_of

INCR_BODY = "return redis.call('INCRBY', KEYS[1], ARGV[1]) -- %s"


def _body():
    return INCR_BODY % uuid.uuid4().hex  # a script no instance has seen yet


def _loaded_on(instances, sha):
    return [i for i in range(len(instances)) if instances.client(i).script_exists(sha)[0]]


def test_eval_on_one_shard_then_evalsha_on_others(proxy, instances):
    r = proxy.client()
    keys = keys_on_distinct_shards(20, "sc")
    body = _body()
    assert r.eval(body, 1, keys[0], 5) == 5
    sha = r.script_load(body)  # the same name EVAL cached it under
    for k in keys[1:]:
        assert r.evalsha(sha, 1, k, 2) == 2
    assert sorted(_loaded_on(instances, sha)) == sorted({shard_of(k) for k in keys} | {0})


def test_script_load_reaches_one_instance_and_evalsha_loads_lazily(proxy, instances):
    r = proxy.client()
    body = _body()
    sha = r.script_load(body)
    assert _loaded_on(instances, sha) == [0]  # compiled on shard 0 only
    assert r.script_exists(sha, "0" * 40) == [True, False]
    keys = keys_on_distinct_shards(30, "lz")
    # One pipeline, the same script on 30 shards, with the keys' own commands around it: every
    # reply in place, none NOSCRIPT.
    raw = proxy.raw()
    data = b""
    for k in keys:
        data += command("SET", k, "10") + command("EVALSHA", sha, "1", k, "1") + command("GET", k)
    raw.send(data)
    out = raw.replies(3 * len(keys))
    assert out == ["OK", 11, b"11"] * len(keys)
    # The same again: each connection knows it has the script, nothing is loaded twice. (From
    # the same client: a worker thread has instance connections of its own.)
    before = sum(instances.client(shard_of(k)).info("commandstats").get(
        "cmdstat_script|load", {}).get("calls", 0) for k in keys)
    for k in keys:
        raw.send(command("EVALSHA", sha, "1", k, "1"))
        assert raw.reply() == 12
    after = sum(instances.client(shard_of(k)).info("commandstats").get(
        "cmdstat_script|load", {}).get("calls", 0) for k in keys)
    assert after == before


def test_script_errors_and_flush_answer_as_redis(proxy):
    r = proxy.client()
    raw = proxy.raw()
    raw.send(command("SCRIPT", "LOAD", "return ("))
    err = raw.reply()
    assert err.startswith("ERR Error compiling script (new function): user_script:1:"), err
    assert r.script_exists(hashlib.sha1(b"return (").hexdigest()) == [False]
    body = _body()
    sha = r.script_load(body)
    assert r.script_exists(sha) == [True]
    assert r.script_flush() is True
    assert r.script_exists(sha) == [False]
    raw.send(command("EVALSHA", sha, "1", "fk", "1"))
    assert raw.reply().startswith("NOSCRIPT")  # as Redis after SCRIPT FLUSH
    raw.send(command("SCRIPT", "KILL"))
    assert raw.reply() == "NOTBUSY No scripts in execution right now."


def restart_then(inst, run, never):
    """Restarts instance `inst` (empty: no persistence), then runs `run` until the shard is back:
    connection errors (and an EXEC aborted by one) are retried; an error containing `never`
    fails the test."""
    inst.stop()
    inst.start()
    inst.wait()
    for _ in range(50):
        try:
            return run()
        except (redis.ConnectionError, redis.exceptions.ExecAbortError):
            pass
        except redis.ResponseError as e:
            assert never not in str(e), e
    raise AssertionError("the shard never came back")


def test_evalsha_in_multi_and_after_an_instance_restart(proxy, instances):
    r = proxy.client()
    body = _body()
    sha = r.script_load(body)
    (k,) = [x for x in keys_on_distinct_shards(5, "mx") if shard_of(x) != 0][:1]
    with r.pipeline(transaction=True) as p:
        p.evalsha(sha, 1, k, 3)
        p.get(k)
        assert p.execute() == [3, b"3"]
    # The instance restarts and forgets its scripts; the connection reset tells the proxy.
    # (The data went too: no persistence.)
    assert restart_then(instances[shard_of(k)], lambda: r.evalsha(sha, 1, k, 1), "NOSCRIPT") == 1


def test_redis_py_registered_scripts_in_a_pipeline_across_shards(proxy):
    r = proxy.client()
    script = r.register_script(_body())
    keys = keys_on_distinct_shards(20, "rp")
    with r.pipeline(transaction=False) as p:
        for k in keys:
            script(keys=[k], args=[4], client=p)
        assert p.execute() == [4] * len(keys)


LIBRARY = """#!lua name=plib
redis.register_function('pget', function(keys, args) return redis.call('GET', keys[1]) end)
redis.register_function{function_name='pincr', callback=function(keys, args)
  return redis.call('INCRBY', keys[1], args[1]) end}
"""


def test_fcall_loads_a_library_an_instance_lost_and_delete_forgets_it(proxy, instances):
    """FUNCTION LOAD through the proxy is remembered: an instance that restarted empty gets the
    library again right before the next FCALL of one of its functions, also inside MULTI."""
    r = proxy.client()
    assert r.function_load(LIBRARY) == b"plib"
    (k,) = [x for x in keys_on_distinct_shards(5, "fx") if shard_of(x) != 0][:1]
    assert r.fcall("pincr", 1, k, 2) == 2
    assert r.fcall("pget", 1, k) == b"2"
    inst = instances[shard_of(k)]
    assert restart_then(inst, lambda: r.fcall("pincr", 1, k, 1), "Function not found") == 1
    assert inst.client().function_list(library="plib")[0][1] == b"plib"

    def in_multi():  # once more, and this time the FCALL comes in a transaction
        with r.pipeline(transaction=True) as p:
            p.fcall("pincr", 1, k, 5)
            p.get(k)
            return p.execute()

    assert restart_then(inst, in_multi, "Function not found") == [5, b"5"]
    # FUNCTION DELETE goes everywhere and the proxy forgets it: the instances' own answer.
    assert r.function_delete("plib") in (True, b"OK")
    try:
        r.fcall("pget", 1, k)
        raise AssertionError("FCALL of a deleted function ran")
    except redis.ResponseError as e:
        assert "Function not found" in str(e)
