#!/usr/bin/env bash
# The HTTP API under load, beside PostgreSQL's own ceiling, in one run.
# For each backend and database size: a fresh database with the demo network,
# SIZE imported needs and TENDERS seeded tenders (bids, one awarded lot each);
# `canopee serve` on loopback; wrk (bench/wrk/api.lua) on five endpoints at 16
# and 64 connections after a warm-up; pgbench selecting a need by primary key
# with prepared statements on the same database; the server's peak RSS.
# Prints one table and writes bench/results/api-latest.tsv and
# docs/performance-api.svg (throughput and latency against database size).
#
# Usage: bench/api.sh            (PostgreSQL and SQLite, sizes 10k, 100k, 1M)
#   SIZES=10000 BACKENDS=postgresql DURATION=5 bench/api.sh   (a quick look)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000,100000,1000000}
BACKENDS=${BACKENDS:-postgresql,sqlite}
DURATION=${DURATION:-10}
TENDERS=${TENDERS:-1000}
scripts/setup >/dev/null
scripts/build >/dev/null
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is missing (scripts/setup installs it)" >&2; exit 1; }
source scripts/lib/throwaway-postgres.sh
start_throwaway_postgres >/dev/null
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
  stop_throwaway_postgres
}
trap cleanup EXIT
mkdir -p bench/results
results=bench/results/api-latest.tsv
printf 'backend\tsize\tendpoint\tconnections\trps\tp50_ms\tp99_ms\tmax_ms\tnon2xx\terrors\tpeak_rss_mb\n' >"$results"
largest=$(tr ',' '\n' <<<"$SIZES" | sort -n | tail -n 1)
base=${CANOPEE_TEST_PG_URL%/postgres}
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

start_server() {  # $1: database URL → sets server_pid, port
  build/canopee --log-level error --database "$1" serve --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.out")
    [[ -n $port ]] && return 0
    sleep 0.1
  done
  cat "$work/server.err" >&2
  return 1
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
}

run_wrk() {  # backend size endpoint connections token max_id duration
  local line
  line=$(BENCH_MODE=$3 BENCH_TOKEN=$5 BENCH_MAX_ID=$6 wrk -t2 -c"$4" -d"$7"s --timeout 5s -s bench/wrk/api.lua \
    "http://127.0.0.1:$port" | grep '^RESULT')
  read -r _ requests seconds non2xx errors p50 p99 max <<<"$line"
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
  printf '%s\t%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%.1f\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" \
    "$(bc -l <<<"$requests / $seconds")" "$(bc -l <<<"$p50 / 1000")" "$(bc -l <<<"$p99 / 1000")" \
    "$(bc -l <<<"$max / 1000")" "$non2xx" "$errors" "$rss" >>"$results"
  echo "  $3 c=$4: $(tail -n 1 "$results" | cut -f5-11)" >&2
}

run_pgbench() {  # url size clients
  cat >"$work/select.sql" <<'SQL'
\set id random(1, :maxid)
SELECT id, member_id, cpv, title, description, quantity, unit, reference_unit_price, department,
       period_start, period_end, recurring, status, version FROM needs WHERE id = :id;
SQL
  local out
  out=$("$PG_BIN/pgbench" -n -M prepared -c "$3" -j 2 -T "$DURATION" -D maxid="$2" -f "$work/select.sql" -r "$1" 2>&1)
  local tps lat
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%.0f\t%s\t\t\t\t\t\n' postgresql "$2" pgbench_select_by_key "$3" "$tps" "$lat" >>"$results"
  echo "  pgbench c=$3: $tps tps, latency average $lat ms" >&2
}

explain() {  # the plans of the API's list and report queries on the largest database
  local q
  for q in \
    "SELECT id, member_id, cpv, title FROM needs WHERE id < 9223372036854775807 ORDER BY id DESC LIMIT 51" \
    "SELECT id, member_id, cpv, title FROM needs WHERE id < 9223372036854775807 AND member_id = 2 ORDER BY id DESC LIMIT 51" \
    "SELECT id FROM needs WHERE id < 9223372036854775807 AND status = 'submitted' AND cpv >= '4481' AND cpv < '4482' ORDER BY id DESC LIMIT 51" \
    "SELECT s.lot_id, s.member_id, s.savings FROM savings_lines s JOIN lots l ON l.id = s.lot_id JOIN tenders t ON t.id = l.tender_id JOIN members m ON m.id = s.member_id WHERE s.awarded_on >= '2026-01-01' AND s.awarded_on <= '2026-12-31' ORDER BY s.lot_id, s.member_id" \
    "SELECT b.id FROM bids b WHERE b.lot_id = 1500"; do
    echo "EXPLAIN ANALYZE $q"
    psql "$1" -c "EXPLAIN (ANALYZE, COSTS OFF) $q" | sed 's/^/    /'
  done
}

for backend in ${BACKENDS//,/ }; do
  for size in $(tr ',' '\n' <<<"$SIZES" | sort -n); do
    echo "$backend, $size needs:" >&2
    if [[ $backend == postgresql ]]; then
      psql "$base/postgres" -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
      url=$base/bench
    else
      rm -f "$work"/bench.db*
      url=sqlite://$work/bench.db
    fi
    build/canopee --log-level warn --database "$url" demo >"$work/tokens"
    token() { awk -v who="$1" '$0 ~ "^  "who" " {print $(NF-1); exit}' "$work/tokens"; }
    python3 bench/lib/make_needs_csv.py "$size" "$work/needs.csv"
    t0=$(date +%s.%N)
    build/canopee --log-level warn --database "$url" import needs "$work/needs.csv" --member OPAL >/dev/null
    t1=$(date +%s.%N)
    build/bench/canopee_bench_seed_tenders "$url" "$TENDERS" >/dev/null
    t2=$(date +%s.%N)
    echo "  loaded in $(bc <<<"$t1 - $t0" | cut -c1-5) s, $TENDERS tenders in $(bc <<<"$t2 - $t1" | cut -c1-5) s" >&2
    [[ $backend == postgresql ]] && psql "$url" -c "VACUUM ANALYZE"
    start_server "$url"
    officer=$(token officer); finance=$(token finance); buyer=$(token "buyer OPAL")
    tenders=$((TENDERS + 2))
    run_wrk warmup "$size" need 16 "$officer" "$size" 3 2>/dev/null
    if [[ $size == "$largest" ]]; then
      for c in 16 64; do
        run_wrk "$backend" "$size" need "$c" "$officer" "$size" "$DURATION"
        run_wrk "$backend" "$size" list "$c" "$officer" "$size" "$DURATION"
        run_wrk "$backend" "$size" post "$c" "$buyer" "$size" "$DURATION"
        run_wrk "$backend" "$size" evaluation "$c" "$officer" "$tenders" "$DURATION"
        run_wrk "$backend" "$size" report "$c" "$finance" "$tenders" "$DURATION"
      done
      if [[ $backend == postgresql ]]; then
        run_pgbench "$url" "$size" 16
        run_pgbench "$url" "$size" 64
        explain "$url" >bench/results/api-explain.txt
      fi
    else
      run_wrk "$backend" "$size" need 64 "$officer" "$size" "$DURATION"
      run_wrk "$backend" "$size" list 64 "$officer" "$size" "$DURATION"
    fi
    stop_server
  done
done
python3 bench/lib/api_report.py "$results" docs/performance-api.svg
