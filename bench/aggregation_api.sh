#!/usr/bin/env bash
# POST /v1/aggregations over many submitted needs of one member (issue 21 item 3),
# through the whole server: reading the needs from PostgreSQL, pooling, the answer.
# A fresh database gets the demo network and SIZE needs imported for OPAL; each
# server binary (this build, and BASELINE when given, e.g. the previous release)
# is started on it in turn and answers the first page three times, then the
# second page; printed: the server time (curl's total on loopback), the answer's
# size and the server's peak RSS (VmHWM) beside its RSS before the first POST.
#
# Usage: SIZE=553000 BASELINE=/path/to/old/canopee bench/aggregation_api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-553000}
BASELINE=${BASELINE:-}
[[ -x build/canopee ]] || scripts/build >/dev/null
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
base=${CANOPEE_TEST_PG_URL%/postgres}
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql "$base/postgres" -c "DROP DATABASE IF EXISTS bench_aggregation" -c "CREATE DATABASE bench_aggregation"
url=$base/bench_aggregation
build/canopee --log-level warn --database "$url" demo >"$work/tokens"
officer=$(awk '$0 ~ "^  officer " {print $(NF-1); exit}' "$work/tokens")
python3 bench/lib/make_needs_csv.py "$SIZE" "$work/needs.csv"
build/canopee --log-level warn --database "$url" import needs "$work/needs.csv" --member OPAL >/dev/null
psql "$url" -c "VACUUM ANALYZE"
body='{"filter": {}, "options": {"contract_start": "2027-01-01", "duration_months": 12}}'

post() {  # $1: body → "seconds bytes status"
  curl -s -o "$work/answer.json" -w '%{time_total} %{size_download} %{http_code}' \
    -H "Authorization: Bearer $officer" -H 'Content-Type: application/json' -d "$1" \
    "http://127.0.0.1:$port/v1/aggregations"
}

printf '%-10s %8s %10s %12s %8s %10s %10s\n' binary needs page seconds bytes rss_mb peak_mb
for binary in build/canopee ${BASELINE:+"$BASELINE"}; do
  "$binary" --log-level error --database "$url" serve --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.out")
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { cat "$work/server.err" >&2; exit 1; }
  name=$([[ $binary == build/canopee ]] && echo this || echo baseline)
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
  for run in 1 2 3; do
    read -r seconds bytes code <<<"$(post "$body")"
    [[ $code == 200 ]] || { echo "HTTP $code" >&2; head -c 500 "$work/answer.json" >&2; exit 1; }
    peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
    printf '%-10s %8s %10s %12s %8s %10s %10s\n' "$name" "$SIZE" "first#$run" "$seconds" "$bytes" "$rss" "$peak"
  done
  cursor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("next_cursor") or "")' "$work/answer.json")
  if [[ -n $cursor ]]; then
    read -r seconds bytes code <<<"$(post "${body%\}}, \"cursor\": \"$cursor\"}")"
    peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
    printf '%-10s %8s %10s %12s %8s %10s %10s\n' "$name" "$SIZE" "second" "$seconds" "$bytes" "$rss" "$peak"
  fi
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=
done
