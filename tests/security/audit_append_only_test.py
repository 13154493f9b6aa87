"""The audit log is append-only on PostgreSQL.

The server runs as a login role that is a member of canopee_app (the role the
migrations grant): the whole write flow works, and the role can add audit rows
but neither change, delete nor truncate them. The owner cannot either: a
trigger refuses it, whoever asks.
"""

import datetime
import subprocess

from harness import PG_URL, Server, check, demo, fresh_database, psql

url = fresh_database("security_audit")
tokens = demo(url)  # migrates as the owner (a superuser here): creates canopee_app and grants
check(psql(url, "SELECT count(*) FROM pg_roles WHERE rolname = 'canopee_app'")[0][0] == "1",
      "the migrations created the canopee_app role")
psql(PG_URL, "DROP ROLE IF EXISTS canopee_api_test")
psql(PG_URL, "CREATE ROLE canopee_api_test LOGIN IN ROLE canopee_app")
app_url = url.replace("canopee@", "canopee_api_test@", 1)

server = Server(app_url).start()
buyer, officer = tokens["buyer OPAL"], tokens["officer"]
NEED = {"cpv": "09310000-5", "title": "Electricite (audit)", "quantity": "100", "unit": "MWh",
        "reference_unit_price": "165", "department": "02", "period_start": "2027-01-01",
        "period_end": "2027-12-31", "status": "submitted"}
need = server.json("POST", "/v1/needs", buyer, NEED, expect=201)
server.json("POST", "/v1/needs", tokens["buyer REIMS"], dict(NEED, department="51"), expect=201)
status, _, _ = server.request("PATCH", f"/v1/needs/{need['id']}", buyer, {"quantity": "120"}, {"If-Match": '"v1"'})
check(status == 200, "as canopee_app: a need is created and edited")
tender = server.json("POST", "/v1/tenders", officer, {
    "title": "Peintures (audit)", "coordinator_member_id": 1,
    "groupement_id": 1,  # the demo's groupement de commandes, coordinated by OPAL (L2113-6)
    "criteria": [{"name": "prix", "weight": 80, "price": True}, {"name": "environnement", "weight": 20, "environmental": True}],
    # 60 days ahead: above every minimum time limit, whatever the day of the run.
    "bid_deadline": (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=60)).strftime("%Y-%m-%dT12:00:00Z"),
    "allotment_justification": "un seul lot",
    # Launched after 2026-08-21: environmental execution conditions (L2112-2).
    "environmental_conditions": "clause environnementale",
    "proposal": {"filter": {"cpv_prefix": "0931"}, "options": {"contract_start": "2027-01-01", "duration_months": 12}}},
    expect=201)
server.json("POST", f"/v1/tenders/{tender['id']}/publish", officer)
check(True, "as canopee_app: a tender is created from the proposal and published")
audit = server.json("GET", "/v1/audit?limit=100", tokens["admin"])["items"]
check(len(audit) >= 3, f"the audit log holds the writes ({len(audit)} rows)")
server.stop()

before = psql(url, "SELECT count(*), max(id) FROM audit_log")[0]


def refused(who_url, sql, expected):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-d", who_url, "-c", sql], capture_output=True, text=True)
    return out.returncode != 0 and expected in out.stderr


psql(app_url, "INSERT INTO audit_log (at, entity, entity_id, action) VALUES (now(), 'test', 1, 'append')")
check(True, "canopee_app may append an audit row")
for sql in ("UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
    check(refused(app_url, sql, "permission denied"), f"canopee_app may not: {sql}")
    check(refused(url, sql, "append-only"), f"nor may the owner: {sql}")
after = psql(url, "SELECT count(*), max(id) FROM audit_log")[0]
check(int(after[0]) == int(before[0]) + 1, "nothing was removed: one row more, the appended one")
psql(PG_URL, 'DROP DATABASE "security_audit" WITH (FORCE)')
psql(PG_URL, "DROP ROLE canopee_api_test")
