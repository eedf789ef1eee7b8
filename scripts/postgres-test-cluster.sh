#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests. Usage:
#   scripts/postgres-test-cluster.sh start   # prints the URL of the database tandem_test
#   scripts/postgres-test-cluster.sh url     # prints it again (fails when no cluster runs)
#   scripts/postgres-test-cluster.sh stop    # stops the cluster and deletes its folder
#
#   export TANDEM_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start)
#
# `start` installs Debian's postgresql-15 when it is missing, then creates a cluster in a new
# temporary folder (initdb --data-checksums) owned by an unprivileged user (postgres, else
# nobody) when run as root. The server listens on 127.0.0.1 only (the first free port from
# $TANDEM_PG_PORT, default 25432: below Linux's ephemeral ports, 32768-60999, which an outgoing
# connection may hold while nobody listens there) and on a unix socket inside that folder; TCP
# logins need the random password in the URL. The state lives in $TANDEM_PG_ENV (default
# build/postgres-test.env, mode 600), so `start` and `stop` are idempotent and safe to repeat.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state_file=${TANDEM_PG_ENV:-$root/build/postgres-test.env}
pg_bin=/usr/lib/postgresql/15/bin
first_port=${TANDEM_PG_PORT:-25432}
db_user=tandem
db_name=tandem_test

log() { echo "postgres-test-cluster: $*" >&2; }

run_user() {
  if ((EUID != 0)); then
    id -un
  elif id -u postgres >/dev/null 2>&1; then
    echo postgres
  else
    echo nobody
  fi
}

# Runs a command as the cluster's owner, from a folder that user can enter.
as_owner() {
  local owner=$1
  shift
  # fd 9 holds this script's lock: the server must not inherit it.
  if ((EUID == 0)); then
    (cd / && runuser -u "$owner" -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

ensure_installed() {
  [[ -x $pg_bin/initdb && -x $pg_bin/pg_ctl ]] && return 0
  if ((EUID != 0)); then
    log "PostgreSQL 15 is not installed and installing it needs root: apt-get install postgresql-15"
    exit 1
  fi
  log "installing postgresql-15"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for ((port = first_port; port < first_port + 200; ++port)); do
    if port_is_free "$port"; then
      echo "$port"
      return 0
    fi
  done
  log "no free port in $first_port..$((first_port + 199))"
  exit 1
}

# Loads TANDEM_PG_DIR, TANDEM_PG_OWNER, TANDEM_PG_PORT and TANDEM_TEST_POSTGRES_URL.
load_state() {
  [[ -f $state_file ]] || return 1
  # shellcheck disable=SC1090
  source "$state_file"
  [[ -n ${TANDEM_PG_DIR:-} && -d $TANDEM_PG_DIR/data ]]
}

is_running() {
  as_owner "$TANDEM_PG_OWNER" "$pg_bin/pg_ctl" -D "$TANDEM_PG_DIR/data" status >/dev/null 2>&1
}

start_server() {
  as_owner "$TANDEM_PG_OWNER" "$pg_bin/pg_ctl" -D "$TANDEM_PG_DIR/data" \
    -l "$TANDEM_PG_DIR/server.log" -w -t 60 start >&2
}

create_cluster() {
  local owner dir port password
  owner=$(run_user)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-pg.XXXXXX")
  mkdir -p "$dir/socket"
  # Letters and digits only: the password goes into a URL unescaped.
  password=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true)
  (umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
  chmod 700 "$dir"
  ((EUID == 0)) && chown -R "$owner" "$dir"

  log "creating a cluster in $dir (owner $owner)"
  as_owner "$owner" "$pg_bin/initdb" -D "$dir/data" --data-checksums --no-locale -E UTF8 \
    -U "$db_user" --pwfile="$dir/pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$dir/pwfile"

  port=$(free_port)
  cat >>"$dir/data/postgresql.conf" <<EOF

# Tandem test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
max_connections = 200
shared_buffers = 32MB
fsync = on
synchronous_commit = on
# After a crash, sync the data directory with one syncfs() instead of an fsync() per file: as
# durable, and a restart takes 0.4 s instead of 2.5 s (the crash tests restart 200 times).
recovery_init_sync_method = syncfs
EOF

  TANDEM_PG_DIR=$dir
  TANDEM_PG_OWNER=$owner
  TANDEM_PG_PORT=$port
  TANDEM_TEST_POSTGRES_URL="postgresql://$db_user:$password@127.0.0.1:$port/$db_name"
  start_server
  as_owner "$owner" "$pg_bin/psql" -X -q -h "$dir/socket" -p "$port" -U "$db_user" -d postgres \
    -c "CREATE DATABASE $db_name" >&2

  mkdir -p "$(dirname "$state_file")"
  (
    umask 077
    {
      printf 'TANDEM_PG_DIR=%q\n' "$TANDEM_PG_DIR"
      printf 'TANDEM_PG_OWNER=%q\n' "$TANDEM_PG_OWNER"
      printf 'TANDEM_PG_PORT=%q\n' "$TANDEM_PG_PORT"
      printf 'TANDEM_TEST_POSTGRES_URL=%q\n' "$TANDEM_TEST_POSTGRES_URL"
    } >"$state_file.tmp"
    mv "$state_file.tmp" "$state_file"
    printf '%s\n' "$TANDEM_TEST_POSTGRES_URL" >"$dir/url"
  )
  log "running on 127.0.0.1:$port (log: $dir/server.log)"
}

cmd_start() {
  if load_state; then
    if ! is_running; then
      log "restarting the cluster in $TANDEM_PG_DIR"
      start_server
    fi
  else
    rm -f "$state_file"
    ensure_installed
    create_cluster
  fi
  printf '%s\n' "$TANDEM_TEST_POSTGRES_URL"
}

cmd_url() {
  if load_state && is_running; then
    printf '%s\n' "$TANDEM_TEST_POSTGRES_URL"
  else
    log "no test cluster is running; start one with: $0 start"
    exit 1
  fi
}

cmd_stop() {
  if load_state; then
    if is_running; then
      as_owner "$TANDEM_PG_OWNER" "$pg_bin/pg_ctl" -D "$TANDEM_PG_DIR/data" -m fast -w stop >&2
    fi
    case $TANDEM_PG_DIR in
      */tandem-pg.*) rm -rf "$TANDEM_PG_DIR" ;;
      *) log "not deleting unexpected folder $TANDEM_PG_DIR" ;;
    esac
    log "stopped and removed $TANDEM_PG_DIR"
  else
    log "no test cluster to stop"
  fi
  rm -f "$state_file"
}

case ${1:-} in
  start | stop | url) ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
mkdir -p "$(dirname "$state_file")"
# One caller at a time: two concurrent `start`s share one cluster.
exec 9>"$state_file.lock"
flock 9
"cmd_$1"
