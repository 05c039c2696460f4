"""TLS towards the instances (issue 15): redis-server --tls-port instances that require a client
certificate; the proxy checks their certificates against a CA and their names; a wrong CA, a
wrong name or a missing client certificate fails the shard's commands with a clear error naming
it, with backoff; an entry may opt out; a reload's TLS settings serve the next handshakes. Also
the TLS-only proxy (listen port 0)."""
import signal
import subprocess
import time

import pytest
import redis

from conftest import BIN, exercise_four_shards, key_on, wait_port
from test_tls import make_ca, make_cert

BASE = 23520  # instances of this file: 23520-23523
TLS_ONLY_PORT = 23530


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("backend-tls")
    for ca in ("ca", "otherca"):
        make_ca(d, ca)
    make_cert(d, "instance", "ca", "redis-instance", server=True)  # SAN IP:127.0.0.1
    make_cert(d, "proxy", "ca", "preshard")  # the proxy's client certificate
    return d


@pytest.fixture
def tls_instances(pki, tmp_path):
    """Four instances: three TLS-only (client certificates required), one plain."""
    procs = []
    for i in range(4):
        if i < 3:
            net = ["--port", "0", "--tls-port", str(BASE + i), "--tls-cert-file",
                   str(pki / "instance.crt"), "--tls-key-file", str(pki / "instance.key"),
                   "--tls-ca-cert-file", str(pki / "ca.crt"), "--tls-auth-clients", "yes"]
        else:
            net = ["--port", str(BASE + i)]
        procs.append(subprocess.Popen(
            ["redis-server", *net, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for i, p in enumerate(procs):
            wait_port(BASE + i, proc=p)
        yield [f"127.0.0.1:{BASE + i}" for i in range(3)] + \
            [f"{{master: 127.0.0.1:{BASE + 3}, tls: no}}"]
    finally:
        for p in procs:
            p.kill()
            p.wait()


def direct(i, pki):
    if i == 3:
        return redis.Redis(port=BASE + i)
    return redis.Redis(port=BASE + i, ssl=True, ssl_ca_certs=str(pki / "ca.crt"),
                       ssl_certfile=str(pki / "proxy.crt"), ssl_keyfile=str(pki / "proxy.key"))


def tls_settings(pki, **more):
    s = dict(tls_backends="yes", tls_backends_ca_cert_file=str(pki / "ca.crt"),
             tls_client_cert_file=str(pki / "proxy.crt"),
             tls_client_key_file=str(pki / "proxy.key"))
    s.update(more)
    return s


def test_commands_reach_tls_instances_and_the_plain_one(make_proxy, tls_instances, pki):
    p = make_proxy(tls_instances, **tls_settings(pki))
    # Subscriber connections and blocking ones speak TLS too.
    exercise_four_shards(p, lambda s: direct(s, pki), on_shard=0)
    assert int(p.info("memory")["instances_reporting"]) == 4  # INFO goes to every shard
    time.sleep(1.2)  # the shard monitor (monitor_interval_ms) has polled every instance
    assert int(p.info("stats")["backend_tls_failures"]) == 0
    assert "TLS" not in p.log_text()


def shard_error(c, key):
    with pytest.raises(redis.ResponseError) as e:
        c.get(key)
    return str(e.value)


def test_an_untrusted_instance_certificate_is_refused_with_backoff(make_proxy, tls_instances,
                                                                  pki):
    p = make_proxy(tls_instances, **tls_settings(pki, tls_backends_ca_cert_file=str(
        pki / "otherca.crt")))
    c = p.client()
    text = shard_error(c, key_on(0, "k", n=4))
    assert "shard 0" in text and "TLS handshake failed" in text, text
    assert "certificate" in text, text
    assert c.set(key_on(3, "k", n=4), "plain") is True  # the plain entry is not affected
    # Requests keep failing fast; the handshakes are retried with the connect backoff, not per
    # request (retry_min_ms 100 .. retry_max_ms 2000: a handful in 1.5 s).
    before = int(p.info("stats")["backend_tls_failures"])
    deadline = time.monotonic() + 1.5
    n = 0
    while time.monotonic() < deadline:
        assert "shard 0" in shard_error(c, key_on(0, "k", n=4))
        n += 1
    after = int(p.info("stats")["backend_tls_failures"])
    assert n > 50 and after - before <= 12, (n, before, after)
    assert "TLS handshake failed" in p.log_text()


def test_the_certificate_must_name_the_instance(make_proxy, tls_instances, pki):
    named = [f"{{master: {a}, tls_server_name: cache.example}}" for a in tls_instances[:3]]
    p = make_proxy(named + tls_instances[3:], **tls_settings(pki))
    text = shard_error(p.client(), key_on(1, "k", n=4))
    assert "shard 1" in text and "hostname mismatch" in text, text
    # Checking the name can be turned off (the chain is still checked); a reload's settings
    # serve the next handshake.
    p.write_config(p.instances, tls_backends_check_hostname="no")
    assert p.client().execute_command("PROXY", "RELOAD") == b"OK"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            p.client().get(key_on(1, "k", n=4))
            break
        except redis.ResponseError:
            time.sleep(0.2)
    assert p.client().set(key_on(1, "k", n=4), "ok") is True


def test_a_missing_client_certificate_is_refused_by_the_instance(make_proxy, tls_instances, pki):
    s = tls_settings(pki)
    del s["tls_client_cert_file"], s["tls_client_key_file"]
    p = make_proxy(tls_instances, **s)
    text = shard_error(p.client(), key_on(2, "k", n=4))
    assert "shard 2" in text, text
    assert "unavailable" in text, text


def test_bad_backend_tls_files_stop_the_start_and_a_reload(make_proxy, tls_instances, pki,
                                                         tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("listen: 127.0.0.1:23531\ntls_backends: 'yes'\n"
                   f"tls_backends_ca_cert_file: {tmp_path}/missing.crt\ninstances:\n" +
                   "".join(f"  - {a}\n" for a in tls_instances))
    out = subprocess.run([BIN, "--check", "-c", str(cfg)], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 1
    assert "tls_backends: tls_backends_ca_cert_file" in out.stderr and "missing.crt" in out.stderr
    p = make_proxy(tls_instances, **tls_settings(pki))
    p.write_config(p.instances, tls_client_key_file=str(pki / "instance.key"))  # wrong key
    with pytest.raises(redis.ResponseError) as e:
        p.client().execute_command("PROXY", "RELOAD")
    assert "tls_client_key_file" in str(e.value) and "mismatch" in str(e.value)
    assert p.client().set(key_on(0, "k", n=4), "still") is True


def test_tls_only_proxy(tmp_path, pki, tls_instances):
    """listen port 0: no plain port at all, clients only over TLS."""
    make_cert(pki, "front", "ca", "preshard", server=True)
    cfg = tmp_path / "tls-only.yaml"
    cfg.write_text("listen: 127.0.0.1:0\n"
                   f"tls_port: {TLS_ONLY_PORT}\ntls_cert_file: {pki}/front.crt\n"
                   f"tls_key_file: {pki}/front.key\ntls_auth_clients: 'no'\n" +
                   "".join(f"{k}: {v}\n" for k, v in tls_settings(pki).items()) +
                   "instances:\n" + "".join(f"  - {a}\n" for a in tls_instances))
    log = open(tmp_path / "tls-only.log", "wb")
    proc = subprocess.Popen([BIN, "-c", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_port(TLS_ONLY_PORT, proc=proc)
        c = redis.Redis(port=TLS_ONLY_PORT, ssl=True, ssl_ca_certs=str(pki / "ca.crt"),
                        socket_timeout=10)
        assert c.set(key_on(0, "k", n=4), "tls-only") is True
        assert c.get(key_on(0, "k", n=4)) == b"tls-only"
        assert c.info("server")["tcp_port"] == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    cfg.write_text(cfg.read_text().replace(f"tls_port: {TLS_ONLY_PORT}", "tls_port: 0"))
    out = subprocess.run([BIN, "--check", "-c", str(cfg)], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 1 and "port 0 (no plain port) needs a tls_port" in out.stderr
