"""kill -9 during bulk imports and during awards: after a restart, each import
and each award is entirely there or entirely absent, and every write the client
saw acknowledged is there.

Kill moments are spread over the measured length of an uninterrupted import, so
that some kills land before the commit and some after.
"""

import os
import subprocess
import tempfile
import threading
import time

from harness import CANOPEE, Server, check, demo, fail, fresh_database, psql, scalar

ROWS = 20000
SEED = os.environ.get("CANOPEE_SEED_BIN", os.path.join(os.path.dirname(CANOPEE), "bench", "canopee_bench_seed_tenders"))

url = fresh_database("fault_kill9")
tokens = demo(url)
buyer = tokens["buyer OPAL"]


def needs_csv(tag):
    lines = ["cpv,title,quantity,unit,reference_unit_price,department,period_start,period_end"]
    lines += [f"44810000-1,{tag} {i},{100 + i % 900},l,7.80,02,2027-01-01,2027-12-31" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def imported(tag):
    return int(scalar(url, f"SELECT count(*) FROM needs WHERE title LIKE '{tag} %'"))


def post_import(server, body, outcome):
    try:
        status, _, data = server.request("POST", "/v1/needs/import", buyer, body,
                                         {"Content-Type": "text/csv"}, timeout=120)
        outcome["status"] = status
    except OSError as e:
        outcome["status"] = type(e).__name__


# --- bulk import over HTTP ------------------------------------------------------
server = Server(url).start()
started = time.time()
outcome = {}
post_import(server, needs_csv("Import calibrage"), outcome)
length = time.time() - started
check(outcome["status"] == 201 and imported("Import calibrage") == ROWS,
      f"an uninterrupted import of {ROWS} rows takes {length:.2f} s")

results = []
# The last trial kills the server the moment the client has its 201: the import
# must be there. The others kill it at fractions of a measured import's length.
for trial, fraction in enumerate([0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, None]):
    tag = f"Import k{trial}"
    body = needs_csv(tag)
    outcome = {}
    thread = threading.Thread(target=post_import, args=(server, body, outcome))
    thread.start()
    if fraction is None:
        thread.join()
    else:
        time.sleep(length * fraction)
    server.kill9()
    thread.join()
    server.start()
    count = imported(tag)
    results.append((fraction, outcome.get("status"), count))
    if count not in (0, ROWS):
        fail(f"import killed at {fraction} of its length left {count} of {ROWS} rows")
    if outcome.get("status") == 201 and count != ROWS:
        fail(f"an acknowledged import (killed at {fraction} of its length) is missing")
print("     (kill at fraction of import length or None: after the 201, client saw, rows after restart):", results)
check(True, "every HTTP import killed with -9 is all there or all absent; every acknowledged one is there")
check(any(c == 0 for _, _, c in results) and any(c == ROWS for _, _, c in results),
      "the kills landed both before and after the commit")
server.stop()

# --- bulk import from the command line -----------------------------------------
path = tempfile.mktemp(suffix=".csv")
cli_results = []
for trial, fraction in enumerate([0.1, 0.3, 0.5, 0.7, 0.9, 1.5]):
    tag = f"Ligne k{trial}"
    with open(path, "wb") as f:
        f.write(needs_csv(tag))
    process = subprocess.Popen([CANOPEE, "--log-level", "warn", "--database", url, "import", "needs", path,
                                "--member", "OPAL"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(length * fraction)
    process.kill()
    code = process.wait()
    count = imported(tag)
    cli_results.append((fraction, code, count))
    if count not in (0, ROWS):
        fail(f"`canopee import needs` killed at {fraction:.0%} left {count} of {ROWS} rows")
    if code == 0 and count != ROWS:
        fail("an import the command reported done is missing")
os.unlink(path)
print("     (kill at fraction, exit code, rows after):", cli_results)
check(True, "every `canopee import needs` killed with -9 is all there or all absent")

# --- awards ---------------------------------------------------------------------
TENDERS = 40
subprocess.run([SEED, url, str(TENDERS), "--closed"], check=True, stdout=subprocess.DEVNULL)
officer = tokens["officer"]
server = Server(url).start()
todo = []  # (tender, lot, best bid)
for tender in server.json("GET", "/v1/tenders?limit=200", officer)["items"]:
    if tender["status"] != "closed":
        continue
    for lot in server.json("GET", f"/v1/tenders/{tender['id']}/evaluation", officer)["lots"]:
        best = next(b for b in lot["bids"] if b["awardable"])
        todo.append((tender["id"], lot["lot_id"], best["bid_id"]))
check(len(todo) >= TENDERS, f"{len(todo)} lots to award")
todo_lots = {lot for _, lot, _ in todo}

acknowledged = set()
lock = threading.Lock()


def award(items):
    for tender_id, lot_id, bid_id in items:
        try:
            status, _, _ = server.request("POST", f"/v1/tenders/{tender_id}/lots/{lot_id}/award", officer,
                                          {"bid_id": bid_id}, timeout=30)
        except OSError:
            return
        if status == 200:
            with lock:
                acknowledged.add(lot_id)


threads = [threading.Thread(target=award, args=(todo[w::4],)) for w in range(4)]
for t in threads:
    t.start()
while len(acknowledged) < len(todo) // 2:
    time.sleep(0.002)
server.kill9()
for t in threads:
    t.join()

CONSISTENCY = """
SELECT l.id, l.status,
       (SELECT count(*) FROM awards a WHERE a.lot_id = l.id),
       (SELECT count(*) FROM contracts c WHERE c.lot_id = l.id),
       (SELECT count(*) FROM savings_lines s WHERE s.lot_id = l.id),
       (SELECT count(*) FROM lot_lines x WHERE x.lot_id = l.id),
       (SELECT count(*) FROM needs n WHERE n.lot_id = l.id AND n.status = 'awarded'),
       (SELECT count(*) FROM needs n WHERE n.lot_id = l.id),
       (SELECT count(*) FROM audit_log g WHERE g.entity = 'lot' AND g.entity_id = l.id AND g.action = 'award')
FROM lots l ORDER BY l.id"""


def check_awards(expect_all):
    awarded = 0
    for row in psql(url, CONSISTENCY):
        lot, status = int(row[0]), row[1]
        awards, contracts, savings, lines, needs_awarded, needs, audit = map(int, row[2:])
        whole = awards == 1 and contracts == lines and savings == lines and needs_awarded == needs and audit == 1
        none = awards == 0 and contracts == 0 and savings == 0 and needs_awarded == 0 and audit == 0
        if status == "awarded" and not whole or status == "open" and not none or status not in ("awarded", "open"):
            fail(f"lot {lot} is half awarded: {row}")
        if lot in acknowledged and status != "awarded":
            fail(f"lot {lot}'s award was acknowledged but is missing")
        awarded += status == "awarded" and lot in todo_lots  # the demo's own awarded lots are not counted
    if expect_all and awarded != len(todo):
        fail(f"{awarded} of {len(todo)} lots awarded")
    return awarded


after_kill = check_awards(False)
check(len(todo) // 2 <= after_kill < len(todo),
      f"killed mid-way: {after_kill} of {len(todo)} lots awarded, each whole, every acknowledged one there")
server.start()
remaining = [item for item in todo if int(scalar(url, f"SELECT count(*) FROM awards WHERE lot_id = {item[1]}")) == 0]
award(remaining)
check(check_awards(True) == len(todo), "after a restart the remaining awards go through and every lot is whole")
server.stop()
