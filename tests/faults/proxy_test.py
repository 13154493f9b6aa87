"""docker/nginx.conf in front of two API replicas on one PostgreSQL.

The proxy configuration of the compose file, with its upstream pointed at two
local `canopee serve` processes, served by Debian's nginx: requests reach both
replicas; the security headers pass through; with one replica killed, reads go
on through the other; a creation is never duplicated by the proxy (it does not
retry non-idempotent requests).
"""

import os
import pathlib
import re
import subprocess
import tempfile
import time

from harness import Server, check, demo, fail, free_port, fresh_database, scalar, track

CONF = pathlib.Path(__file__).resolve().parents[2] / "docker" / "nginx.conf"

url = fresh_database("proxy")
tokens = demo(url)
replicas = [Server(url).start(), Server(url).start()]

site = CONF.read_text()
upstream = "\n".join(f"    server 127.0.0.1:{r.port} max_fails=2 fail_timeout=5s;" for r in replicas)
site, count = re.subn(r"    server api:8080[^\n]*", upstream, site)
if count != 1:
    fail("docker/nginx.conf no longer has the `server api:8080` upstream line this test replaces")
port = free_port()
site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
work = tempfile.mkdtemp(prefix="canopee-proxy-")
with open(f"{work}/nginx.conf", "w") as f:
    f.write(f"""daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work};
    proxy_temp_path {work};
{site}
}}
""")
nginx = track(subprocess.Popen(["nginx", "-p", work, "-c", f"{work}/nginx.conf"], stderr=subprocess.PIPE))
proxy = Server(url)
proxy.port = port
deadline = time.time() + 10
while time.time() < deadline:
    try:
        if proxy.get("/readyz")[0] == 200:
            break
    except OSError:
        time.sleep(0.05)
else:
    fail("nginx did not answer: " + open(f"{work}/error.log").read())
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

nginx.terminate()
nginx.wait(timeout=10)
replicas[1].stop()
subprocess.run(["rm", "-rf", work])
