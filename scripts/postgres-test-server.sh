#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests, on loopback, in a folder of its own.
#
#   eval "$(bash scripts/postgres-test-server.sh)"   # start (or reuse), sets TEST_DATABASE_URL
#   bash scripts/postgres-test-server.sh stop          # stop it and remove its folder
#
# stdout carries only the shell lines to eval; progress goes to stderr. Works as root on a clean
# Debian machine (installs Debian's `postgresql` when initdb/pg_ctl are missing) and as an
# ordinary user who already has the binaries. Running it again while the server is up reuses it.
set -euo pipefail

# One fixed folder, so a second run finds the server the first one started and `stop` finds it.
STATE_DIR="${TAIZHANG_PG_DIR:-/tmp/taizhang-postgres-test}"
DATA_DIR="$STATE_DIR/data"
PORT_FILE="$STATE_DIR/port"
LOG_FILE="$STATE_DIR/server.log"
# Seconds pg_ctl waits for the server to accept connections.
START_TIMEOUT=60
# The server refuses to run as root; as root we run it as this account (the package creates it).
SERVER_USER=postgres

say() { printf '%s\n' "$*" >&2; }
fail() { say "postgres-test-server: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Runs a command as the account that owns the server's files.
as_server_user() {
  if is_root; then
    runuser -u "$SERVER_USER" -- "$@"
  else
    "$@"
  fi
}

# Debian keeps the server binaries out of PATH, one folder per major version; take the newest.
find_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  return 1
}

install_postgres() {
  is_root || fail "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
  say "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
}

ensure_server_user() {
  is_root || return 0
  if ! id -u "$SERVER_USER" >/dev/null 2>&1; then
    useradd --system --home-dir "$STATE_DIR" --shell /usr/sbin/nologin "$SERVER_USER"
  fi
}

is_running() {
  [ -f "$DATA_DIR/postmaster.pid" ] && [ -f "$PORT_FILE" ] &&
    as_server_user "$BIN_DIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

# A port nobody listens on: the kernel picks one for a socket we open and close at once.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

print_env() {
  local port
  port="$(cat "$PORT_FILE")"
  echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
  echo "# stop it with: bash $0 stop"
}

stop_server() {
  if [ -d "$DATA_DIR" ] && BIN_DIR="$(find_bin_dir)"; then
    if [ -f "$DATA_DIR/postmaster.pid" ]; then
      as_server_user "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -m fast -w stop >&2 || true
    fi
  fi
  rm -rf "$STATE_DIR"
  say "stopped; removed $STATE_DIR"
}

start_server() {
  BIN_DIR="$(find_bin_dir)" || { install_postgres; BIN_DIR="$(find_bin_dir)" || fail "initdb/pg_ctl still missing after installing postgresql"; }
  ensure_server_user

  if is_running; then
    say "reusing the server already running in $STATE_DIR"
    print_env
    return 0
  fi

  # Whatever is left (a crashed run, a half-made folder) is throwaway: start clean.
  if [ -f "$DATA_DIR/postmaster.pid" ]; then
    as_server_user "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR"
  if is_root; then chown "$SERVER_USER" "$STATE_DIR"; fi
  chmod 700 "$STATE_DIR"

  say "initialising a database cluster in $DATA_DIR ($("$BIN_DIR/postgres" --version))"
  # Trust on loopback only: initdb's pg_hba allows local sockets and 127.0.0.1/::1, nothing else.
  as_server_user "$BIN_DIR/initdb" -D "$DATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >"$STATE_DIR/initdb.log" 2>&1 ||
    { cat "$STATE_DIR/initdb.log" >&2; fail "initdb failed"; }

  local port
  port="$(free_port)"
  echo "$port" >"$PORT_FILE"
  # Sockets in our own folder: /var/run/postgresql may not exist or belong to someone else.
  # fsync off: a test server's data is thrown away, and the tests create many databases.
  as_server_user "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t "$START_TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR -c fsync=off" start >&2 ||
    { cat "$LOG_FILE" >&2 || true; fail "the server did not start"; }

  if [ -x "$BIN_DIR/pg_isready" ]; then
    as_server_user "$BIN_DIR/pg_isready" -h 127.0.0.1 -p "$port" -t "$START_TIMEOUT" >&2 || fail "the server does not answer on 127.0.0.1:$port"
  fi
  say "PostgreSQL is up on 127.0.0.1:$port"
  print_env
}

case "${1:-start}" in
  start) start_server ;;
  stop) stop_server ;;
  *) fail "usage: $0 [start|stop]" ;;
esac
