#!/usr/bin/env bash
# A private PostgreSQL cluster for MiniTower on its own port (default 55432), never the system one.
# Usage: deploy/local/pg.sh start|stop|status|psql [args]
set -euo pipefail
source "$(dirname "$0")/env.sh"

PG_DIR="$MTW_HOME/pg"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"

ensure_installed() {
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    log "PostgreSQL binaries missing: installing with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    # The package may start and enable the system cluster on 5432; we leave it as it is.
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
}

# The server and client tools do not need the role password of the stack.
as_pg() { (cd / && runuser -u postgres -- env -u MTW_DB_PASSWORD "$@"); }

running() { [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; }

start() {
  ensure_installed
  if running; then log "postgres already running on port $MTW_PG_PORT ($PG_DIR)"; return 0; fi
  mkdir -p "$MTW_HOME"
  chmod 755 "$MTW_HOME"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chown postgres:postgres "$PG_DIR"
    chmod 755 "$PG_DIR"
    printf '%s\n' "postgres-local" > "$PG_DIR/pwfile"
    chown postgres "$PG_DIR/pwfile"
    as_pg "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" -A scram-sha-256 \
      --auth-local=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  local extra=""
  if [ "$MTW_PG_FAST" = "1" ]; then extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  # Extra server settings, e.g. MTW_PG_OPTS="-c shared_preload_libraries=pg_stat_statements" to see
  # where the database's time goes (docs/performance.md).
  extra="$extra ${MTW_PG_OPTS:-}"
  as_pg "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $MTW_PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c idle_in_transaction_session_timeout=60s $extra" \
    start >/dev/null || { tail -n 20 "$PG_DIR/server.log" >&2; die "postgres failed to start"; }
  psql_super -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$MTW_DB_USER'" | grep -q 1 \
    || psql_super -qc "CREATE ROLE $MTW_DB_USER LOGIN PASSWORD '$MTW_DB_PASSWORD' CREATEDB"
  psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$MTW_DB_NAME'" | grep -q 1 \
    || psql_super -qc "CREATE DATABASE $MTW_DB_NAME OWNER $MTW_DB_USER"
  log "postgres ready on 127.0.0.1:$MTW_PG_PORT (database $MTW_DB_NAME, data $PG_DIR)"
}

psql_super() { as_pg "$PGBIN/psql" -h "$PG_DIR" -p "$MTW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

stop() {
  [ -n "$PGBIN" ] || return 0
  if running; then
    as_pg "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
    log "postgres stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "postgres: running on $MTW_PG_PORT"; else echo "postgres: stopped"; exit 3; fi ;;
  psql) shift; as_pg "$PGBIN/psql" -h "$PG_DIR" -p "$MTW_PG_PORT" -U postgres -d "$MTW_DB_NAME" "$@" ;;
  *) echo "usage: $0 start|stop|status|psql" >&2; exit 2 ;;
esac
