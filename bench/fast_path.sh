#!/usr/bin/env bash
# The fast path (asynchronous PostgreSQL reads on the I/O threads) against the
# workers, in one run on one database: `canopee serve --async-connections 2`
# and `0`, alternated, each driving GET /v1/needs/{id} and GET /v1/needs?limit=50
# with wrk. Besides requests/s and latency it prints the CPU each request cost
# the server process and all PostgreSQL backends together (from /proc), which a
# busy shared machine disturbs less than throughput.
#
# Usage: bench/fast_path.sh            (ROUNDS=2 DURATION=5 CONNECTIONS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "bench/fast_path.sh: wrk is missing (scripts/setup installs it)" >&2; exit 1; }
source scripts/lib/throwaway-postgres.sh
start_throwaway_postgres >/dev/null
work=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
  stop_throwaway_postgres
}
trap cleanup EXIT
build/canopee --log-level error --database "$CANOPEE_TEST_PG_URL" demo >"$work/demo.out" 2>&1
token=$(grep -i officer "$work/demo.out" | grep -o 'cnp_[A-Za-z0-9_-]*' | head -n 1)
max_id=$("$PG_BIN/psql" -X -At "$CANOPEE_TEST_PG_URL" -c 'SELECT max(id) FROM needs')
postmaster=$(head -n 1 "$PG_DATA/postmaster.pid")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
backend_ticks() {  # this cluster's backends only
  local total=0 pid
  for pid in $(pgrep -P "$postmaster"); do total=$((total + $(ticks "$pid" 2>/dev/null || echo 0))); done
  echo "$total"
}
hz=$(getconf CLK_TCK)
printf '%-6s %-6s %10s %8s %8s %14s %14s\n' path mode req/s p50_ms p99_ms server_us/req pg_us/req
for _ in $(seq 1 "$ROUNDS"); do
  for connections in 2 0; do
    build/canopee --log-level error --database "$CANOPEE_TEST_PG_URL" serve --listen 127.0.0.1:0 \
      --async-connections "$connections" ${SERVE_ARGS:-} >"$work/serve.out" 2>/dev/null &
    server=$!
    port=
    for _ in $(seq 1 100); do
      port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/serve.out")
      [[ -n $port ]] && break
      sleep 0.1
    done
    for mode in need list; do
      s0=$(ticks "$server"); p0=$(backend_ticks)
      read -r _ requests seconds _ _ p50 p99 _ < <(BENCH_MODE=$mode BENCH_TOKEN=$token BENCH_MAX_ID=$max_id \
        wrk -t2 -c"$CONNECTIONS" -d"$DURATION"s -s bench/wrk/api.lua "http://127.0.0.1:$port" | grep '^RESULT')
      s1=$(ticks "$server"); p1=$(backend_ticks)
      printf '%-6s %-6s %10.0f %8.2f %8.2f %14.1f %14.1f\n' "$([[ $connections == 0 ]] && echo workers || echo io)" \
        "$mode" "$(bc -l <<<"$requests / $seconds")" "$(bc -l <<<"$p50 / 1000")" "$(bc -l <<<"$p99 / 1000")" \
        "$(bc -l <<<"($s1 - $s0) * 1000000 / $hz / $requests")" "$(bc -l <<<"($p1 - $p0) * 1000000 / $hz / $requests")"
    done
    kill "$server"; wait "$server" 2>/dev/null || true
    server=
  done
done
