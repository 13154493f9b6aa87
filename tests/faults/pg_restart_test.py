"""PostgreSQL stops under load and comes back; the server is not restarted.

While the database is down every request the server answers is a 503 with
Retry-After (never a 500, never a dropped connection) and /readyz fails; once
the database is back, /readyz and every request succeed again within 5 s.
"""

import http.client
import json
import threading
import time

from harness import Postgres, Server, check, demo, fail, fresh_database

DOWN_SECONDS = 4
RECOVERY_LIMIT = 5.0

url = fresh_database("fault_pg_restart")
tokens = demo(url)
server = Server(url).start()
officer, buyer = tokens["officer"], tokens["buyer OPAL"]

need = {"cpv": "44810000-1", "title": "Peinture (panne)", "quantity": "10", "unit": "l",
        "reference_unit_price": "7.80", "department": "02", "period_start": "2027-01-01",
        "period_end": "2027-12-31", "status": "submitted"}
first = server.json("POST", "/v1/needs", buyer, need, expect=201)

samples = []  # (time, status or exception name, has Retry-After)
stop = threading.Event()


def load(worker):
    """Reads and writes on one kept-alive connection, reconnecting if it drops."""
    connection = None
    i = 0
    while not stop.is_set():
        i += 1
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        try:
            if i % 3 == 0:
                connection.request("POST", "/v1/needs", body=json.dumps(need),
                                   headers={"Authorization": "Bearer " + buyer, "Content-Type": "application/json"})
            else:
                connection.request("GET", f"/v1/needs/{first['id']}" if worker % 2 else "/v1/tenders",
                                   headers={"Authorization": "Bearer " + (buyer if worker % 2 else officer)})
            response = connection.getresponse()
            response.read()
            samples.append((time.time(), response.status, response.getheader("Retry-After") is not None))
        except (OSError, http.client.HTTPException) as e:
            samples.append((time.time(), type(e).__name__, False))
            connection.close()
            connection = None
        time.sleep(0.005)


threads = [threading.Thread(target=load, args=(w,)) for w in range(8)]
for t in threads:
    t.start()
time.sleep(1.5)

postgres = Postgres()
postgres.stop()
went_down = time.time()  # pg_ctl has seen the server gone

# /readyz notices.
deadline = time.time() + 5
ready_status = None
while time.time() < deadline:
    ready_status, ready_headers, _ = server.get("/readyz")
    if ready_status == 503:
        break
    time.sleep(0.1)
check(ready_status == 503, "/readyz answers 503 while PostgreSQL is down")
check("retry-after" in ready_headers, "/readyz's 503 carries Retry-After")
time.sleep(DOWN_SECONDS)

starting = time.time()  # from here on PostgreSQL may answer again
postgres.start()
came_back = time.time()
recovered_at = None
while time.time() < came_back + 15:
    if server.get("/readyz")[0] == 200:
        recovered_at = time.time()
        break
    time.sleep(0.05)
check(recovered_at is not None, "/readyz recovers without restarting the server")
recovery = recovered_at - came_back
print(f"     recovery after PostgreSQL accepted connections again: {recovery:.2f} s")
check(recovery <= RECOVERY_LIMIT, f"recovery within {RECOVERY_LIMIT:.0f} s")

time.sleep(RECOVERY_LIMIT - recovery + 1.0)  # traffic after the 5 s window must all succeed
stop.set()
for t in threads:
    t.join()
check(server.process.poll() is None, "the server is still running")

during = [s for s in samples if went_down + 0.05 < s[0] < starting]
after = [s for s in samples if s[0] > came_back + RECOVERY_LIMIT]
statuses = {}
for s in samples:
    statuses[s[1]] = statuses.get(s[1], 0) + 1
print(f"     {len(samples)} requests: {statuses}")
check(len(during) > 50, f"traffic went on while the database was down ({len(during)} requests)")
bad = [s for s in during if s[1] != 503 or not s[2]]
check(not bad, f"every answer while down is 503 with Retry-After (exceptions: "
      f"{[(round(b[0] - went_down, 3), b[1]) for b in bad[:5]]})")
check(not [s for s in samples if s[1] == 500 or not isinstance(s[1], int)],
      "no 500 and no dropped connection at any time")
check(len(after) > 50 and all(200 <= s[1] < 300 for s in after),
      f"every request succeeds 5 s after the database is back ({len(after)} requests)")

# The new writes after recovery are stored, and the server shuts down cleanly.
created_after = server.json("POST", "/v1/needs", buyer, need, expect=201)
check(server.json("GET", f"/v1/needs/{created_after['id']}", buyer)["id"] == created_after["id"],
      "a write after recovery reads back")
server.stop()
check(server.process.returncode == 0, "the server exits 0 on SIGTERM after the outage")
if "terminate called" in server.log():
    fail("the server log shows std::terminate")
