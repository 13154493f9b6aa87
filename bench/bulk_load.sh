#!/usr/bin/env bash
# Loading needs from CSV into PostgreSQL: `canopee import needs` (parse, validate
# every row, COPY into needs and need_attributes) beside, in the same run,
#   - psql's \copy of the very rows it stored into the same tables, in one
#     transaction: what PostgreSQL itself needs to load them (the target's
#     ceiling), and
#   - psql's \copy of the CSV file into a table of text columns, with no index,
#     constraint, conversion or validation: the cost of moving the bytes alone.
# Usage: bench/bulk_load.sh [rows=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
scripts/build >/dev/null
source scripts/lib/throwaway-postgres.sh
start_throwaway_postgres >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; stop_throwaway_postgres' EXIT
url=$CANOPEE_TEST_PG_URL
export CANOPEE_DATABASE_URL=$url
build/canopee --log-level warn migrate
build/canopee --log-level warn demo >/dev/null
python3 bench/lib/make_needs_csv.py "$rows" "$work/needs.csv"
size=$(du -h "$work/needs.csv" | cut -f1)
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
psql -c "CREATE TABLE staging (cpv text, title text, description text, quantity text, unit text, price text,
         department text, period_start text, period_end text, recurring text, teinte text)"
now() { date +%s.%N; }
t0=$(now)
psql -c "\\copy staging FROM '$work/needs.csv' CSV HEADER"
t1=$(now)
build/canopee --log-level warn import needs "$work/needs.csv" --member OPAL >/dev/null
t2=$(now)
# The same rows again, through psql: export what the import stored, delete it, \copy it back.
cols="id, member_id, cpv, title, description, quantity, unit, reference_unit_price, department, period_start, period_end, recurring, status, version, created_at, updated_at"
psql -c "\\copy (SELECT $cols FROM needs WHERE title LIKE 'Besoin %') TO '$work/needs.tsv'"
psql -c "\\copy (SELECT a.need_id, a.name, a.value FROM need_attributes a JOIN needs n ON n.id = a.need_id WHERE n.title LIKE 'Besoin %') TO '$work/attributes.tsv'"
psql -c "DELETE FROM need_attributes WHERE need_id IN (SELECT id FROM needs WHERE title LIKE 'Besoin %')" \
     -c "DELETE FROM needs WHERE title LIKE 'Besoin %'" -c "VACUUM ANALYZE needs" -c "VACUUM ANALYZE need_attributes"
t3=$(now)
psql -1 -c "\\copy needs ($cols) FROM '$work/needs.tsv'" -c "\\copy need_attributes (need_id, name, value) FROM '$work/attributes.tsv'"
t4=$(now)
python3 - "$rows" "$t0" "$t1" "$t2" "$t3" "$t4" "$size" <<'PY'
import sys
rows = int(sys.argv[1])
t0, t1, t2, t3, t4 = map(float, sys.argv[2:7])
size = sys.argv[7]
staging, ours, same = t1 - t0, t2 - t1, t4 - t3
print(f"bulk load of {rows:,} needs from CSV ({size}) into PostgreSQL")
print(f"  canopee import needs                      {ours:7.2f} s  {rows / ours:10,.0f} rows/s  (read, parse, validate, COPY; whole process)")
print(f"  psql \\copy, same rows into the same tables {same:7.2f} s  {rows / same:10,.0f} rows/s")
print(f"  psql \\copy of the CSV into text columns    {staging:7.2f} s  {rows / staging:10,.0f} rows/s  (no index, constraint or conversion)")
print(f"  ratio canopee / \\copy into the same tables {ours / same:7.2f}  (target ≤ 1.5)")
print(f"  ratio canopee / \\copy into text columns    {ours / staging:7.2f}")
PY
