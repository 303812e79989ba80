#!/usr/bin/env bash
# A real cluster run: three `securefed serve --cluster` silo processes on loopback against the PostgreSQL in
# SECUREFED_POSTGRES, `swarm` with its devices spread over the three HTTP front ends, the silo that holds the round
# killed with SIGKILL in the middle of the round, and the exact sum checked (swarm's exit code and sum_matches).
#
#   eval "$(tools/postgres/start.sh)"; tools/cluster/run-3-silos.sh        # CLIENTS=200 LENGTH=1000 by default
#   eval "$(tools/postgres/start.sh)"; tools/cluster/run-3-silos.sh --serve  # only start the silos; Ctrl+C stops them
#
# Settings: SECUREFED_CLI (default: the Release build of src/SecureFed.Cli), CLIENTS, LENGTH, SCHEME (masking|he), DEADLINE (s),
# KILL (1: kill the round's silo with SIGKILL; 0: no kill), SILO_TIERED_PGO (1: the silos run with dynamic PGO; default 0),
# SILO_READY_TO_RUN (1: the silos run a ReadyToRun publish of the CLI, precompiled by crossgen2, published into
# src/SecureFed.Cli/bin/ReadyToRun when missing or older than the Release build; composite: a self-contained composite
# ReadyToRun publish of the framework and the CLI, into bin/ReadyToRunComposite; swarm keeps the Release build),
# SILO_SPIN_LIMIT (the silos' thread-pool spin limit; default 0: no spinning), KILL_AFTER_STAGE (the kill comes once this stage closed on the
# round's silo: 0..3 for masking, 0..2 for HE; default 1), SHARDS (shard grains per masking round; default:
# one per silo), OUTAGE (seconds to stop PostgreSQL once stage 2
# closed: needs SECUREFED_POSTGRES_DIR from tools/postgres/start.sh; default 0), SILOS (default 3), KEEP (1: keep the
# work folder), DP_EPSILON (a distributed-DP float round of this target epsilon, either scheme, `swarm --dp-epsilon`:
# the check becomes the noisy average within the noise of the true one and the privacy ledger in PostgreSQL holding
# exactly one charge for the round, equal to the epsilon its status reports; default: an integer round, exact sum).
# Exit code: 0 when the round completed with the exact sum (DP: as above), 1 otherwise; the silos' logs are in the work folder.
# Reported on stderr: each silo's CPU seconds during the round and their max/mean (the goal is 1.2: the work divides),
# and the bytes the silos sent each other (TCP payload on the silo-to-silo connections, both directions, from the
# kernel's per-socket counters; connections that closed during the round, e.g. a killed silo's, are not counted).
set -euo pipefail
serve_only=0
[ "${1:-}" = "--serve" ] && serve_only=1

: "${SECUREFED_POSTGRES:?start PostgreSQL first: eval \"\$(tools/postgres/start.sh)\"}"
root=$(cd "$(dirname "$0")/../.." && pwd)
cli=${SECUREFED_CLI:-$root/src/SecureFed.Cli/bin/Release/net10.0/securefed}
clients=${CLIENTS:-200}
length=${LENGTH:-1000}
scheme=${SCHEME:-masking}
kill_silo=${KILL:-1}
kill_after=${KILL_AFTER_STAGE:-1}
silos=${SILOS:-3}
outage=${OUTAGE:-0}
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
as_pg_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# The last stage's close ends the round: a kill after it would test nothing.
last_kill=3; [ "$scheme" = he ] && last_kill=2
if ! [[ "$kill_after" =~ ^[0-9]+$ ]] || [ "$kill_after" -gt "$last_kill" ]; then
  echo "KILL_AFTER_STAGE must be 0..$last_kill for SCHEME=$scheme (got '$kill_after')" >&2; exit 2
