#!/usr/bin/env bash
# api.read_standby: the API suite's `read_standby` tests against a PostgreSQL server
# and a streaming standby of it, both of their own (a test pauses the standby's
# replay and stops it), removed at exit whatever happened.
# Usage: tests/api/read_standby.sh path/to/canopee_api_tests [doctest options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../scripts/lib/throwaway-postgres.sh"
start_throwaway_postgres >/dev/null
start_throwaway_standby >/dev/null
tests=$1
shift
CANOPEE_TEST_BACKEND=postgresql "$tests" --no-skip --test-suite=read_standby "$@"
