"""What the fault and backup tests share: the `canopee` binary, a server process
started and killed at will, HTTP calls on a real socket, SQL through psql, and
the throwaway PostgreSQL that tests/faults/run.sh started (stop and start).

Python's standard library only: these tests run wherever scripts/setup ran.
"""

import atexit
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

CANOPEE = os.environ.get("CANOPEE_BIN", "build/canopee")

# Every process a test starts (servers, nginx) is killed when the test ends,
# passed or failed: nothing is left running.
_started = []


def track(process):
    _started.append(process)
    return process


@atexit.register
def _kill_leftovers():
    for process in _started:
        if process.poll() is None:
            process.kill()
            process.wait()
PG_URL = os.environ.get("CANOPEE_TEST_PG_URL", "")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print("ok   " + message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(name):
    """An empty PostgreSQL database on the throwaway server; its URL."""
    if not PG_URL:
        fail("CANOPEE_TEST_PG_URL is not set (run through tests/faults/run.sh)")
    admin = PG_URL
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def psql(url, sql):
    """Runs SQL; returns the rows as lists of strings (unaligned, tab-separated)."""
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-d", url, "-c", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql: {sql[:80]}: {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def scalar(url, sql):
    rows = psql(url, sql)
    return rows[0][0] if rows else None


def demo(url):
    """Loads the demo network; returns {role label: token}."""
    out = subprocess.run([CANOPEE, "--log-level", "warn", "--database", url, "demo"],
                         capture_output=True, text=True, check=True).stdout
    tokens = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\S+(?: [A-Z]+)?)\s+(cnp_[0-9a-f]+)\s", line)
        if m:
            tokens[m.group(1)] = m.group(2)
    if "officer" not in tokens:
        fail("no officer token in the demo output")
    return tokens


def exchange(connection, method, path, token=None, body=None, headers=None):
    """One request on an open http.client connection: (status, headers dict, body bytes)."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = "Bearer " + token
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        sent.setdefault("Content-Type", "application/json")
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


class Server:
    """`canopee serve` on a free loopback port, with its log in a file."""

    def __init__(self, url, *extra, log_level="info"):
        self.url = url
        self.log_level = log_level
        self.port = free_port()
        self.extra = list(extra)
        self.log_path = tempfile.mktemp(prefix="canopee-fault-", suffix=".log")
        self.process = None

    def start(self, wait=True):
        log = open(self.log_path, "ab")
        self.process = track(subprocess.Popen(
            [CANOPEE, "--log-level", self.log_level, "--database", self.url, "serve", "--listen", f"127.0.0.1:{self.port}", *self.extra],
            stdout=log, stderr=subprocess.STDOUT))
        if wait:
            deadline = time.time() + 30
            while time.time() < deadline:
                if self.process.poll() is not None:
                    fail("the server exited at start:\n" + self.log())
                try:
                    if self.get("/healthz")[0] == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.05)
            fail("the server did not answer within 30 s")
        return self

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.check_log()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.check_log()

    def check_log(self):
        """No token, token hash or part of one in the server's log, whatever happened."""
        text = self.log()
        for pattern in (r"cnp_[0-9a-f]{6,}", r"\b[0-9a-f]{64}\b"):
            found = re.search(pattern, text)
            if found:
                fail(f"the server log holds a secret ({found.group(0)[:12]}…): {self.log_path}")

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, method, path, token=None, body=None, headers=None, timeout=30):
        """One request on a new connection: (status, headers dict, body bytes)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            return exchange(connection, method, path, token, body, headers)
        finally:
            connection.close()

    def get(self, path, token=None):
        return self.request("GET", path, token)

    def json(self, method, path, token, body=None, expect=200):
        status, _, data = self.request(method, path, token, body)
        if status != expect:
            fail(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None


class Postgres:
    """The throwaway server of tests/faults/run.sh, stopped and started again."""

    def __init__(self):
        self.data = os.environ["PG_DATA"]
        self.bin = os.environ["PG_BIN"]
        self.run_as = os.environ.get("PG_RUN_AS", "").split()

    def ctl(self, *args):
        subprocess.run([*self.run_as, f"{self.bin}/pg_ctl", "-D", self.data, "-w", *args],
                       check=True, capture_output=True)

    def stop(self):
        self.ctl("-m", "immediate", "stop")

    def start(self):
        self.ctl("start", "-l", os.path.join(os.path.dirname(self.data), "server.log"))
