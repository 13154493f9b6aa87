#!/usr/bin/env bash
# The HTTP API under load, beside PostgreSQL's own ceiling and a peer service, in one run.
# For each backend and database size: a fresh database with the demo network,
# SIZE imported needs and TENDERS seeded tenders (bids, one awarded lot each);
# `canopee serve` on loopback; wrk (bench/wrk/api.lua) on five endpoints at 16
# and 64 connections after a warm-up. On PostgreSQL, at the largest size, beside
# it on the same database: the peer (bench/peer/needs_service.py: FastAPI,
# uvicorn with 2 workers and uvloop, asyncpg) driven by the same wrk script;
# pgbench selecting the whole need row by key (prepared); one aggregation
# proposal over every submitted need (its time and the server's RSS); then the
# soak's mixed traffic (bench/wrk/soak.lua) with every acknowledged create
# checked in the database afterwards.
# Prints the figures, the issue-21 table (ratios and goals, met or not), and
# writes bench/results/api-latest.tsv, bench/results/api-checks.tsv and
# docs/performance-api.svg (throughput and latency against database size).
#
# Usage: bench/api.sh            (PostgreSQL and SQLite, sizes 10k, 100k, 1M)
#   SIZES=10000 BACKENDS=postgresql DURATION=5 bench/api.sh   (a quick look)
#   RUNS=3 bench/api.sh   (the whole run three times, fresh databases each time;
#                          the tables show the median of each figure)
#   READ_CACHE=0 bench/api.sh   (the needs' list read afresh every time)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000,100000,1000000}
BACKENDS=${BACKENDS:-postgresql,sqlite}
DURATION=${DURATION:-10}
TENDERS=${TENDERS:-1000}
RUNS=${RUNS:-1}
# Seconds the needs' list may be served again from a kept answer on PostgreSQL
# (--read-cache-max-age; 0: every list read afresh). Not set on SQLite, which refuses it.
READ_CACHE=${READ_CACHE:-1}
scripts/setup >/dev/null
# Only what the benchmark runs: the server and the tender seeder.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
[[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target canopee canopee_bench_seed_tenders >/dev/null
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is missing (scripts/setup installs it)" >&2; exit 1; }
# The peer runs on Debian's Python, where scripts/setup installed FastAPI and the rest.
PEER_PYTHON=/usr/bin/python3
source scripts/lib/throwaway-postgres.sh
start_throwaway_postgres >/dev/null
work=$(mktemp -d)
server_pid= peer_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n $peer_pid ]] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null
  rm -rf "$work"
  stop_throwaway_postgres
}
trap cleanup EXIT
mkdir -p bench/results
results=bench/results/api-latest.tsv checks=bench/results/api-checks.tsv
printf 'run\tbackend\tsize\tendpoint\tconnections\trps\tp50_ms\tp99_ms\tmax_ms\tnon2xx\terrors\tpeak_rss_mb\n' >"$results"
printf 'run\tbackend\tsize\tname\tvalue\n' >"$checks"
largest=$(tr ',' '\n' <<<"$SIZES" | sort -n | tail -n 1)
base=${CANOPEE_TEST_PG_URL%/postgres}
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$backend" "$size" "$1" "$2" >>"$checks"; }
status_kib() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }

