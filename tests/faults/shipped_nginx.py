"""docker/nginx.conf served by Debian's nginx on loopback, for the proxy tests.

The shipped configuration with only what a test must change: its upstream
points at the given local servers, it listens on free loopback ports instead of
80 and 443, and its certificate is a throwaway one that docker/make-self-signed-cert
writes into the proxy's own directory. Clients verify that certificate (it is
their only trusted authority) and may bind a source address of their own in
127.0.0.0/8: to nginx each is a different client.
"""

import atexit
import http.client
import json
import os
import pathlib
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time

from harness import exchange, fail, free_port, track

DOCKER = pathlib.Path(__file__).resolve().parents[2] / "docker"
CONF = DOCKER / "nginx.conf"


def shipped_setting(pattern):
    """A number from docker/nginx.conf (the first group of `pattern`): tests follow its tuning."""
    found = re.search(pattern, CONF.read_text())
    if not found:
        fail(f"docker/nginx.conf has no setting matching {pattern!r}")
    return int(found.group(1))


def _replace_once(text, old, new):
    count = text.count(old)
    if count != 1:
        fail(f"docker/nginx.conf should hold `{old}` once (found {count}): the test replaces it")
    return text.replace(old, new)


class ShippedNginx:
    def __init__(self, upstreams):
        self.upstreams = upstreams
        self.http_port = free_port()
        self.https_port = free_port()
        self.work = tempfile.mkdtemp(prefix="canopee-nginx-")
        os.chmod(self.work, 0o711)  # nginx's workers (nobody, when run as root) reach their temp directories
        self.cafile = f"{self.work}/tls/fullchain.pem"
        self.process = None
        atexit.register(self.stop)  # failed or not, nothing left behind

    def start(self):
        made = subprocess.run([str(DOCKER / "make-self-signed-cert"), "-d", f"{self.work}/tls", "localhost"],
                              capture_output=True, text=True)
        if made.returncode != 0:
            fail("docker/make-self-signed-cert failed: " + made.stderr)
        site = CONF.read_text()
        servers = "\n".join(f"    server {u} max_fails=2 fail_timeout=5s;" for u in self.upstreams)
        site, count = re.subn(r"    server api:8080[^\n]*", servers, site)
        if count != 1:
            fail("docker/nginx.conf no longer has the `server api:8080` upstream line the test replaces")
        site = _replace_once(site, "listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = _replace_once(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;")
        site = _replace_once(site, "/etc/nginx/tls/fullchain.pem", self.cafile)
        site = _replace_once(site, "/etc/nginx/tls/privkey.pem", f"{self.work}/tls/privkey.pem")
        w = self.work
        with open(f"{w}/nginx.conf", "w") as f:
            f.write(f"""daemon off;
pid {w}/nginx.pid;
error_log {w}/error.log notice;  # as the nginx image has it: the limits log refusals at warn
events {{ worker_connections 256; }}
http {{
    access_log {w}/access.log;
    client_body_temp_path {w}/body;
    proxy_temp_path {w}/proxy;
    fastcgi_temp_path {w}/fastcgi;
    uwsgi_temp_path {w}/uwsgi;
    scgi_temp_path {w}/scgi;
{site}
}}
""")
        stderr = open(f"{w}/stderr.log", "wb")
        self.process = track(subprocess.Popen(["nginx", "-p", w, "-c", f"{w}/nginx.conf"],
                                              stdout=subprocess.DEVNULL, stderr=stderr))
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        fail("nginx did not start: " + self.errors())

    def errors(self):
        text = ""
        for name in ("stderr.log", "error.log"):
            try:
                text += pathlib.Path(self.work, name).read_text(errors="replace")
            except OSError:
                pass
        return text

    def context(self):
        """TLS client context trusting the throwaway certificate only, host names checked."""
        return ssl.create_default_context(cafile=self.cafile)

    def connection(self, source="127.0.0.1", timeout=30):
        return http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=timeout, context=self.context(),
                                           source_address=(source, 0))

    def request(self, method, path, token=None, body=None, headers=None, source="127.0.0.1", connection=None):
        """One HTTPS request (on a new connection unless one is given): (status, headers, body)."""
        own = connection is None
        connection = connection or self.connection(source)
        try:
            return exchange(connection, method, path, token, body, headers)
        finally:
            if own:
                connection.close()

    def get(self, path, token=None):
        return self.request("GET", path, token)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)
