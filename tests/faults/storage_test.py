"""The database's disk fills up, or the database turns read-only, under a running
server: writes get a 503 saying so (never a 500), reads go on, nothing written
before is damaged, and writes succeed again once an operator fixes the storage,
without restarting the server.

SQLite lives on a small tmpfs mounted for the test (needs root, as CI runs);
PostgreSQL's read-only case is a database set to default_transaction_read_only,
as a standby promoted wrong or an operator's freeze would leave it.
"""

import os
import sqlite3
import subprocess
import tempfile

from harness import PG_URL, Server, check, demo, fail, fresh_database, psql

NEED = {"cpv": "44810000-1", "title": "Peinture (stockage)", "quantity": "10", "unit": "l",
        "reference_unit_price": "7.80", "department": "02", "period_start": "2027-01-01",
        "period_end": "2027-12-31", "status": "submitted",
        "description": "x" * 2000}


def write(server, token):
    status, headers, body = server.request("POST", "/v1/needs", token, NEED)
    return status, headers, body.decode()


def mount(*args):
    subprocess.run(["mount", *args], check=True, capture_output=True)


# --- SQLite: disk full, then read-only ------------------------------------------
mountpoint = tempfile.mkdtemp(prefix="canopee-storage-")
try:
    mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", mountpoint)
except subprocess.CalledProcessError as e:
    fail(f"cannot mount a tmpfs for the disk-full test (run as root): {e.stderr.decode().strip()}")
try:
    url = f"sqlite://{mountpoint}/canopee.db"
    tokens = demo(url)
    buyer = tokens["buyer OPAL"]
    server = Server(url).start()
    acknowledged = 0
    status, _, _ = write(server, buyer)
    check(status == 201, "a write succeeds before the disk fills")
    acknowledged += 1

    # Fill the filesystem: the filler takes whatever space is left.
    filler = os.path.join(mountpoint, "filler")
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    statuses = []
    for _ in range(200):
        status, headers, body = write(server, buyer)
        statuses.append(status)
        if status == 201:
            acknowledged += 1
        elif status == 503:
            break
        else:
            fail(f"a write on a full disk got {status}: {body}")
    check(statuses[-1] == 503, f"writes on a full disk get 503 (after {len(statuses) - 1} that still fit)")
    check('"database.disk_full"' in body and "disque" in body and "retry-after" in headers,
          "the 503 says the disk is full (code database.disk_full, in French) and carries Retry-After")
    check(server.request("GET", "/v1/needs?limit=5", buyer)[0] == 200, "reads still succeed on a full disk")
    os.unlink(filler)
    status, _, _ = write(server, buyer)
    check(status == 201, "once space is freed, writes succeed again without a restart")
    acknowledged += 1
    if "database or disk is full" not in server.log():
        fail("the server log does not name the cause (disk full)")
    check(True, "the server log names the cause for the operator")

    server.stop()
    db = sqlite3.connect(f"{mountpoint}/canopee.db")
    before = db.execute("SELECT count(*) FROM needs").fetchone()
    db.close()

    # A filesystem with open writers cannot be remounted read-only, so the
    # read-only case is a server started on one.
    mount("-o", "remount,ro", mountpoint)
    refused = Server(url).start(wait=False)
    code = refused.process.wait(timeout=30)
    check(code != 0, f"`canopee serve` on a read-only filesystem exits non-zero ({code})")
    check("lecture seule" in refused.log(), "and says the database is read-only")
    mount("-o", "remount,rw", mountpoint)
    server = Server(url).start()
    status, _, _ = write(server, buyer)
    check(status == 201, "once writable again, the server starts and writes succeed")
    acknowledged += 1
    server.stop()

    db = sqlite3.connect(f"{mountpoint}/canopee.db")
    check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "SQLite's integrity check passes")
    stored = db.execute("SELECT count(*) FROM needs WHERE title = 'Peinture (stockage)'").fetchone()[0]
    check(stored == acknowledged, f"every acknowledged write is stored once ({stored} = {acknowledged})")
    check(before[0] + 1 == db.execute("SELECT count(*) FROM needs").fetchone()[0],
          "the read-only start changed nothing but the one write after it")
    db.close()
finally:
    if subprocess.run(["umount", mountpoint], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", mountpoint], capture_output=True)
    os.rmdir(mountpoint)

# --- PostgreSQL: a read-only database --------------------------------------------
url = fresh_database("fault_storage")
tokens = demo(url)
buyer = tokens["buyer OPAL"]
psql(url, "ALTER DATABASE fault_storage SET default_transaction_read_only = on")
server = Server(url).start()
status, headers, body = write(server, buyer)
check(status == 503 and '"database.read_only"' in body and "lecture seule" in body and "retry-after" in headers,
      f"PostgreSQL read-only: writes get 503 saying so ({status})")
check(server.request("GET", "/v1/needs?limit=5", buyer)[0] == 200, "PostgreSQL read-only: reads succeed")
psql(PG_URL, "ALTER DATABASE fault_storage SET default_transaction_read_only = off")
server.stop()
