"""docker/nginx.conf in front of two API replicas on one PostgreSQL.

The proxy configuration of the compose file, with its upstream pointed at two
local `canopee serve` processes, served by Debian's nginx over HTTPS
(shipped_nginx.py): requests reach both replicas; the security headers pass
through; with one replica killed, reads go on through the other; a creation is
never duplicated by the proxy (it does not retry non-idempotent requests).
"""

import time

from harness import Server, check, demo, fail, fresh_database, scalar
from shipped_nginx import ShippedNginx

url = fresh_database("proxy")
tokens = demo(url)
replicas = [Server(url).start(), Server(url).start()]

# Over HTTPS, as the shipped configuration serves (tls_test.py checks TLS itself).
proxy = ShippedNginx([f"127.0.0.1:{r.port}" for r in replicas]).start()
deadline = time.time() + 10
while proxy.get("/readyz")[0] != 200:
    if time.time() > deadline:
        fail("nginx did not proxy to the replicas: " + proxy.errors())
    time.sleep(0.05)
check(True, "docker/nginx.conf loads in nginx and proxies to the replicas")

officer = tokens["officer"]
for _ in range(20):
    if proxy.request("GET", "/v1/me", officer)[0] != 200:
        fail("a request through the proxy failed")
seen = [r.log().count("target=/v1/me") for r in replicas]
check(all(n > 0 for n in seen), f"requests reach both replicas ({seen[0]} and {seen[1]} of 20)")
status, headers, _ = proxy.request("GET", "/", None)
check(status == 200 and "content-security-policy" in headers and headers.get("x-frame-options") == "DENY",
      "the web page and its security headers pass through the proxy")

replicas[0].kill9()
reads = [proxy.request("GET", "/v1/me", officer)[0] for _ in range(20)]
check(all(s == 200 for s in reads), f"with one replica killed, every read succeeds through the other ({reads.count(200)}/20)")

need = {"cpv": "44810000-1", "title": "Via le proxy", "quantity": "10", "unit": "l",
        "reference_unit_price": "7.80", "department": "02", "period_start": "2027-01-01",
        "period_end": "2027-12-31"}
created = [proxy.request("POST", "/v1/needs", tokens["buyer OPAL"], need)[0] for _ in range(10)]
stored = int(scalar(url, "SELECT count(*) FROM needs WHERE title = 'Via le proxy'"))
check(stored == created.count(201) and created.count(201) >= 9,
      f"creations through the proxy: {created.count(201)} acknowledged, {stored} stored, none duplicated")

proxy.stop()
replicas[1].stop()
