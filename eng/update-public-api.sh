#!/usr/bin/env bash
# Rewrites a project's PublicAPI.Shipped.txt from what the code declares today (Microsoft.CodeAnalysis.PublicApiAnalyzers).
# Run it after an intended public API change (or after a merge that changed the API), then review the diff: every
# added or removed line is a change an app referencing the package sees.
# Usage (from the project root): eng/update-public-api.sh src/SecureFed.Client
set -euo pipefail
project=${1:?usage: eng/update-public-api.sh src/PROJECT}
dir=$(cd "$project" && pwd)
printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
# With both files empty, every public symbol is reported as RS0016 with its declaration in the file's own format.
{ dotnet build "$dir" -c Release --no-dependencies -p:TreatWarningsAsErrors=false 2>&1 || true; } \
  | sed -n "s/.*warning RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" \
  | sort -u >> "$dir/PublicAPI.Shipped.txt"
echo "$(( $(wc -l < "$dir/PublicAPI.Shipped.txt") - 1 )) public symbols in $dir/PublicAPI.Shipped.txt"
