"""docker/nginx.conf's TLS, redirect, HSTS and per-client rate limits.

The shipped proxy configuration in Debian's nginx on loopback, with a throwaway
self-signed certificate from docker/make-self-signed-cert, in front of one
`canopee serve` that trusts it (--trusted-proxies, as compose configures it):
HTTPS works end to end and is verified against that certificate (and fails
without it); plain HTTP only redirects to HTTPS and never reaches the API; HSTS
is on every HTTPS answer; the client address the API sees is the client's,
whatever it put in X-Forwarded-For; requests in progress beyond limit_conn are
refused; a burst from one client is refused with 429 beyond the configured
burst while another client, and the first one at half the configured rate,
pass. Clients bind distinct loopback addresses (127.0.0.x) to be distinct
clients to nginx.
"""

import http.client
import http.server
import json
import re
import socket
import ssl
import threading
import time

from harness import Server, check, demo, fail, fresh_database
from shipped_nginx import ShippedNginx, shipped_setting

HSTS = "max-age=31536000"
RATE = shipped_setting(r"zone=canopee_requests:\S+ rate=(\d+)r/s")
BURST = shipped_setting(r"limit_req zone=canopee_requests burst=(\d+)")
IN_PROGRESS = shipped_setting(r"limit_conn canopee_connections (\d+);")

started = time.time()
url = fresh_database("tls")
tokens = demo(url)
api = Server(url, "--trusted-proxies", "127.0.0.1").start()  # the proxy, as compose sets it
proxy = ShippedNginx([f"127.0.0.1:{api.port}"]).start()

# HTTPS end to end, the certificate verified (host name included).
with socket.create_connection(("127.0.0.1", proxy.https_port)) as raw:
    context = proxy.context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        version, alpn = tls.version(), tls.selected_alpn_protocol()
check(version in ("TLSv1.2", "TLSv1.3") and alpn == "h2", f"TLS handshake verified against the certificate: {version}, ALPN {alpn}")
try:
    with socket.create_connection(("127.0.0.1", proxy.https_port)) as raw:
        ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1").close()
    fail("a client trusting only the system's authorities accepted the self-signed certificate")
except ssl.SSLCertVerificationError:
    check(True, "without the certificate as authority, verification fails (the client really checks it)")

officer = tokens["officer"]
status, headers, body = proxy.request("GET", "/v1/me", officer)
check(status == 200 and json.loads(body).get("role") == "officer" and headers.get("strict-transport-security") == HSTS
      and headers.get("x-content-type-options") == "nosniff",
      "GET /v1/me over HTTPS: 200 from the API, its headers and HSTS")
status, headers, _ = proxy.request("GET", "/v1/no-such-route", officer)
check(status == 404 and headers.get("strict-transport-security") == HSTS, "HSTS on an error answer too")

# Plain HTTP: a redirect to the same URL over HTTPS, for every method; nothing reaches the API.
for method, path in (("GET", "/v1/plain-http-probe?x=1"), ("POST", "/v1/plain-http-probe")):
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    plain.request(method, path, body="{}" if method == "POST" else None,
                  headers={"Authorization": "Bearer " + officer, "Content-Type": "application/json"})
    response = plain.getresponse()
    response.read()
    plain.close()
    check(response.status == 308 and response.getheader("Location") == f"https://127.0.0.1{path}",
          f"plain HTTP {method} {path}: {response.status} to {response.getheader('Location')}")
check("plain-http-probe" not in api.log(), "no plain-HTTP request reached the API")
proxy.request("GET", "/v1/plain-http-probe", officer)
check("plain-http-probe" in api.log(), "(the same path over HTTPS does reach it, and its log shows it)")

# X-Forwarded-For: nginx replaces what the client sent with the client's address,
# which the API, trusting the proxy's address, takes as the client's.
status, _, _ = proxy.request("GET", "/v1/me", officer, headers={"X-Forwarded-For": "203.0.113.9"}, source="127.0.0.6")
logged = re.findall(r"remote=(\S+)(?: peer=(\S+))? method=GET target=/v1/me ", api.log())
check(status == 200 and logged and logged[-1] == ("127.0.0.6", "127.0.0.1") and "203.0.113.9" not in api.log(),
      f"with a forged X-Forwarded-For, the API (trusting the proxy) sees the client's address: remote={logged[-1][0] if logged else '?'} "
      f"peer={logged[-1][1] if logged else '?'}")


