#!/usr/bin/env bash
# Starts a private PostgreSQL server for development and CI: its own data folder, socket folder and loopback port,
# run as the `postgres` user (initdb refuses root), no system service and no container.
#
#   eval "$(tools/postgres/start.sh)"     # exports SECUREFED_POSTGRES (an Npgsql connection string) and
#                                         # SECUREFED_POSTGRES_DIR (what tools/postgres/stop.sh takes)
#
# stdout carries only the export lines; progress goes to stderr. The password is random per server and appears
# only in the connection string: do not echo SECUREFED_POSTGRES into logs.
# Settings: PG_BIN (server tools; default /usr/lib/postgresql/15/bin), SECUREFED_POSTGRES_DATABASE (default securefed).
set -euo pipefail

pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
database="${SECUREFED_POSTGRES_DATABASE:-securefed}"
role=securefed

if [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "PostgreSQL 15 server tools not found in $pg_bin (Debian: apt-get install postgresql)" >&2
  exit 1
fi
id postgres >/dev/null 2>&1 || { echo "the 'postgres' user is missing (the Debian package creates it)" >&2; exit 1; }

# As root, initdb/pg_ctl run as `postgres`; as another user, they run as that user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A folder the server's user owns, outside any root-only tree (the repository may sit under a 0700 home).
root_dir="$(mktemp -d "${TMPDIR:-/tmp}/securefed-pg.XXXXXX")"
chmod 0700 "$root_dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root_dir"
mkdir_owned() { as_owner mkdir -m 0700 "$1"; }
mkdir_owned "$root_dir/data"
mkdir_owned "$root_dir/socket"

# A free loopback port, asked of the kernel (bind to port 0); the server binds it a moment later.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

password="$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)"
pwfile="$root_dir/pwfile"
( umask 077; printf '%s\n' "$password" > "$pwfile" )
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pwfile"

# Loopback TCP needs the password (scram); the socket folder is 0700, so only its owner (and root) reach it.
as_owner "$pg_bin/initdb" -D "$root_dir/data" -U "$role" --pwfile="$pwfile" --auth-host=scram-sha-256 \
  --auth-local=trust --encoding=UTF8 --locale=C.UTF-8 >"$root_dir/initdb.log" 2>&1 \
  || { cat "$root_dir/initdb.log" >&2; exit 1; }
rm -f "$pwfile"

cat >>"$root_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root_dir/socket'
max_connections = 300
shared_buffers = 64MB
timezone = 'UTC'
CONF

as_owner "$pg_bin/pg_ctl" -D "$root_dir/data" -l "$root_dir/server.log" -w -t 60 start >&2 \
  || { cat "$root_dir/server.log" >&2; exit 1; }
as_owner "$pg_bin/psql" -h "$root_dir/socket" -p "$port" -U "$role" -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE DATABASE \"$database\"" >&2

echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $root_dir" >&2
printf "export SECUREFED_POSTGRES_DIR='%s'\n" "$root_dir"
printf "export SECUREFED_POSTGRES='Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s'\n" "$port" "$database" "$role" "$password"
