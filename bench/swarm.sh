#!/usr/bin/env bash
# Hosted-round benchmark (issue 14 part 5): a fresh `securefed serve` on loopback per run (so its VmHWM is that
# round's), one `securefed swarm --json`, then the in-process `simulate` of the same round in the same run.
#
#   bench/swarm.sh CLIENTS LENGTH DROPOUT [extra swarm options...]
#   bench/swarm.sh 1000 10000 0.1 --deadlines 120,120,8,120,120
#   bench/swarm.sh 200 200 0 --scheme he --decryptors 3          # HE (no simulate comparison)
#
# SIMULATE=0 skips the simulate comparison. SECUREFED_DLL: the built CLI (default: src/SecureFed.Cli/bin/Release/net10.0/securefed.dll, copied to a scratch
# folder so a rebuild cannot swap it under a running server). Prints one JSON line per command, and after the swarm the
# CPU seconds (user, system) of the server and of the swarm process: under load, compare those, not wall_s.
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
/usr/bin/time -f '{"swarm_cpu_s": %U, "swarm_sys_s": %S, "swarm_rss_mb": %M}' -o swarm.time \
  dotnet "$DLL" swarm --server "http://127.0.0.1:$PORT" --clients "$CLIENTS" --length "$LENGTH" --dropout "$DROPOUT" --json "$@" || true
# CPU seconds of both processes (utime + stime, clock ticks), the figure to compare under load; swarm_rss_mb is KiB/1024.
read -r -a STAT < <(sed 's/^.*) //' "/proc/$SERVER/stat")
TICKS=$(getconf CLK_TCK)
python3 -c 'import json,sys; t=json.loads(open("swarm.time").read().strip().splitlines()[-1]); u,s,k=(int(x) for x in sys.argv[1:4]); print(json.dumps({"server_cpu_s": round(u/k,2), "server_sys_s": round(s/k,2), "swarm_cpu_s": t["swarm_cpu_s"], "swarm_sys_s": t["swarm_sys_s"], "swarm_rss_mb": round(t["swarm_rss_mb"]/1024,1), "load": open("/proc/loadavg").read().split()[:3]}))' \
  "${STAT[11]}" "${STAT[12]}" "$TICKS" || true
if [[ " $* " != *" --scheme he "* && "${SIMULATE:-1}" != 0 ]]; then
  echo "== simulate $CLIENTS x $LENGTH, dropout $DROPOUT (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet "$DLL" simulate --clients "$CLIENTS" --length "$LENGTH" --dropout "$DROPOUT" --json \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r.get(k) for k in ("graph","threshold","survivors","sum_matches","wall_ms","peak_rss_mb")}))'
fi
