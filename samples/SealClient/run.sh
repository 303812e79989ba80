#!/usr/bin/env bash
# A hosted HE round where one device encrypts with Microsoft SEAL (node-seal) instead of SecureFed:
#  1. start a local aggregator (`securefed serve`), enrol three devices;
#  2. open an HE round SEAL can take part in (--lanes 1 --bodies 1: one value per coefficient, one secret);
#  3. devices 1 and 2 are the decryptors and upload their own vectors; device 3 runs `securefed client
#     --seal-encryptor`, which hands the round's key (SEAL PublicKey) to encrypt.js and uploads node-seal's ciphertexts;
#  4. the decryptors decrypt the sum collectively; the script checks it against the plain sum.
# Usage (from the project root, after `dotnet build SecureFed.sln -c Release` and `(cd tools/seal-interop && npm ci)`):
#   samples/SealClient/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
securefed=(dotnet "$(pwd)/src/SecureFed.Cli/bin/Release/net10.0/securefed.dll")
node=tools/seal-interop/node_modules/.bin/node
[ -x "$node" ] || { echo "install node-seal first: (cd tools/seal-interop && npm ci)" >&2; exit 1; }
work=$(mktemp -d); serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 )); url="http://127.0.0.1:$port"
(cd "$work" && exec "${securefed[@]}" serve --urls "$url" --db agg.db >serve.log 2>&1) & serve_pid=$!
admin=(--server "$url" --admin-key-file "$work/securefed-admin.key")
for _ in $(seq 120); do [ -f "$work/securefed-admin.key" ] && "${securefed[@]}" serve admin token "${admin[@]}" --federation probe >/dev/null 2>&1 && break; sleep 0.5; done
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }

for i in 1 2 3; do
  token=$("${securefed[@]}" serve admin token "${admin[@]}" --federation seal | field token)
  "${securefed[@]}" client --key "$work/device$i.key" --server "$url" --enrol-token "$token" >/dev/null
done
round=$("${securefed[@]}" serve admin open "${admin[@]}" --federation seal --scheme he --decryptors 1,2 --threshold 2 \
  --length 6 --input-range 1000 --lanes 1 --bodies 1 --deadline 120 | field roundId)
[ -n "$round" ] || { echo "no round opened" >&2; exit 1; }

printf '1 2 3 4 5 6\n' > "$work/v1.txt"; printf '10 20 30 40 50 60\n' > "$work/v2.txt"; printf '100 200 300 400 500 600\n' > "$work/v3.txt"
pids=()
for i in 1 2; do "${securefed[@]}" client --key "$work/device$i.key" --server "$url" --round "$round" --input "$work/v$i.txt" >"$work/c$i.json" 2>/dev/null & pids+=($!); done
"${securefed[@]}" client --key "$work/device3.key" --server "$url" --round "$round" \
  --seal-encryptor "$node samples/SealClient/encrypt.js $work/v3.txt" >"$work/c3.json" & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || { cat "$work"/c*.json >&2; cat "$work/serve.log" >&2; exit 1; }; done
cat "$work/c3.json"
status=$("${securefed[@]}" serve admin status "${admin[@]}" --round "$round")
echo "$status" | grep -q '"status":"completed"' || { echo "round did not complete: $status" >&2; exit 1; }
grep -q '"seal":true' "$work/c3.json" && grep -q '"completed":true' "$work/c3.json" || { echo "the SEAL device did not complete" >&2; exit 1; }
echo "$status" | grep -q '111,222,333,444,555,666' || { echo "the sum is not 111..666: $status" >&2; exit 1; }
echo "SealClient: a node-seal device's update was summed and decrypted collectively in round $round"