start_server() {  # $1: database URL → sets server_pid, port
  local cache=()
  [[ $1 == postgresql://* && $READ_CACHE != 0 ]] && cache=(--read-cache-max-age "$READ_CACHE")
  build/canopee --log-level error --database "$1" serve --listen 127.0.0.1:0 "${cache[@]}" \
    >"$work/server.out" 2>"$work/server.err" &
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

start_peer() {  # $1: database URL, $2: the token it accepts → sets peer_pid, peer_port
  peer_port=$("$PEER_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PEER_DATABASE_URL=$1 PEER_TOKEN=$2 "$PEER_PYTHON" -m uvicorn needs_service:app --app-dir bench/peer \
    --host 127.0.0.1 --port "$peer_port" --workers 2 --loop uvloop --http httptools --no-access-log \
    --log-level warning >"$work/peer.log" 2>&1 &
  peer_pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null -H "Authorization: Bearer $2" "http://127.0.0.1:$peer_port/v1/needs/1" && return 0
    sleep 0.1
  done
  cat "$work/peer.log" >&2
  return 1
}

stop_peer() {
  kill "$peer_pid" && wait "$peer_pid" 2>/dev/null || true
  peer_pid=
}

# The peer answers the same document as ours for a need with attributes and one without.
same_answer() {  # token id
  local ours peer
  ours=$(curl -sf -H "Authorization: Bearer $1" "http://127.0.0.1:$port/v1/needs/$2" | python3 -m json.tool --sort-keys)
  peer=$(curl -sf -H "Authorization: Bearer $1" "http://127.0.0.1:$peer_port/v1/needs/$2" | python3 -m json.tool --sort-keys)
  [[ $ours == "$peer" ]] || { echo "bench/api.sh: the peer's need $2 differs from ours:"; diff <(echo "$ours") <(echo "$peer"); exit 1; } >&2
}

run_wrk() {  # endpoint connections token max_id duration [port]  (endpoint peer or warmup: a need read)
  local mode=$1 line rss=
  [[ $1 == peer || $1 == warmup ]] && mode=need
  line=$(BENCH_MODE=$mode BENCH_TOKEN=$3 BENCH_MAX_ID=$4 wrk -t2 -c"$2" -d"$5"s --timeout 5s -s bench/wrk/api.lua \
    "http://127.0.0.1:${6:-$port}" | grep '^RESULT')
  read -r _ requests seconds non2xx errors p50 p99 max <<<"$line"
  # The server's peak resident set so far (the peer's workers are other processes).
  [[ $1 != peer ]] && rss=$(($(status_kib "$server_pid" VmHWM) / 1024))
  printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%.1f\t%s\t%s\t%s\n' "$run" "$backend" "$size" "$1" "$2" \
    "$(bc -l <<<"$requests / $seconds")" "$(bc -l <<<"$p50 / 1000")" "$(bc -l <<<"$p99 / 1000")" \
    "$(bc -l <<<"$max / 1000")" "$non2xx" "$errors" "$rss" >>"$results"
  echo "  $1 c=$2: $(tail -n 1 "$results" | cut -f6-12)" >&2
}

# The savings report's first request after a start (or after any change of the
# finance figures) computes it; every later one is served from the kept answer until
# the next change (api/derived_cache.hpp). The first request's time is recorded on
# its own, then a 2-second warm-up, so that the measured runs show the kept answer's
# throughput and latency rather than one computation inside a 10-second window.
first_report() {  # token
  local out code total
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $1" \
    -H 'Accept: application/json' "http://127.0.0.1:$port/v1/reports/savings?group_by=member")
  read -r code total <<<"$out"
  record report_first_status "$code"
  record report_first_ms "$(bc -l <<<"$total * 1000" | xargs printf '%.0f')"
  echo "  report, first request (computed): HTTP $code in $total s" >&2
  BENCH_MODE=report BENCH_TOKEN=$1 BENCH_MAX_ID=1 wrk -t2 -c16 -d2s -s bench/wrk/api.lua "http://127.0.0.1:$port" >/dev/null
}

run_pgbench() {  # url clients
  cat >"$work/select.sql" <<'SQL'
\set id random(1, :maxid)
SELECT * FROM needs WHERE id = :id;
SQL
  local out tps lat
  out=$("$PG_BIN/pgbench" -n -M prepared -c "$2" -j 2 -T "$DURATION" -D maxid="$size" -f "$work/select.sql" "$1" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t\t\t\t\t\n' "$run" postgresql "$size" pgbench_select_by_key "$2" "$tps" "$lat" >>"$results"
  echo "  pgbench c=$2: $tps tps, latency average $lat ms" >&2
  # The list's own statement (adapters/db/need_repository.cpp, no filter): what
  # PostgreSQL alone takes to produce the page GET /v1/needs?limit=50 answers.
  cat >"$work/page.sql" <<'SQL'
SELECT n.id, n.member_id, n.cpv, n.title, n.description, n.quantity, n.unit, n.reference_unit_price, n.department, CAST(n.period_start AS TEXT), CAST(n.period_end AS TEXT), n.recurring, n.status, n.version, a.name, a.value, n.reference_source, COALESCE(CAST(n.reference_date AS TEXT), ''), COALESCE(n.reference_index, '') FROM (SELECT * FROM (SELECT * FROM needs WHERE id < 9223372036854775807 ORDER BY id DESC LIMIT 501) bounded LIMIT 51) n LEFT JOIN LATERAL (SELECT name, value FROM need_attributes WHERE need_id = n.id OFFSET 0) a ON true ORDER BY n.id DESC, a.name;
SQL
  out=$("$PG_BIN/pgbench" -n -M prepared -c "$2" -j 2 -T "$DURATION" -f "$work/page.sql" "$1" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t\t\t\t\t\n' "$run" postgresql "$size" pgbench_page "$2" "$tps" "$lat" >>"$results"
  echo "  pgbench page c=$2: $tps tps, latency average $lat ms" >&2
}

# One aggregation proposal over every submitted need: the time curl waits for the
# whole answer (loopback, so nearly all of it is the server's), the answer's size,
# and the server's resident memory before and at its peak during the request
# (VmHWM, reset first through /proc/PID/clear_refs) and after it.
run_aggregation() {  # token url
  local needs out code first total bytes before peak after
  needs=$(psql "$2" -At -c "SELECT count(*) FROM needs WHERE status = 'submitted'")
  before=$(status_kib "$server_pid" VmRSS)
  echo 5 >"/proc/$server_pid/clear_refs"
  out=$(curl -s -o "$work/proposal.json" -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d '{"options":{"contract_start":"2027-01-01","duration_months":12}}' "http://127.0.0.1:$port/v1/aggregations")
  read -r code first total bytes <<<"$out"
  peak=$(status_kib "$server_pid" VmHWM) after=$(status_kib "$server_pid" VmRSS)
  echo 5 >"/proc/$server_pid/clear_refs"  # the next figures' peaks are their own
  record aggregation_needs "$needs"
  record aggregation_status "$code"
  record aggregation_first_byte_ms "$(bc -l <<<"$first * 1000" | xargs printf '%.0f')"
  record aggregation_ms "$(bc -l <<<"$total * 1000" | xargs printf '%.0f')"
  record aggregation_answer_mb "$(bc -l <<<"$bytes / 1048576" | xargs printf '%.1f')"
  record aggregation_rss_before_kib "$before"
  record aggregation_rss_peak_kib "$peak"
  record aggregation_rss_after_kib "$after"
  echo "  aggregation over $needs submitted needs: HTTP $code in $total s, $bytes bytes, RSS $((before / 1024)) → peak $((peak / 1024)) → after $((after / 1024)) MiB" >&2
}

# The soak's mixed traffic (15 % creates, 55 % reads, 15 % lists, 10 % evaluations,
# 5 % reports) at 64 connections; then every create the server acknowledged (201)
# is looked for in the database, with its quantity.
run_soak() {  # buyer officer finance url
  local line requests acknowledged quantity_sum status5xx other errors p99 max
  line=$(SOAK_ACK_FILE=$work/acknowledged SOAK_BUYER=$1 SOAK_OFFICER=$2 SOAK_FINANCE=$3 SOAK_MAX_NEED=$size \
    wrk -t2 -c64 -d"$DURATION"s --timeout 10s -s bench/wrk/soak.lua "http://127.0.0.1:$port" | grep '^SOAK')
  read -r _ requests acknowledged quantity_sum status5xx other errors p99 max <<<"$line"
  printf '%s\t%s\t%s\t%s\t%s\t%.0f\t\t%.2f\t%.1f\t%s\t%s\t%s\n' "$run" "$backend" "$size" soak 64 \
    "$(bc -l <<<"$requests / $DURATION")" "$(bc -l <<<"$p99 / 1000")" "$(bc -l <<<"$max / 1000")" \
    "$((status5xx + other))" "$errors" "$(($(status_kib "$server_pid" VmHWM) / 1024))" >>"$results"
  record soak_5xx "$status5xx"
  psql "$4" -At -F $'\t' -c "SELECT title, quantity FROM needs WHERE title LIKE 'Soak t%'" >"$work/stored"
  python3 bench/lib/soak_check.py "$work/acknowledged" "$work/stored" "$acknowledged" >"$work/soak"
  while read -r name value; do record "soak_$name" "$value"; done <"$work/soak"
  echo "  soak c=64: $(tail -n 1 "$results" | cut -f6-12); $(tr '\n' ' ' <"$work/soak")" >&2
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

for run in $(seq 1 "$RUNS"); do
  for backend in ${BACKENDS//,/ }; do
    for size in $(tr ',' '\n' <<<"$SIZES" | sort -n); do
      echo "run $run/$RUNS, $backend, $size needs:" >&2
      if [[ $backend == postgresql ]]; then
        psql "$base/postgres" -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
        url=$base/bench
      else
        rm -f "$work"/bench.db*
        url=sqlite://$work/bench.db
      fi
      build/canopee --log-level warn --database "$url" demo >"$work/tokens"
      token() { awk -v who="$1" '$0 ~ "^  "who" " {print $(NF-1); exit}' "$work/tokens"; }
      [[ -f $work/needs-$size.csv ]] || python3 bench/lib/make_needs_csv.py "$size" "$work/needs-$size.csv"
      t0=$(date +%s.%N)
      build/canopee --log-level warn --database "$url" import needs "$work/needs-$size.csv" --member OPAL >/dev/null
      t1=$(date +%s.%N)
      build/bench/canopee_bench_seed_tenders "$url" "$TENDERS" >/dev/null
      t2=$(date +%s.%N)
      echo "  loaded in $(bc <<<"$t1 - $t0" | cut -c1-5) s, $TENDERS tenders in $(bc <<<"$t2 - $t1" | cut -c1-5) s" >&2
      [[ $backend == postgresql ]] && psql "$url" -c "VACUUM ANALYZE"
      record tenders "$TENDERS"
      start_server "$url"
      officer=$(token officer); finance=$(token finance); buyer=$(token "buyer OPAL")
      tenders=$((TENDERS + 2))
      full=0
      [[ $size == "$largest" && $backend == postgresql ]] && full=1
      if ((full)); then
        start_peer "$url" "$officer"
        same_answer "$officer" "$(psql "$url" -At -c "SELECT min(need_id) FROM need_attributes")"
        same_answer "$officer" "$size"
        run_wrk warmup 16 "$officer" "$size" 3 "$peer_port" 2>/dev/null
      fi
      run_wrk warmup 16 "$officer" "$size" 3 2>/dev/null
      # Before any POST, so that it covers the loaded needs only: the same count on every run.
      ((full)) && run_aggregation "$officer" "$url"
      if [[ $size == "$largest" ]]; then
        for c in 16 64; do
          # The single read, the peer's and pgbench's side by side: their ratios are what count.
          run_wrk need "$c" "$officer" "$size" "$DURATION"
          if ((full)); then
            run_wrk peer "$c" "$officer" "$size" "$DURATION" "$peer_port"
            run_pgbench "$url" "$c"
          fi
          run_wrk list "$c" "$officer" "$size" "$DURATION"
          run_wrk post "$c" "$buyer" "$size" "$DURATION"
          run_wrk evaluation "$c" "$officer" "$tenders" "$DURATION"
          ((c == 16)) && first_report "$finance"
          run_wrk report "$c" "$finance" "$tenders" "$DURATION"
        done
        if ((full)); then
          stop_peer
          explain "$url" >bench/results/api-explain.txt
          run_soak "$buyer" "$officer" "$finance" "$url"
        fi
      else
        run_wrk need 64 "$officer" "$size" "$DURATION"
        run_wrk list 64 "$officer" "$size" "$DURATION"
      fi
      stop_server
    done
  done
done
python3 bench/lib/api_report.py "$results" "$checks" docs/performance-api.svg
