"""Fixtures for the integration tests: real redis-server processes and a real preshard.

Instances listen on 127.0.0.1:21000-21127 (PRESHARD_TEST_BASE_PORT), proxies on 22000 and up:
all below the kernel's ephemeral range. Every process is started here, tracked by its PID and
stopped by that PID.
"""
import hashlib
import itertools
import json
import os
import pathlib
import re
import resource
import signal
import socket
import subprocess
import time

import pytest
import redis

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("PRESHARD_BIN", str(ROOT / "build" / "preshard"))
BASE_PORT = int(os.environ.get("PRESHARD_TEST_BASE_PORT", "21000"))
N = 128
_proxy_ports = itertools.count(int(os.environ.get("PRESHARD_TEST_PROXY_PORT", "22000")))

# Enough descriptors for a thousand clients.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(_hard, 65536), _hard))


def shard_of(key, n=N, tag=b"{}"):
    """The routing formula, as README states it."""
    if isinstance(key, str):
        key = key.encode()
    h = key
    if tag:
        s = key.find(tag[:1])
        if s >= 0:
            e = key.find(tag[1:2], s + 1)
            if e > s + 1:
                h = key[s + 1:e]
    return int.from_bytes(hashlib.sha1(h).digest()[:8], "big") % n


def key_on(shard, prefix="k", n=N):
    """The first name prefix + number that hashes to `shard` (of `n` shards)."""
    i = 0
    while shard_of(f"{prefix}{i}", n) != shard:
        i += 1
    return f"{prefix}{i}"


def wait_port(port, timeout=10.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on {port} after {timeout}s")


class Instance:
    def __init__(self, port, workdir):
        self.port = port
        self.dir = workdir / str(port)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.dir / "log"),
             "--repl-diskless-sync-delay", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self):
        wait_port(self.port, proc=self.proc)

    def stop(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=10)


class Instances:
    def __init__(self, workdir, base=BASE_PORT, count=N):
        self.all = [Instance(base + i, workdir) for i in range(count)]

    def __getitem__(self, i):
        return self.all[i]

    def __len__(self):
        return len(self.all)

    def start(self):
        for inst in self.all:
            inst.start()
        for inst in self.all:
            inst.wait()

    def stop(self):
        """SIGTERM to all, then SIGKILL to any still running after 10 s (one busy with a script
        a failed test left running ignores SIGTERM): none is ever left behind."""
        for inst in self.all:
            if inst.proc and inst.proc.poll() is None:
                inst.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for inst in self.all:
            if not inst.proc:
                continue
            try:
                inst.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                inst.stop()  # SIGKILL

    def ensure_running(self):
        for inst in self.all:
            if inst.proc.poll() is not None:
                inst.start()
                inst.wait()
            else:
                inst.resume()

    def flushall(self):
        for inst in self.all:
            c = inst.client()
            c.replicaof("no", "one")  # a migration test fences instances: undo it
            c.flushall()

    def client(self, i):
        return self.all[i].client()

    def addresses(self):
        return [f"127.0.0.1:{i.port}" for i in self.all]