fi
[ -x "$cli" ] || { echo "no CLI at $cli: dotnet build src/SecureFed.Cli -c Release" >&2; exit 1; }
silo_cli=$cli
r2r=${SILO_READY_TO_RUN:-0}
case "$r2r" in
  0) ;;
  1|composite)
  # 1: framework-dependent like the Release build, with every assembly's methods compiled ahead of time (crossgen2 from
  # the Microsoft.NETCore.App.Crossgen2.linux-x64 pack the SDK restores): the silos start without JIT-compiling
  # Orleans, ASP.NET Core and the engine; with tiered compilation on, hot methods are still recompiled at tier 1.
  # Each assembly is its own version bubble, so generic code of the framework instantiated over another assembly's
  # types (every async method's AsyncTaskMethodBuilder<T>.Start<TStateMachine>, Dictionary<TKey, TValue> of our keys,
  # Npgsql's type mappings) is still JIT-compiled in each silo during its first round: about 2,600 methods per silo.
  # composite: self-contained, the framework and the app compiled into one composite image (one version bubble), so
  # those instantiations are precompiled too (docs/scale.md, "Where the 3-silo CPU went"); a longer publish, once.
  if [ "$r2r" = composite ]; then
    r2r_dir=$root/src/SecureFed.Cli/bin/ReadyToRunComposite
    publish_args=(--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true)
  else
    r2r_dir=$root/src/SecureFed.Cli/bin/ReadyToRun
    publish_args=(--self-contained false -p:PublishReadyToRun=true)
  fi
  if [ ! -x "$r2r_dir/securefed" ] || [ "$cli.dll" -nt "$r2r_dir/securefed.dll" ]; then
    echo "publishing the silo as ReadyToRun ($r2r) into $r2r_dir" >&2
    dotnet publish "$root/src/SecureFed.Cli" -c Release -r linux-x64 "${publish_args[@]}" \
      -o "$r2r_dir" > "${TMPDIR:-/tmp}/securefed-r2r-publish.log" 2>&1 \
      || { echo "ReadyToRun publish failed: ${TMPDIR:-/tmp}/securefed-r2r-publish.log" >&2; exit 1; }
  fi
  silo_cli=$r2r_dir/securefed
  # With tiering on the hot precompiled methods are still recompiled at tier 1; SILO_TIERED_COMPILATION=0 with this
  # spends the least silo CPU per round (docs/scale.md, "ReadyToRun silos").
  ;;
  *) echo "SILO_READY_TO_RUN must be 0, 1 or composite (got '$r2r')" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/securefed-cluster.XXXXXX)
cluster_id="run-$(date +%s)-$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# 3 free loopback ports per silo (silo, gateway, HTTP).
read -r -a ports <<< "$(python3 - "$silos" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(3 * int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
)"

# CPU seconds (user + system) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo "-"; }
# The part of it spent by the runtime's tiered-compilation thread (re-JIT of hot methods: a silo's first round pays it).
jit_s() {
  local t
  for t in /proc/"$1"/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = ".NET Tiered Com" ]; then
      awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz}' "$t/stat" 2>/dev/null && return
    fi
  done
  echo 0
}

start_silo() {
  local i=$1
  local silo_port=${ports[$((3 * i))]} gateway_port=${ports[$((3 * i + 1))]} http_port=${ports[$((3 * i + 2))]}
  # Tiered compilation on for the silos: the CLI turns it off for compute runs, which makes a silo start (Orleans and
  # ASP.NET Core, JIT-compiled fully optimised) take a minute on a loaded 2-core machine. Without dynamic PGO: its
  # instrumented tier compiles each hot method once more during a silo's first round (1,000 x 10,000 on 3 silos: re-JIT
  # 14.3 s of 29.6 s silo CPU with it, 7.2 s of 22.7 s without; docs/scale.md). SILO_TIERED_PGO=1 keeps it.
# SILO_TIERED_COMPILATION=0 runs the silos as `serve --cluster` runs by hand (the CLI's default: no tiering, no
# re-JIT; quiet machine, 3 silos x 1,000 x 10,000: silos up in 14.8 s instead of 12.5 s, round 19.1 s instead of 20.8 s).
  # Thread-pool workers that find no work block at once instead of spinning first (the runtime's default spins up to
  # 70 rounds, then sched_yield): three silos and swarm share two cores, and the spinning took about 8 % of the
  # silos' CPU during a round (perf, docs/scale.md "Where the 3-silo CPU went"); SILO_SPIN_LIMIT=70 restores it.
  # No configuration reload: the silo's content root is the work folder its log is written to, and the file watcher
  # woke on every log line (about 3 % of its CPU).
  ( cd "$work" && DOTNET_TieredCompilation="${SILO_TIERED_COMPILATION:-1}" DOTNET_TieredPGO="${SILO_TIERED_PGO:-0}" \
      DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="${SILO_SPIN_LIMIT:-0}" DOTNET_hostBuilder__reloadConfigOnChange=false \
      Logging__LogLevel__Default=Warning Logging__LogLevel__SecureFed=Information \
      exec "$silo_cli" serve --cluster --cluster-id "$cluster_id" --silo-port "$silo_port" --gateway-port "$gateway_port" \
      --http-port "$http_port" --admin-key-file "$work/admin.key" ${SHARDS:+--shards "$SHARDS"} > "$work/silo$i.log" 2>&1 ) &
  pids[i]=$!
  urls[i]="http://127.0.0.1:$http_port"
}

