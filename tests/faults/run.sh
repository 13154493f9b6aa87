#!/usr/bin/env bash
# Runs one fault test (a Python script beside this file) against a PostgreSQL of
# its own, which the test may stop and start: scripts/lib/throwaway-postgres.sh
# exports PG_DATA, PG_BIN and PG_RUN_AS for that. The server is removed at exit.
# Usage: tests/faults/run.sh TEST.py   (CANOPEE_BIN names the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib/throwaway-postgres.sh"
start_throwaway_postgres >/dev/null
PYTHONPATH="$here:$here/../faults" python3 "$@"
