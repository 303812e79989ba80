#!/usr/bin/env bash
# Coverage-guided fuzzing of one decoder with AFL++ through SharpFuzz (issue 20).
#   fuzz/run.sh TARGET SECONDS      run afl-fuzz on TARGET for SECONDS; exit 1 when it found a crash or hang
#   fuzz/run.sh all SECONDS         every target in turn, SECONDS each
#   fuzz/run.sh list                the targets
#   FUZZ_EXECS=N fuzz/run.sh TARGET SECONDS
#                                   stop after about N executions (afl-fuzz -E), or after SECONDS, whichever is first
# Needs afl-fuzz (Debian: afl++) and the .NET SDK; installs SharpFuzz.CommandLine 2.3.0 into fuzz/.tools.
# Leaves fuzz/work/TARGET/{in,out} and prints one line per target: executions, execs/s, coverage, crashes, hangs.
# A crash input is copied to fuzz/work/crashes/TARGET/; check it in under fuzz/regressions/TARGET/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
root=$(pwd)
out="$root/fuzz/out"
tools="$root/fuzz/.tools"
work="$root/fuzz/work"

# Publishes and instruments afresh each time (stale instrumented copies would fuzz old code); FUZZ_REUSE_BUILD=1
# reuses the last one when only running again.
build() {
  if [ "${FUZZ_REUSE_BUILD:-0}" != 1 ] || [ ! -f "$out/.instrumented" ]; then
    rm -rf "$out"
    dotnet publish tests/SecureFed.Fuzz -c Release -o "$out" >/dev/null
    [ -x "$tools/sharpfuzz" ] || dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
    # Coverage comes from our assemblies and the MessagePack parser under them; the runtime is not instrumented.
    for dll in "$out"/SecureFed.*.dll "$out"/MessagePack.dll; do
      case "$(basename "$dll")" in SecureFed.Fuzz.dll) continue ;; esac
      "$tools/sharpfuzz" "$dll" >/dev/null
    done
    touch "$out/.instrumented"
  fi
}

fuzz_one() {
  local target=$1 seconds=$2 dir="$work/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  dotnet "$out/SecureFed.Fuzz.dll" seeds "$target" "$dir/in" >/dev/null || { echo "$target: seed generation failed" >&2; return 2; }
  # -t 1000: an input over 1 s is a hang (the pass rule); -m none: .NET reserves far more address space than it uses.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
  AFL_SKIP_CRASHES=0 AFL_FAST_CAL=1 \
    afl-fuzz -i "$dir/in" -o "$dir/out" -t 1000 -m none -V "$seconds" ${FUZZ_EXECS:+-E "$FUZZ_EXECS"} -- dotnet "$out/SecureFed.Fuzz.dll" run "$target" \
    > "$dir/afl.log" 2>&1 || { echo "$target: afl-fuzz failed; see $dir/afl.log" >&2; tail -n 20 "$dir/afl.log" >&2; return 2; }
  local stats="$dir/out/default/fuzzer_stats"
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  local crashes hangs
  crashes=$(get saved_crashes); hangs=$(get saved_hangs)
  printf '%s\texecs %s\texecs/s %s\tcoverage %s\tedges %s\tcorpus %s\tcrashes %s\thangs %s\truntime %ss\n' \
    "$target" "$(get execs_done)" "$(get execs_per_sec)" "$(get bitmap_cvg)" "$(get edges_found)" "$(get corpus_count)" "$crashes" "$hangs" "$(get run_time)"
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
    mkdir -p "$work/crashes/$target"
    cp "$dir"/out/default/crashes/id* "$dir"/out/default/hangs/id* "$work/crashes/$target/" 2>/dev/null || true
    return 1
  fi
}

[ $# -ge 1 ] || { echo "usage: fuzz/run.sh TARGET|all SECONDS | fuzz/run.sh list" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found (Debian: apt-get install afl++)" >&2; exit 2; }
build
if [ "$1" = list ]; then
  dotnet "$out/SecureFed.Fuzz.dll" list
  exit 0
fi
[ $# -eq 2 ] || { echo "usage: fuzz/run.sh TARGET|all SECONDS" >&2; exit 2; }
status=0
if [ "$1" = all ]; then
  for t in $(dotnet "$out/SecureFed.Fuzz.dll" list | cut -f1); do
    fuzz_one "$t" "$2" || status=1
  done
else
  fuzz_one "$1" "$2" || status=$?
fi
exit $status
