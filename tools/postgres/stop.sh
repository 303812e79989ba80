#!/usr/bin/env bash
# Stops a server started by tools/postgres/start.sh and removes its folder.
#   tools/postgres/stop.sh [DIR]     (DIR defaults to $SECUREFED_POSTGRES_DIR)
set -euo pipefail
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
dir="${1:-${SECUREFED_POSTGRES_DIR:-}}"
[ -n "$dir" ] || { echo "usage: stop.sh DIR (or set SECUREFED_POSTGRES_DIR)" >&2; exit 2; }
case "$dir" in */securefed-pg.*) ;; *) echo "refusing to remove $dir: not a folder start.sh made" >&2; exit 2;; esac
[ -d "$dir" ] || exit 0
if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
  else
    "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
  fi
fi
rm -rf "$dir"
