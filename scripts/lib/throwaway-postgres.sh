# Sourced by scripts/test: starts a PostgreSQL server of its own in a temporary
# directory on a free loopback port, exports CANOPEE_TEST_PG_URL, and stops and
# removes it when the calling shell exits (tests passed or not).
# initdb refuses to run as root: as root the server runs as the `postgres` user.

# Starts the server of data directory $1 (log $2) on a free loopback port, which it
# leaves in _THROWAWAY_PG_PORT.
# A free port: probe, then start; another test run starting at the same moment
# may take the port between the two, so a failed bind moves on to the next one
# (the last `port` line of the file is the one PostgreSQL reads).
# Below the kernel's ephemeral range (32768 and up by default): an outgoing
# connection of a test could otherwise take the port while a fault test has
# the server stopped, and the restart would fail to bind.
_throwaway_pg_start() {
  local data=$1 log=$2 low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  local port=$((20000 + RANDOM % 8000)) attempt
  if ((port + 20 >= low)); then port=$((low - 2000 + RANDOM % 1000)); fi
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    echo "port = $port" >>"$data/postgresql.conf"
    if "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
      _THROWAWAY_PG_PORT=$port
      return 0
    fi
    if [[ $attempt -eq 10 ]] || ! grep -q "could not bind\|could not create any TCP/IP sockets" "$log"; then
      cat "$log" >&2
      return 1
    fi
    port=$((port + 1))
  done
}

start_throwaway_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $bin ]]; then
    echo "throwaway-postgres: no PostgreSQL server binaries (run scripts/setup)" >&2
    return 1
  fi
  PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/canopee-pg.XXXXXX")
  PG_AS=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$PG_TMP"
    PG_AS=(runuser -u postgres --)
  fi
  PG_DATA=$PG_TMP/data
  PG_BIN=$bin
  trap stop_throwaway_postgres EXIT
  "${PG_AS[@]}" "$bin/initdb" -D "$PG_DATA" -U canopee --auth=trust -E UTF8 --no-locale >"$PG_TMP/initdb.log" 2>&1 ||
    { cat "$PG_TMP/initdb.log" >&2; return 1; }
  # In the configuration file rather than on the command line, so that a test can
  # stop and start the server again with a plain `pg_ctl start` (tests/faults).
  cat >>"$PG_DATA/postgresql.conf" <<EOF
unix_socket_directories = '$PG_TMP'
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
wal_level = replica
max_wal_senders = 4
EOF
  # A streaming standby of this server connects for replication (start_throwaway_standby).
  echo "host replication canopee 127.0.0.1/32 trust" >>"$PG_DATA/pg_hba.conf"
  _throwaway_pg_start "$PG_DATA" "$PG_TMP/server.log" || return 1
  local port=$_THROWAWAY_PG_PORT
  export PG_DATA PG_BIN PG_RUN_AS="${PG_AS[*]}"
  export CANOPEE_TEST_PG_URL="postgresql://canopee@127.0.0.1:$port/postgres"
  echo "throwaway-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# A streaming standby of the throwaway server (api.read_standby): a base backup
# with -R (standby.signal, primary_conninfo) started on a port of its own, in hot
# standby. Exports CANOPEE_TEST_STANDBY_URL (its `postgres` database; every
# database the tests create on the primary appears on it) and PG_STANDBY_DATA,
# with which a test may stop and start it. Stopped by stop_throwaway_standby, and
# by stop_throwaway_postgres (the EXIT trap) whatever happened.
start_throwaway_standby() {
  if [[ -z ${PG_DATA:-} || -z ${CANOPEE_TEST_PG_URL:-} ]]; then
    echo "throwaway-postgres: start_throwaway_postgres first" >&2
    return 1
  fi
  local primary_port=${CANOPEE_TEST_PG_URL##*:}
  primary_port=${primary_port%%/*}
  PG_STANDBY_DATA=$PG_TMP/standby
  "${PG_AS[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U canopee -D "$PG_STANDBY_DATA" \
    -R -X stream -c fast >"$PG_TMP/basebackup.log" 2>&1 || { cat "$PG_TMP/basebackup.log" >&2; return 1; }
  echo "hot_standby = on" >>"$PG_STANDBY_DATA/postgresql.conf"
  _throwaway_pg_start "$PG_STANDBY_DATA" "$PG_TMP/standby.log" || return 1
  export PG_STANDBY_DATA
  export CANOPEE_TEST_STANDBY_URL="postgresql://canopee@127.0.0.1:$_THROWAWAY_PG_PORT/postgres"
  echo "throwaway-postgres: streaming standby on 127.0.0.1:$_THROWAWAY_PG_PORT"
}

stop_throwaway_standby() {
  if [[ -n ${PG_STANDBY_DATA:-} && -d ${PG_STANDBY_DATA:-} ]]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_STANDBY_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  PG_STANDBY_DATA=
}

stop_throwaway_postgres() {
  stop_throwaway_standby
  if [[ -n ${PG_DATA:-} && -d ${PG_DATA:-} ]]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [[ -n ${PG_TMP:-} ]] && rm -rf "$PG_TMP"
  PG_DATA=
}