class Proxy:
    def __init__(self, workdir, instances, **settings):
        self.port = next(_proxy_ports)
        self.workdir = workdir
        self.config_path = workdir / f"preshard-{self.port}.yaml"
        self.log_path = workdir / f"preshard-{self.port}.log"
        self.proc = None
        settings.setdefault("timeout_ms", 1000)
        # PRESHARD_TEST_THREADS=2: the whole suite with two workers (scripts/test.sh's ASan pass).
        if os.environ.get("PRESHARD_TEST_THREADS"):
            settings.setdefault("threads", int(os.environ["PRESHARD_TEST_THREADS"]))
        self.settings = settings
        self.write_config(instances)

    def write_config(self, instances, **changes):
        """(Re)writes the config file: the same settings, with `changes`, over `instances`."""
        self.settings.update(changes)
        self.instances = list(instances)
        lines = [f"listen: 127.0.0.1:{self.port}"]
        for k, v in self.settings.items():
            lines.append(f"{k}: {v}")
        lines.append("instances:")
        lines += [f"  - {a}" for a in self.instances]
        tmp = self.config_path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        tmp.rename(self.config_path)

    def info(self, section="proxy"):
        return self.client().info(section)

    extra_args = ()
    env = None  # the environment to start with (None: this one)

    def sibling(self):
        """Another proxy process reading the same config file, on a port of its own."""
        p = Proxy.__new__(Proxy)
        p.__dict__.update(self.__dict__)
        p.port = next(_proxy_ports)
        p.log_path = self.workdir / f"preshard-{p.port}.log"
        p.proc = None
        p.extra_args = ("--listen", f"127.0.0.1:{p.port}")
        return p

    def start(self):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([BIN, "--config", str(self.config_path), *self.extra_args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        wait_port(self.port, proc=self.proc)
        return self

    def stop(self, timeout=15):
        """SIGTERM; returns the exit code. The proxy must stop by itself."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("preshard did not exit within %ss of SIGTERM" % timeout)

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def client(self, **kw):
        kw.setdefault("socket_timeout", 30)
        return redis.Redis(port=self.port, **kw)

    def raw(self):
        return RawClient(self.port)

    def workers(self):
        """How many worker threads serve clients (threads: 0 is one per core)."""
        return self.settings.get("threads", 1) or os.cpu_count()

    def raws_on_one_worker(self, n, tries=64, **kw):
        """n raw clients served by the same worker thread. The kernel spreads connections over
        the workers (SO_REUSEPORT); tests of a per-worker limit or of commands queued behind
        another client's on one instance connection need them together."""
        by_worker = {}
        for _ in range(tries):
            c = RawClient(self.port, **kw)
            c.send(command("CLIENT", "INFO"))
            worker = re.search(rb" io-thread=(\d+)", c.reply()).group(1)
            group = by_worker.setdefault(worker, [])
            group.append(c)
            if len(group) == n:
                for other in by_worker.values():
                    if other is not group:
                        for o in other:
                            o.sock.close()
                return group
        raise AssertionError(f"no {n} of {tries} connections on one worker")


class RawClient:
    """A socket speaking raw bytes, with a small RESP2 reply parser."""

    def __init__(self, port, timeout=30, rcvbuf=None):
        if rcvbuf is None:
            self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        else:  # a small receive window: set before connecting, so that it is the one offered
            self.sock = socket.socket()
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            self.sock.settimeout(timeout)
            self.sock.connect(("127.0.0.1", port))
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        d = self.sock.recv(1 << 20)
        if not d:
            raise EOFError("connection closed")
        self.buf += d

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return ReplyError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise AssertionError(f"bad reply line {line!r}")

    def replies(self, n):
        return [self.reply() for _ in range(n)]

    def raw_reply(self):
        """The exact bytes of one reply, of any RESP2 or RESP3 type (attributes included)."""
        line = self._line()
        out = line + b"\r\n"
        t, rest = line[:1], line[1:]
        if t in b"$!=" and rest != b"-1":  # bulk, blob error, verbatim: a payload follows
            n = int(rest)
            while len(self.buf) < n + 2:
                self._fill()
            out, self.buf = out + self.buf[:n + 2], self.buf[n + 2:]
        elif t in b"*~>" and rest != b"-1":
            out += b"".join(self.raw_reply() for _ in range(int(rest)))
        elif t in b"%|":  # a map, or an attribute and then the reply it describes
            out += b"".join(self.raw_reply() for _ in range(2 * int(rest)))
            if t == b"|":
                out += self.raw_reply()
        return out

    def closed(self, timeout=5):
        """True once the server has closed the connection (after any unread replies)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


class ReplyError(str):
    pass


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


CLIENTS = ROOT / "tests" / "clients"


def node_client(script, port, timeout=90):
    """Runs a client-library script of tests/clients against `port`; its JSON output."""
    if not (CLIENTS / "node_modules").exists():  # the test command runs npm ci first
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENTS, check=True,
                       timeout=300, capture_output=True)
    r = subprocess.run(["node", str(CLIENTS / script), str(port)], capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return json.loads(r.stdout)


def exercise_four_shards(p, direct, on_shard=3):
    """Through proxy `p` over four instances: a key on each shard written and read back (MGET
    across them, and `direct(shard)` reading each instance itself), then a subscriber's message
    and a blocking pop on shard `on_shard`: every kind of instance connection made and used."""
    c = p.client()
    keys = [key_on(s, "k", n=4) for s in range(4)]
    for k in keys:
        assert c.set(k, "v") is True
    assert c.mget(keys) == [b"v"] * 4
    for s, k in enumerate(keys):
        assert direct(s).get(k) == b"v"
    channel = key_on(on_shard, "news", n=4)
    sub = p.client().pubsub()
    sub.subscribe(channel)
    assert sub.get_message(timeout=5)["type"] == "subscribe"
    deadline = time.monotonic() + 10
    while c.publish(channel, "hi") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sub.get_message(timeout=5)["data"] == b"hi"
    lst = key_on(on_shard, "list", n=4)
    c.rpush(lst, "x")
    assert c.blpop([lst], timeout=5) == (lst.encode(), b"x")
    return c


def keys_on_distinct_shards(n, prefix="k"):
    """n names (prefix + number), each hashing to a shard none of the others uses."""
    keys, seen, i = [], set(), 0
    while len(keys) < n:
        k = f"{prefix}{i}"
        if shard_of(k) not in seen:
            seen.add(shard_of(k))
            keys.append(k)
        i += 1
    return keys


def run_commands(raw, cmds, pipelined):
    """Sends commands one at a time (reading each reply) or as one pipeline; one reply each."""
    if pipelined:
        raw.send(b"".join(command(*c) for c in cmds))
        return raw.replies(len(cmds))
    out = []
    for c in cmds:
        raw.send(command(*c))
        out.append(raw.reply())
    return out


@pytest.fixture(scope="session")
def instances(tmp_path_factory):
    inst = Instances(tmp_path_factory.mktemp("instances"))
    inst.start()
    yield inst
    inst.stop()


@pytest.fixture
def clean(instances):
    instances.ensure_running()
    instances.flushall()
    return instances


@pytest.fixture
def make_proxy(tmp_path, clean):
    """Starts proxies over the 128 instances (or a given list); checks each exits cleanly."""
    started = []

    def make(addresses=None, env=None, **settings):
        p = Proxy(tmp_path, addresses or clean.addresses(), **settings)
        p.env = env
        p.start()
        started.append(p)
        return p

    def sibling(p):
        s = p.sibling().start()
        started.append(s)
        return s

    make.sibling = sibling

    yield make
    # Every proxy is stopped before any is judged: one failing must not leave the others running
    # (a stray one keeps its port and would serve a later test's clients).
    codes = []
    for p in started:
        try:
            codes.append(p.stop())
        except AssertionError as e:  # did not exit: killed; reported once all are stopped
            codes.append(e)
    for p, code in zip(started, codes):
        if isinstance(code, AssertionError):
            raise code
        log = p.log_text()
        assert "AddressSanitizer" not in log and "runtime error:" not in log, log[-4000:]
        assert code == 0, f"preshard exited with {code}; log:\n{log[-4000:]}"


@pytest.fixture
def proxy(make_proxy):
    return make_proxy()


SPARE_BASE = int(os.environ.get("PRESHARD_TEST_SPARE_PORT", "21600"))


@pytest.fixture
def spares(tmp_path):
    """Extra, empty instances (targets of moved shards) on 21600 and up, stopped after the test."""
    started = []

    def make(n=1):
        out = []
        for _ in range(n):
            inst = Instance(SPARE_BASE + len(started), tmp_path / "spares")
            inst.start()
            started.append(inst)
            out.append(inst)
        for inst in out:
            inst.wait()
        return out

    yield make
    for inst in started:
        inst.stop()
