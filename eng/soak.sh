#!/usr/bin/env bash
# The soak run of issue 20: starts a fresh standalone aggregator (its own process, SQLite in a temporary folder) and
# runs `securefed swarm soak` against it with the given options, then stops it. A benchmark, not a test.
# Usage: eng/soak.sh [swarm soak options]
#   eng/soak.sh --rounds 20 --clients 500 --length 10000 --json      (the issue's soak)
#   eng/soak.sh --rounds 3 --clients 10 --length 100 --json          (the CI smoke run)
# Builds src/SecureFed.Cli (Release) first when it is not built. SECUREFED_SOAK_BIN names another folder of built
# binaries (a copy, so that a rebuild in the worktree during a long soak does not replace the running service's files).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SECUREFED_SOAK_BIN:-$(pwd)/src/SecureFed.Cli/bin/Release/net10.0}"
[ -f "$bin/securefed.dll" ] || dotnet build src/SecureFed.Cli -c Release >&2
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
(cd "$dir" && exec dotnet "$bin/SecureFed.Aggregator.dll" --urls "$url" --Aggregator:DatabasePath="$dir/securefed.db" \
  --Logging:LogLevel:Default=Warning > "$dir/service.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  curl -fs "$url/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/service.log" >&2; echo "the aggregator exited" >&2; exit 1; }
  sleep 0.5
done
# --server-pid: after each round the soak induces a full GC in the service and reads its memory again (the leak check).
dotnet "$bin/securefed.dll" swarm soak --server "$url" --admin-key-file "$dir/securefed-admin.key" --server-pid "$pid" "$@"
