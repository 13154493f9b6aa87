#!/usr/bin/env bash
# The contracts' CSV export over many contracts (issue 21 item 3: exports streamed, not
# built whole). A fresh database gets the demo network, then SIZE contracts inserted by SQL
# (as many members as needed, each with one contract on each of the demo's lots). Each way
# is measured on a freshly started server, so that its peak RSS (VmHWM) is this export's:
#   streamed  GET /v1/contracts?format=csv over HTTP/1.1 (chunked, one page of 500 in memory)
#   gathered  the same over HTTP/1.0 (no chunked coding: the server gathers the whole body)
#   baseline  BASELINE's binary, when given (e.g. the release before the streaming)
# Printed: the time to the first byte and to the last, the bytes, the server's RSS before
# and its peak after. The files are compared byte for byte.
#
# Usage: SIZE=200000 BASELINE=/path/to/old/canopee bench/export.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-200000}
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
psql "$base/postgres" -c "DROP DATABASE IF EXISTS bench_export" -c "CREATE DATABASE bench_export"
url=$base/bench_export
build/canopee --log-level warn --database "$url" demo >"$work/tokens"
officer=$(awk '$0 ~ "^  officer " {print $(NF-1); exit}' "$work/tokens")
lots=$(psql "$url" -At -c "SELECT COUNT(*) FROM lots")
members=$(((SIZE + lots - 1) / lots))
# Triggers off while seeding (the finance version's deferred trigger would bump one row a
# million times at commit; contracts come a few at a time in service).
psql "$url" <<SQL
SET session_replication_role = replica;
INSERT INTO members (code, name, siren, department, created_at, updated_at)
  SELECT 'BX' || i, 'Bailleur ' || i, lpad((700000000 + i)::text, 9, '0'), '80', now(), now()
  FROM generate_series(1, $members) AS i;
INSERT INTO contracts (lot_id, member_id, supplier_id, quantity, unit_price, amount, awarded_at)
  SELECT l.id, m.id, (SELECT min(id) FROM suppliers), 1000 * (m.id % 997 + 1), 91234,
         (m.id % 997 + 1) * 912, now()
  FROM members m CROSS JOIN lots l WHERE m.code LIKE 'BX%' LIMIT $SIZE;
VACUUM ANALYZE;
SQL
total=$(psql "$url" -At -c "SELECT COUNT(*) FROM contracts")

start_server() {  # $1: binary
  "$1" --log-level error --database "$url" serve --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.out")
    [[ -n $port ]] && break
    sleep 0.1
  done
  [[ -n $port ]] || { cat "$work/server.err" >&2; exit 1; }
  # One small request first: the pool and the token cache are warm, as in service.
  curl -s -o /dev/null -H "Authorization: Bearer $officer" "http://127.0.0.1:$port/v1/contracts?limit=1"
}
stop_server() { kill "$server_pid" && wait "$server_pid" 2>/dev/null || true; server_pid=; }
vm() { awk -v k="$1:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }

printf '%-10s %9s %10s %10s %11s %8s %8s\n' way contracts first_byte_s total_s bytes rss_mb peak_mb
measure() {  # $1: name, $2: binary, $3: curl's HTTP option
  start_server "$2"
  local rss timing
  rss=$(vm VmRSS)
  timing=$(curl -s "$3" -o "$work/$1.csv" -w '%{time_starttransfer} %{time_total} %{size_download} %{http_code}' \
    -H "Authorization: Bearer $officer" "http://127.0.0.1:$port/v1/contracts?format=csv")
  read -r first all bytes code <<<"$timing"
  [[ $code == 200 ]] || { echo "HTTP $code" >&2; head -c 500 "$work/$1.csv" >&2; exit 1; }
  printf '%-10s %9s %10s %10s %11s %8s %8s\n' "$1" "$total" "$first" "$all" "$bytes" "$rss" "$(vm VmHWM)"
  stop_server
}
measure streamed build/canopee --http1.1
measure gathered build/canopee --http1.0
[[ -n $BASELINE ]] && measure baseline "$BASELINE" --http1.1
cmp "$work/streamed.csv" "$work/gathered.csv" && echo "streamed and gathered: the same bytes"
[[ -n $BASELINE ]] && cmp "$work/streamed.csv" "$work/baseline.csv" && echo "streamed and baseline: the same bytes"
exit 0
