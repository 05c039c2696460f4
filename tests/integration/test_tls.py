"""TLS on the client side (issue 15): a throwaway CA made here with openssl; redis-py and
redis-cli over TLS; client certificates required, optional, untrusted; plain text and stalled
handshakes closed quickly; certificates reloaded without dropping connections."""
import socket
import ssl
import subprocess
import time

import pytest
import redis

from conftest import BIN, command

TLS_PORTS = iter(range(23480, 23500))


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    """A self-signed CA (files d/name.key, d/name.crt)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-days",
            "2", "-subj", f"/CN={name}", "-out", f"{name}.crt", cwd=d)


def make_cert(d, name, ca, cn, server=False):
    """A key and a certificate signed by `ca` (files d/name.key, d/name.crt)."""
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-subj",
            f"/CN={cn}", "-out", f"{name}.csr", cwd=d)
    ext = d / f"{name}.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\n" if server else "extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-out", f"{name}.crt", "-extfile", str(ext), cwd=d)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    for ca in ("ca", "otherca"):
        make_ca(d, ca)
    make_cert(d, "server", "ca", "preshard", server=True)
    make_cert(d, "server2", "ca", "preshard-renewed", server=True)
    make_cert(d, "client", "ca", "alice")
    make_cert(d, "stranger", "otherca", "mallory")
    return d


def tls_proxy(make_proxy, certs, **settings):
    port = next(TLS_PORTS)
    settings.setdefault("tls_ca_cert_file", str(certs / "ca.crt"))
    p = make_proxy(tls_port=port, tls_cert_file=str(certs / "server.crt"),
                   tls_key_file=str(certs / "server.key"), **settings)
    p.tls_port = port
    return p


def tls_client(p, certs, cert="client"):
    kw = dict(port=p.tls_port, ssl=True, ssl_ca_certs=str(certs / "ca.crt"), socket_timeout=10)
    if cert:
        kw.update(ssl_certfile=str(certs / f"{cert}.crt"), ssl_keyfile=str(certs / f"{cert}.key"))
    return redis.Redis(**kw)


def test_clients_with_a_certificate_of_the_ca_get_in(make_proxy, certs):
    p = tls_proxy(make_proxy, certs)
    c = tls_client(p, certs)
    assert c.ping() is True
    assert c.set("tls:k", "v") is True
    assert c.get("tls:k") == b"v"
    assert p.client().get("tls:k") == b"v"  # the plain port serves as well
    out = subprocess.run(["redis-cli", "--tls", "--cacert", str(certs / "ca.crt"), "--cert",
                          str(certs / "client.crt"), "--key", str(certs / "client.key"), "-p",
                          str(p.tls_port), "GET", "tls:k"], capture_output=True, text=True,
                         timeout=30)
    assert out.stdout.strip() == "v"
    for cert in (None, "stranger"):  # tls_auth_clients: yes (the default)
        with pytest.raises(redis.exceptions.ConnectionError):
            tls_client(p, certs, cert).ping()
    assert p.info("stats")["tls_handshake_failures"] >= 2


def test_optional_client_certificates(make_proxy, certs):
    p = tls_proxy(make_proxy, certs, tls_auth_clients="optional")
    assert tls_client(p, certs, None).ping() is True
    assert tls_client(p, certs, "client").ping() is True
    with pytest.raises(redis.exceptions.ConnectionError):  # one given must still be good
        tls_client(p, certs, "stranger").ping()


def test_plain_text_and_stalled_handshakes_are_closed_quickly(make_proxy, certs):
    p = tls_proxy(make_proxy, certs, tls_handshake_timeout_ms=500)
    s = socket.create_connection(("127.0.0.1", p.tls_port), timeout=5)
    t0 = time.monotonic()
    s.sendall(command("PING"))
    try:  # perhaps a TLS alert, then the close; never a reply
        while data := s.recv(100):
            assert b"PONG" not in data
    except ConnectionResetError:
        pass
    assert time.monotonic() - t0 < 1
    stalled = socket.create_connection(("127.0.0.1", p.tls_port), timeout=5)
    t0 = time.monotonic()
    try:  # says nothing: closed (reset) after tls_handshake_timeout_ms
        assert stalled.recv(100) == b""
    except ConnectionResetError:
        pass
    assert 0.4 < time.monotonic() - t0 < 3
    assert tls_client(p, certs).ping() is True  # the worker was never blocked


def peer_cn(port, certs):
    ctx = ssl.create_default_context(cafile=str(certs / "ca.crt"))
    ctx.load_cert_chain(str(certs / "client.crt"), str(certs / "client.key"))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
            return dict(x[0] for x in s.getpeercert()["subject"])["commonName"]


def test_certificates_reload_without_dropping_connections(make_proxy, certs):
    p = tls_proxy(make_proxy, certs)
    c = tls_client(p, certs)
    assert c.set("tls:r", "1") is True
    assert peer_cn(p.tls_port, certs) == "preshard"
    p.write_config(p.instances, tls_cert_file=str(certs / "server2.crt"),
                   tls_key_file=str(certs / "server2.key"))
    assert p.client().execute_command("PROXY", "RELOAD") == b"OK"
    assert c.get("tls:r") == b"1"  # the connection made before goes on
    assert peer_cn(p.tls_port, certs) == "preshard-renewed"
    # Unusable files refuse the reload; the certificates in force stay.
    p.write_config(p.instances, tls_cert_file=str(certs / "nope.crt"))
    with pytest.raises(redis.exceptions.ResponseError, match="tls_cert_file"):
        p.client().execute_command("PROXY", "RELOAD")
    assert peer_cn(p.tls_port, certs) == "preshard-renewed"


def test_check_reads_the_tls_files(tmp_path, certs):
    f = tmp_path / "p.yaml"
    f.write_text(f"tls_port: 23499\ntls_cert_file: {certs}/server.crt\n"
                 f"tls_key_file: {certs}/client.key\ntls_ca_cert_file: {certs}/ca.crt\n"
                 "instances:\n  - 127.0.0.1:21000\n")
    r = subprocess.run([BIN, "--check", "-c", str(f)], capture_output=True, text=True)
    assert r.returncode == 1 and "tls_key_file" in r.stderr and "mismatch" in r.stderr


def test_a_certificate_common_name_can_authenticate(make_proxy, certs):
    users = ["user default on >pw ~* &* +@all", "user alice on >secret ~alice:* +@all"]
    p = tls_proxy(make_proxy, certs, tls_auth_clients_user="CN", users=users)
    c = tls_client(p, certs)  # CN=alice
    assert c.execute_command("ACL", "WHOAMI") == b"alice"
    assert c.set("alice:1", "v") is True
    with pytest.raises(redis.exceptions.NoPermissionError):
        c.set("bob:1", "v")  # alice's own rights
    plain = p.raw()  # no certificate on the plain port: AUTH as before
    plain.send(command("GET", "alice:1"))
    assert plain.reply() == "NOAUTH Authentication required."
    off = tls_proxy(make_proxy, certs, users=users)  # tls_auth_clients_user: off (default)
    with pytest.raises(redis.exceptions.AuthenticationError):
        tls_client(off, certs).ping()
