"""Checks the soak of bench/api.sh: every create the server acknowledged is in the
database exactly once with its quantity (the same check as tests/faults/soak_test.py).
Usage: soak_check.py ACKNOWLEDGED STORED COUNT
  ACKNOWLEDGED: what bench/wrk/soak.lua wrote ("t1 n42=1234;" per acknowledged need)
  STORED: `title<TAB>quantity` of the needs titled "Soak t…" (quantities in thousandths)
  COUNT: the number of acknowledged creates wrk counted
Prints "name value" lines: acknowledged, stored, missing, wrong, duplicated, unacknowledged."""
import sys

acknowledged = {}
for item in open(sys.argv[1]).read().split(";"):
    if item:
        title, quantity = item.split("=")
        acknowledged["Soak " + title] = int(quantity)
stored, duplicated = {}, 0
for line in open(sys.argv[2]):
    title, quantity = line.rstrip("\n").split("\t")
    duplicated += title in stored
    stored[title] = int(quantity)
if len(acknowledged) != int(sys.argv[3]):
    sys.exit(f"soak_check.py: {len(acknowledged)} acknowledged creates listed, wrk counted {sys.argv[3]}")
missing = sum(title not in stored for title in acknowledged)
wrong = sum(title in stored and stored[title] != quantity * 1000 for title, quantity in acknowledged.items())
# The requests in flight when wrk stops may be stored without wrk seeing the answer.
unacknowledged = sum(title not in acknowledged for title in stored)
for name, value in [("acknowledged", len(acknowledged)), ("stored", len(stored)), ("missing", missing),
                    ("wrong", wrong), ("duplicated", duplicated), ("unacknowledged", unacknowledged)]:
    print(name, value)
