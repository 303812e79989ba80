#!/usr/bin/env bash
# SecureFed HE backend vs Microsoft SEAL 4.1 compiled to WebAssembly (npm node-seal 7.0.0), one run, same machine.
#
#   bench/he-vs-seal.sh            full: 30 reps, pipeline 10 clients x 1,000,000 values (several minutes)
#   bench/he-vs-seal.sh --quick    8 reps, pipeline 10 clients x 100,000 values
#
# It copies ../shared/tools/sealpeer to a scratch folder outside the repository (SEALPEER_DIR, default
# $TMPDIR/securefed-sealpeer), installs it once (npm; it pins the npm package node@22 because node-seal needs
# Node >= 22), runs SEAL's benchmark, then `securefed bench he --compare results.json`, which prints our figures and
# the ratios SEAL-time / our-time (">1" = we are faster). Both sides are single-threaded.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEER_SRC=${SEALPEER_SRC:-$ROOT/../shared/tools/sealpeer}
PEER=${SEALPEER_DIR:-${TMPDIR:-/tmp}/securefed-sealpeer}
QUICK=0
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; shift; fi

mkdir -p "$PEER"
cp "$PEER_SRC/bench.js" "$PEER_SRC/package.json" "$PEER/"
if [[ ! -d "$PEER/node_modules/node-seal" ]]; then
  (cd "$PEER" && npm install --no-audit --no-fund)
fi

echo "== Microsoft SEAL 4.1 (node-seal 7.0.0, WebAssembly) =="
if [[ $QUICK == 1 ]]; then (cd "$PEER" && npm run --silent quick); else (cd "$PEER" && npm run --silent bench); fi

echo
echo "== SecureFed (securefed bench he) =="
if ! BUILD_LOG=$(dotnet build "$ROOT/src/SecureFed.Cli" -c Release -v quiet -nologo 2>&1); then
  echo "$BUILD_LOG" | grep -E 'error|Error' >&2
  echo "he-vs-seal.sh: building the CLI failed (SEAL results kept in $PEER/results.json)" >&2
  exit 1
fi
ARGS=(bench he --compare "$PEER/results.json")
if [[ $QUICK == 1 ]]; then ARGS+=(--quick); fi
dotnet "$ROOT/src/SecureFed.Cli/bin/Release/net10.0/securefed.dll" "${ARGS[@]}" "$@" 2> >(grep -v 'encrypted client' >&2)
