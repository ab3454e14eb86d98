#!/usr/bin/env bash
# PostgreSQL for Herald: scripts/postgres.sh start|stop|status
#
# The contract other scripts rely on (scripts/test.sh, scripts/cluster.sh): after `start`, a server accepts
# connections on 127.0.0.1:5432, with a role `herald` (password `herald`, CREATEDB) owning a database `herald`.
#
# `start` installs Debian's postgresql package when it is missing, creates a cluster for the port if there is none,
# starts it listening on 127.0.0.1 only, and ensures the role and database. It is idempotent: a server that already
# answers is left running as it is (never restarted), and the role and database are only (re)asserted. Managing
# packages and clusters needs root.
#
# HERALD_PG_PORT and HERALD_PG_CLUSTER (defaults 5432 and main) exist only to try this script beside a server that
# already owns 5432; everything else assumes the defaults.
set -euo pipefail

port="${HERALD_PG_PORT:-5432}"
wanted_cluster="${HERALD_PG_CLUSTER:-main}"
host=127.0.0.1
role=herald
password=herald
database=herald

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

installed() {
  command -v pg_lsclusters >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

require_root() {
  [ "$(id -u)" = 0 ] || die "must run as root to $1"
}

installed_now=0

install_if_missing() {
  installed && return 0
  require_root "install the postgresql package"
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
  installed || die "the postgresql package installed no server"
  installed_now=1
}

# The newest installed server version, e.g. 15.
server_version() {
  local dir
  for dir in /usr/lib/postgresql/*/bin/postgres; do
    basename "$(dirname "$(dirname "$dir")")"
  done | sort -V | tail -1
}

# "VERSION NAME" of the cluster configured on $port, empty if none.
cluster_on_port() {
  pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2; exit }'
}

cluster_exists() { # VERSION NAME
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v n="$2" '$1 == v && $2 == n { found = 1 } END { exit !found }'
}

cluster_running() { # VERSION NAME
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v n="$2" '$1 == v && $2 == n && $4 ~ /^online/ { found = 1 } END { exit !found }'
}

accepting() {
  pg_isready -q -h "$host" -p "$port"
}

wait_until_accepting() {
  local deadline=$((SECONDS + 60))
  until accepting; do
    [ "$SECONDS" -lt "$deadline" ] || die "no server accepted connections on $host:$port within 60 s"
    sleep 0.2
  done
}

as_postgres() {
  # The superuser over the local socket (peer authentication), so no password is needed to set things up.
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"
}

ensure_role_and_database() {
  as_postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  ELSE
    ALTER ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END
\$\$;
SQL
  if [ -z "$(as_postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    # CREATE DATABASE cannot run inside DO; a concurrent start may win the race, which is fine.
    as_postgres -c "CREATE DATABASE $database OWNER $role" \
      || [ -n "$(as_postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]
  fi
}

check_login() {
  PGPASSWORD="$password" psql -X -q -h "$host" -p "$port" -U "$role" -d "$database" -Atc 'SELECT 1' >/dev/null 2>&1
}

# Our settings go in a file of our own, read after postgresql.conf, so the cluster's own file is never edited.
listen_on_loopback_only() { # VERSION NAME
  local conf_dir="/etc/postgresql/$1/$2"
  mkdir -p "$conf_dir/conf.d"
  grep -q "^[[:space:]]*include_dir[[:space:]]*=[[:space:]]*'conf.d'" "$conf_dir/postgresql.conf" \
    || echo "include_dir = 'conf.d'" >>"$conf_dir/postgresql.conf"
  printf "# Written by Herald's scripts/postgres.sh\nlisten_addresses = '%s'\n" "$host" >"$conf_dir/conf.d/herald.conf"
  chown -R postgres:postgres "$conf_dir/conf.d"
}

start() {
  install_if_missing
  # A cluster the package just made may have been started listening on every loopback address: ours to reconfigure.
  if [ "$installed_now" = 1 ] || ! accepting; then
    require_root "create or start a cluster"
    local version name
    read -r version name <<<"$(cluster_on_port)" || true
    if [ -z "${version:-}" ]; then
      version="$(server_version)"
      name="$wanted_cluster"
      # A cluster of that name on another port is someone else's: make our own beside it.
      cluster_exists "$version" "$name" && name="herald"
      log "creating cluster $version/$name on port $port"
      # C.UTF-8 always exists on Debian; the caller's locale might not be generated.
      pg_createcluster --locale C.UTF-8 -p "$port" "$version" "$name" >/dev/null
    fi
    listen_on_loopback_only "$version" "$name"
    if cluster_running "$version" "$name"; then
      # Running, but started before our settings (or not answering on $host:$port): they need a restart.
      log "restarting cluster $version/$name to listen on $host:$port only"
      pg_ctlcluster "$version" "$name" restart
    else
      log "starting cluster $version/$name on $host:$port"
      pg_ctlcluster "$version" "$name" start
    fi
    wait_until_accepting
  fi
  require_root "create the herald role and database"
  ensure_role_and_database
  check_login || die "the server on $host:$port is up but $role/$password cannot log in to $database"
  log "ready: postgresql://$role@$host:$port/$database"
}

stop() {
  installed || { log "not installed"; return 0; }
  local version name
  read -r version name <<<"$(cluster_on_port)" || true
  if [ -z "${version:-}" ] || ! cluster_running "$version" "$name"; then
    log "no cluster running on port $port"
    return 0
  fi
  require_root "stop a cluster"
  pg_ctlcluster "$version" "$name" stop
  log "stopped cluster $version/$name"
}

status() {
  if ! installed; then
    echo "postgresql: not installed"
    return 3
  fi
  if accepting && check_login; then
    echo "postgresql: ready on $host:$port (database $database, user $role)"
    return 0
  fi
  if accepting; then
    echo "postgresql: accepting on $host:$port, but $role cannot log in to $database (run: $0 start)"
  else
    echo "postgresql: not accepting connections on $host:$port"
  fi
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