# And the header itself, as an upstream receives it: the client's address alone.
class Echo(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        Echo.seen.append((self.headers.get_all("X-Forwarded-For"), self.headers.get("X-Forwarded-Proto")))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
threading.Thread(target=echo.serve_forever, daemon=True).start()
echo_proxy = ShippedNginx([f"127.0.0.1:{echo.server_address[1]}"]).start()
status, _, _ = echo_proxy.request("GET", "/", headers={"X-Forwarded-For": "203.0.113.9"}, source="127.0.0.6")
echo_proxy.stop()
echo.shutdown()
check(status == 204 and Echo.seen == [(["127.0.0.6"], "https")],
      f"X-Forwarded-For is replaced, not appended to: the upstream got {Echo.seen}")

# limit_conn: IN_PROGRESS requests held open at once (headers sent, body not yet)
# all pass; one more from the same client is refused at once.
need = json.dumps({"cpv": "44810000-1", "title": "Tenue de charge", "quantity": "1", "unit": "l",
                   "reference_unit_price": "7.80", "department": "02", "period_start": "2027-01-01",
                   "period_end": "2027-12-31"}).encode()
head = ("POST /v1/needs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\nConnection: close\r\n\r\n").format(tokens["buyer OPAL"], len(need)).encode()


def tls_socket(source):
    raw = socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10, source_address=(source, 0))
    return proxy.context().wrap_socket(raw, server_hostname="127.0.0.1")


def read_status(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    headers = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    if not headers[0].startswith("HTTP/1.1 "):
        fail(f"no HTTP answer: {data[:200]!r}")
    fields = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in headers[1:] if ":" in line}
    return int(headers[0].split()[1]), fields


held = []
for _ in range(IN_PROGRESS):
    s = tls_socket("127.0.0.3")
    s.sendall(head)
    held.append(s)
time.sleep(0.3)  # nginx has read every held request's header
extra = tls_socket("127.0.0.3")
extra.sendall(head + need)
status, fields = read_status(extra)
extra.close()
check(status == 429 and fields.get("retry-after") == "1" and fields.get("strict-transport-security") == HSTS
      and fields.get("content-type") == "application/problem+json",
      f"request {IN_PROGRESS + 1} in progress from one client: {status}, problem+json, Retry-After {fields.get('retry-after')}, HSTS")
check('limiting connections by zone "canopee_connections"' in proxy.errors(), "nginx logs it as limit_conn's refusal")
held_statuses = []
for s in held:
    s.sendall(need)
    held_statuses.append(read_status(s)[0])
    s.close()
check(held_statuses == [201] * IN_PROGRESS, f"the {IN_PROGRESS} held requests within the limit all pass: {held_statuses.count(201)} × 201")

# limit_req: one client sending as fast as it can on a keep-alive connection.
limited = proxy.connection("127.0.0.4")
statuses = []
burst_start = time.time()
while len(statuses) < 4 * BURST and (not statuses or statuses[-1] != 429):
    status, headers, body = proxy.request("GET", "/healthz", connection=limited)
    statuses.append(status)
elapsed = time.time() - burst_start
passed = statuses.index(429) if 429 in statuses else len(statuses)
allowed = BURST + 1 + RATE * elapsed
check(all(s == 200 for s in statuses[:BURST]) and 429 in statuses and passed <= allowed + 2,
      f"a burst from one client: the first {passed} requests pass in {elapsed:.2f} s (burst {BURST} + {RATE}/s allows "
      f"{allowed:.0f}), then 429")
check(headers.get("retry-after") == "1" and json.loads(body)["status"] == 429 and headers.get("strict-transport-security") == HSTS,
      "the 429 carries Retry-After, a problem+json body and HSTS")
check('limiting requests, excess: ' in proxy.errors() and 'by zone "canopee_requests"' in proxy.errors(),
      "nginx logs it as limit_req's refusal")
status, _, _ = proxy.request("GET", "/healthz", source="127.0.0.5")
check(status == 200, "meanwhile another client passes: the limits are per client")
time.sleep(1)
steady = []
for _ in range(RATE):  # two seconds at half the rate
    steady.append(proxy.request("GET", "/healthz", connection=limited)[0])
    time.sleep(2.0 / RATE)
check(steady == [200] * len(steady), f"after a second, the same client at half the rate is served: {steady.count(200)}/{len(steady)} × 200")
limited.close()

proxy.stop()
api.stop()
check(time.time() - started < 30, f"the whole test took {time.time() - started:.1f} s")
