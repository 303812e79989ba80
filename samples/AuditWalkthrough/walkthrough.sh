#!/usr/bin/env bash
# The auditor's walkthrough with the `securefed` CLI (README.md explains each step). Small by default so CI can run it:
#   samples/AuditWalkthrough/walkthrough.sh [OUT_DIR]
# Needs a built CLI (dotnet build src/SecureFed.Cli -c Release); the render check needs chromium (skipped with a note
# when RENDER_CHECK=0).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/samples/AuditWalkthrough/out}"
mkdir -p "$out"
securefed() { dotnet "$root/src/SecureFed.Cli/bin/Release/net10.0/securefed.dll" "$@"; }

echo "== 1. a sample round: 20 clients, 10% drop before sending masked input, distributed DP, transcript and key file"
securefed simulate --clients 20 --length 1000 --dropout 0.1 --seed 7 --dp-epsilon 2 \
  --transcript "$out/round.transcript" --keys "$out/round.keys.json"

echo "== 2. verify as an outside auditor: the transcript alone"
securefed audit verify "$out/round.transcript"

echo "== 3. verify with the auditor's key file: masks, sums and uniformity from the clients' secrets"
securefed audit verify "$out/round.transcript" --keys "$out/round.keys.json"

echo "== 4. the report"
securefed audit report "$out/round.transcript" --keys "$out/round.keys.json" --out "$out/report.html"

echo "== 5. flip one bit in the middle of the transcript: verification must fail (exit code 1)"
cp "$out/round.transcript" "$out/tampered.transcript"
size=$(stat -c %s "$out/tampered.transcript")
offset=$((size / 2))
byte=$(od -An -tu1 -j "$offset" -N1 "$out/tampered.transcript" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$out/tampered.transcript" bs=1 seek="$offset" conv=notrunc status=none
if securefed audit verify "$out/tampered.transcript" > "$out/tampered.txt"; then
  echo "tampering at byte $offset was NOT detected" >&2
  exit 1
fi
grep FAIL "$out/tampered.txt" | head -n 5
echo "tampering at byte $offset detected"

if [ "${RENDER_CHECK:-1}" = "1" ]; then
  echo "== 6. render the report in headless Chromium"
  "$root/samples/AuditWalkthrough/render-check.sh" "$out/report.html" "$out/report.png"
else
  echo "== 6. render check skipped (RENDER_CHECK=0)"
fi
echo "walkthrough OK: outputs in $out"