wait_healthy() {
  local i=$1
  for _ in $(seq 1 240); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "${urls[$i]}/healthz" > /dev/null 2>&1; then return 0; fi
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then echo "silo $i exited:" >&2; tail -20 "$work/silo$i.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "silo $i did not become healthy" >&2; tail -20 "$work/silo$i.log" >&2; return 1
}

started=$(date +%s.%N)
# The first silo migrates the schema and writes the admin key the others read; then the others join.
start_silo 0
wait_healthy 0
for ((i = 1; i < silos; i++)); do start_silo "$i"; done
for ((i = 1; i < silos; i++)); do wait_healthy "$i"; done
echo "$silos silos up in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s: ${urls[*]} (cluster $cluster_id)" >&2

also=$(IFS=,; echo "${urls[*]:1}")
if [ "$serve_only" = 1 ]; then
  KEEP=1
  echo "admin key: $work/admin.key; silo logs: $work/silo*.log" >&2
  echo "try: securefed swarm --server ${urls[0]} --also-server $also --admin-key-file $work/admin.key --clients 100" >&2
  echo "Ctrl+C stops the silos" >&2
  wait
  exit 0
fi
swarm_args=(swarm --server "${urls[0]}" --clients "$clients" --length "$length" --scheme "$scheme" --admin-key-file "$work/admin.key" --json --deadline "${DEADLINE:-120}")
[ -n "$also" ] && swarm_args+=(--also-server "$also")
[ -n "${DP_EPSILON:-}" ] && swarm_args+=(--dp-epsilon "$DP_EPSILON")
# Bytes sent so far on established TCP connections whose either end is a silo-to-silo port (each connection is seen
# from both ends on loopback, so the sum of bytes_sent counts both directions once).
silo_ports=""
for ((i = 0; i < silos; i++)); do silo_ports+="${ports[$((3 * i))]} "; done
silo_bytes() {
  ss -tinH state established 2>/dev/null | awk -v ports="$silo_ports" '
    BEGIN { n = split(ports, p, " "); for (i = 1; i <= n; i++) want[p[i]] = 1 }
    /^[0-9]/ { split($3, l, ":"); split($4, r, ":"); keep = (l[2] in want) || (r[2] in want); next }
    keep && match($0, /bytes_sent:[0-9]+/) { sum += substr($0, RSTART + 11, RLENGTH - 11); keep = 0 }
    END { printf "%d", sum }'
}
bytes_before=$(silo_bytes)
for ((i = 0; i < silos; i++)); do cpu_before[i]=$(cpu_s "${pids[$i]}"); jit_before[i]=$(jit_s "${pids[$i]}"); done
"$cli" "${swarm_args[@]}" > "$work/swarm.json" 2> "$work/swarm.err" &
swarm_pid=$!

