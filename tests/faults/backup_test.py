"""Back up with pg_dump, restore into a fresh database, read the same reports.

The database holds the demo network and seeded tenders with awarded lots. The
savings report (every grouping, JSON and CSV), the DECP export and a tender's
OCDS release are taken from the original, the dump is restored into a new
database (pg_restore, as docs/operations.md tells), and the same outputs from
the restored database must be identical byte for byte; the API on the restored
database serves the same report and accepts writes (its sequences restored too).
"""

import json
import os
import subprocess
import tempfile

from harness import CANOPEE, PG_URL, Server, check, demo, fresh_database, scalar

SEED = os.environ.get("CANOPEE_SEED_BIN", os.path.join(os.path.dirname(CANOPEE), "bench", "canopee_bench_seed_tenders"))

original = fresh_database("backup_original")
tokens = demo(original)
subprocess.run([SEED, original, "12"], check=True, stdout=subprocess.DEVNULL)


def outputs(url):
    """Every report and export, as bytes, by name."""
    out = {}
    for group in ("member", "category", "tender", "month"):
        for fmt in ("json", "csv"):
            out[f"savings-{group}.{fmt}"] = subprocess.run(
                [CANOPEE, "--log-level", "warn", "--database", url, "report", "savings", "--group-by", group,
                 "--format", fmt], capture_output=True, check=True).stdout
    out["decp.json"] = subprocess.run([CANOPEE, "--log-level", "warn", "--database", url, "export", "decp",
                                       "--from", "2026-01-01", "--to", "2027-12-31"],
                                      capture_output=True, check=True).stdout
    ocds = json.loads(subprocess.run([CANOPEE, "--log-level", "warn", "--database", url, "export", "ocds", "--tender", "1"],
                                     capture_output=True, check=True).stdout)
    # The package's publishedDate and the release's date are the time of export.
    del ocds["publishedDate"]
    for release in ocds["releases"]:
        del release["date"]
    out["ocds-1.json"] = json.dumps(ocds, sort_keys=True).encode()
    return out


before = outputs(original)
server = Server(original).start()
api_before = server.request("GET", "/v1/reports/savings?group_by=tender", tokens["finance"])[2]
server.stop()
check(all(len(v) > 50 for v in before.values()), f"{len(before)} reports and exports taken from the original")
check(b"OPAL" in before["savings-member.csv"], "the savings report has members' figures")

dump = tempfile.mktemp(suffix=".dump")
subprocess.run(["pg_dump", "--format=custom", "--file", dump, "--dbname", original], check=True)
restored = fresh_database("backup_restored")
subprocess.run(["pg_restore", "--exit-on-error", "--no-owner", "--dbname", restored, dump], check=True)
os.unlink(dump)
check(True, "pg_dump --format=custom, then pg_restore into a fresh database")

after = outputs(restored)
for name in before:
    check(after[name] == before[name], f"{name} is identical after the restore")

server = Server(restored).start()
status, _, body = server.request("GET", "/v1/reports/savings?group_by=tender", tokens["finance"])
check(status == 200 and body == api_before, "the API on the restored database serves the same savings report")
need = server.json("POST", "/v1/needs", tokens["buyer OPAL"], {
    "cpv": "44810000-1", "title": "Apres restauration", "quantity": "10", "unit": "l",
    "reference_unit_price": "7.80", "department": "02", "period_start": "2027-01-01",
    "period_end": "2027-12-31"}, expect=201)
largest = int(scalar(original, "SELECT max(id) FROM needs"))
check(need["id"] > largest, f"a new need gets a fresh id after the restore ({need['id']} > {largest})")
server.stop()
