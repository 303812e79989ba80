#!/usr/bin/env bash
# Hosted-round benchmark (issue 14 part 5): a fresh `securefed serve` on loopback per run (so its VmHWM is that
# round's), one `securefed swarm --json`, then the in-process `simulate` of the same round in the same run.
#
#   bench/swarm.sh CLIENTS LENGTH DROPOUT [extra swarm options...]
#   bench/swarm.sh 1000 10000 0.1 --deadlines 120,120,8,120,120
#   bench/swarm.sh 200 200 0 --scheme he --decryptors 3          # HE (no simulate comparison)
#
# SECUREFED_DLL: the built CLI (default: src/SecureFed.Cli/bin/Release/net10.0/securefed.dll, copied to a scratch
# folder so a rebuild cannot swap it under a running server). Prints one JSON line per command.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=$1 LENGTH=$2 DROPOUT=$3
shift 3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/securefed-swarm.XXXXXX")
cp -r "$(dirname "${SECUREFED_DLL:-$ROOT/src/SecureFed.Cli/bin/Release/net10.0/securefed.dll}")" "$WORK/bin"
DLL=$WORK/bin/securefed.dll
PORT=${PORT:-$((20000 + RANDOM % 20000))}
cd "$WORK"
dotnet "$DLL" serve --urls "http://127.0.0.1:$PORT" > serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q "listening on" serve.log 2>/dev/null && break; sleep 0.2; done
echo "== swarm $CLIENTS x $LENGTH, dropout $DROPOUT $* (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$DLL" swarm --server "http://127.0.0.1:$PORT" --clients "$CLIENTS" --length "$LENGTH" --dropout "$DROPOUT" --json "$@" || true
if [[ " $* " != *" --scheme he "* ]]; then
  echo "== simulate $CLIENTS x $LENGTH, dropout $DROPOUT (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet "$DLL" simulate --clients "$CLIENTS" --length "$LENGTH" --dropout "$DROPOUT" --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r.get(k) for k in ("graph","threshold","survivors","sum_matches","wall_ms","peak_rss_mb")}))'
fi
