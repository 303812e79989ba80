#!/usr/bin/env bash
# Packages an app can reference, checked end to end (.ci/run calls this after its build):
#  1. pack every package (and its symbols) into the local folder feed artifacts/packages, at a version unique to this run;
#  2. install the `securefed` tool from that feed and run `securefed --version`;
#  3. build samples/EmbedClient against the packages (not the projects), start the installed tool's aggregator, and
#     have three EmbedClient devices enrol with one-time tokens and contribute real values to one masking round.
# Usage (from the project root): samples/EmbedClient/run-against-aggregator.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# The version comes from one place (Directory.Build.props); the packages get a suffix unique to this run so that no
# package of the same version left in the NuGet cache by an earlier run can stand in for them.
prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
suffix="ci.$(date +%s)"
version="$prefix-$suffix"
feed="$(pwd)/artifacts/packages"
work=$(mktemp -d)
serve_pid=""
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# docs/embedding.md shows this program; the guide's code block must be the file as it is.
if ! diff <(awk '/^```csharp$/{n++; if (n == 1) {on=1; next}} on && /^```$/{exit} on' docs/embedding.md) samples/EmbedClient/Program.cs; then
  echo "docs/embedding.md's first csharp block differs from samples/EmbedClient/Program.cs" >&2; exit 1
fi

rm -rf "$feed"
dotnet pack SecureFed.sln -c Release --no-build -o "$feed" -p:VersionSuffix="$suffix" >/dev/null
echo "packed: $(cd "$feed" && ls | tr '\n' ' ')"

dotnet tool install SecureFed.Cli --tool-path "$work/tools" --add-source "$feed" --version "$version" >/dev/null
securefed="$work/tools/securefed"
reported=$("$securefed" --version)
echo "securefed --version: $reported"
# The tool was built before packing (--no-build), so it reports the version prefix and the commit.
case "$reported" in "$prefix"*) ;; *) echo "the installed tool reports '$reported', not $prefix" >&2; exit 1;; esac

dotnet build samples/EmbedClient -c Release -p:SecureFedVersion="$version" >/dev/null
embed() { dotnet samples/EmbedClient/bin/Release/net10.0/EmbedClient.dll "$@"; }
if grep -q "SecureFed.Client.csproj" samples/EmbedClient/obj/project.assets.json; then
  echo "EmbedClient resolved SecureFed.Client as a project, not the package" >&2; exit 1
fi

port=$(( 20000 + RANDOM % 20000 )); url="http://127.0.0.1:$port"
(cd "$work" && exec "$securefed" serve --urls "$url" --db agg.db >serve.log 2>&1) & serve_pid=$!
admin=(--server "$url" --admin-key-file "$work/securefed-admin.key")
for _ in $(seq 120); do [ -f "$work/securefed-admin.key" ] && "$securefed" serve admin token "${admin[@]}" --federation probe >/dev/null 2>&1 && break; sleep 0.5; done

field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
for i in 1 2 3; do
  token=$("$securefed" serve admin token "${admin[@]}" --federation embed | field token)
  embed "$url" "$work/device$i.key" "$token" - 3
done
round=$("$securefed" serve admin open "${admin[@]}" --federation embed --length 4 --deadline 60 | field roundId)
[ -n "$round" ] || { echo "no round opened" >&2; exit 1; }
pids=()
for i in 1 2 3; do embed "$url" "$work/device$i.key" - "$round" 3 0.5 -0.25 0.125 "0.$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
for _ in $(seq 60); do
  status=$("$securefed" serve admin status "${admin[@]}" --round "$round")
  echo "$status" | grep -q '"status":"\(completed\|aborted\)"' && break; sleep 0.5
done
echo "$status" | grep -q '"status":"completed"' || { echo "round did not complete: $status" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "EmbedClient: three devices contributed through the packages; round $round completed"
