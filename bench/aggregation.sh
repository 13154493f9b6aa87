#!/usr/bin/env bash
# The aggregation benchmark beside PostgreSQL: a throwaway server gets 1,000,000
# rows shaped like the benchmark's needs (50 members, 500 CPV codes, 13
# départements), times the GROUP BY that a SQL pooling would start with, then
# runs canopee_bench_aggregation on the same number of needs.
# Usage: bench/aggregation.sh [needs=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
needs=${1:-1000000}
scripts/build >/dev/null
source scripts/lib/throwaway-postgres.sh
start_throwaway_postgres >/dev/null
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$CANOPEE_TEST_PG_URL" "$@"; }
psql <<SQL
CREATE TABLE bench_needs AS
  SELECT i AS id, 1 + (random() * 49)::int AS member_id, (random() * 499)::int AS cpv,
         (random() * 12)::int AS department, (random() * 5)::int AS unit,
         (1 + random() * 10000000)::bigint AS quantity, (random() * 5000000)::bigint AS price
  FROM generate_series(1, $needs) AS i;
VACUUM ANALYZE bench_needs;
SET work_mem = '256MB';
SQL
echo "PostgreSQL: SELECT cpv, department, unit, member_id, SUM(quantity), SUM(quantity * price) … GROUP BY 1, 2, 3, 4"
best=""
for run in 1 2 3 4 5; do
  ms=$(psql -t -A -c "SET work_mem = '256MB'; EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)
        SELECT cpv, department, unit, member_id, SUM(quantity), SUM(quantity * price)
        FROM bench_needs GROUP BY 1, 2, 3, 4" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')
  if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $ms < $best else 1)"; then best=$ms; fi
done
python3 -c "print(f'  best of 5 {float($best):8.1f} ms  {$needs / float($best) / 1000:6.2f} M rows/s')"
build/bench/canopee_bench_aggregation "$needs"