killed=""
if [ "$kill_silo" = 1 ] && [ "$silos" -gt 1 ]; then
  # The silo whose log shows the round's stage N closing holds the round's grain: kill it while stage N+1 runs.
  # Watched as long as swarm runs (its DEADLINE bounds it): a later stage may close minutes in on a loaded machine.
  while true; do
    host=$(grep -lE "stage H?$kill_after closed" "$work"/silo*.log 2>/dev/null | head -1 || true)
    if [ -n "$host" ]; then
      i=${host##*silo}; i=${i%.log}
      kill -9 "${pids[$i]}"
      killed="silo $i (pid ${pids[$i]}, ${urls[$i]})"
      echo "killed $killed with SIGKILL after stage $kill_after closed on it" >&2
      break
    fi
    if ! kill -0 "$swarm_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
fi

stopped=""
if [ "$outage" != 0 ]; then
  : "${SECUREFED_POSTGRES_DIR:?OUTAGE needs SECUREFED_POSTGRES_DIR (tools/postgres/start.sh)}"
  for _ in $(seq 1 1200); do
    if grep -qE "stage H?2 closed" "$work"/silo*.log 2>/dev/null; then
      as_pg_owner "$pg_bin/pg_ctl" -D "$SECUREFED_POSTGRES_DIR/data" -m fast -w -t 60 stop > /dev/null
      echo "PostgreSQL stopped for $outage s after stage 2 closed" >&2
      sleep "$outage"
      as_pg_owner "$pg_bin/pg_ctl" -D "$SECUREFED_POSTGRES_DIR/data" -l "$SECUREFED_POSTGRES_DIR/server.log" -w -t 60 start > /dev/null
      stopped="PostgreSQL stopped for $outage s"
      break
    fi
    if ! kill -0 "$swarm_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
fi

status=0
wait "$swarm_pid" || status=$?
bytes_after=$(silo_bytes)
# CPU each silo spent during the round (after its start); a killed silo has none to report.
cpu_line=""
cpu_values=""
for ((i = 0; i < silos; i++)); do
  after=$(cpu_s "${pids[$i]}")
  if [ "$after" = "-" ]; then cpu_line+=" silo$i=killed"; else
    used=$(echo "$after - ${cpu_before[$i]}" | bc)
    jit=$(echo "$(jit_s "${pids[$i]}") - ${jit_before[$i]}" | bc)
    cpu_line+=" silo$i=${used}s (re-JIT ${jit}s)"
    cpu_values+="$used "
  fi
done
balance=$(echo "$cpu_values" | awk '{ for (i = 1; i <= NF; i++) { s += $i; if ($i > m) m = $i } } END { if (NF && s > 0) printf "%.2f", m / (s / NF); else print "-" }')
echo "silo CPU during the round:$cpu_line; max/mean $balance; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "bytes between silos during the round: $((bytes_after - bytes_before)) (TCP payload, both directions)" >&2
if [ "$outage" != 0 ] && [ -z "$stopped" ]; then
  echo "the round ended before PostgreSQL could be stopped" >&2
  status=1
fi
cat "$work/swarm.json"
if [ "$kill_silo" = 1 ] && [ -z "$killed" ]; then
  echo "the round ended before a silo could be killed" >&2
  status=1
fi
ledger_failed=0
if [ -n "${DP_EPSILON:-}" ]; then
  # swarm's exit code covers it too; said here so a failure names the ledger.
  echo "DP: round epsilon $(grep -oE '"dp_round_epsilon": *[^,]*' "$work/swarm.json" | cut -d: -f2), ledger charges for the round $(grep -oE '"ledger_charges": *[^,]*' "$work/swarm.json" | cut -d: -f2)" >&2
  grep -q '"ledger_matches": *true' "$work/swarm.json" || ledger_failed=1
fi
if [ "$status" != 0 ] || [ "$ledger_failed" = 1 ] || ! grep -q '"sum_matches": *true' "$work/swarm.json"; then
  echo "FAILED: swarm exit $status; see the logs in $work" >&2
  tail -5 "$work/swarm.err" >&2 || true
  KEEP=1
  exit 1
fi
what="exact sum"; [ -n "${DP_EPSILON:-}" ] && what="DP average within the noise, one ledger charge equal to the round's epsilon"
echo "OK: $what over $silos silos${killed:+ with $killed killed mid-round}${stopped:+, $stopped}" >&2
# 503 answers the front ends gave while a silo or the database could not answer (nothing acknowledged was lost).
echo "503 answers logged by the silos: $(grep -c "did not answer" "$work"/silo*.log | awk -F: '{s += $2} END {print s + 0}')" >&2
