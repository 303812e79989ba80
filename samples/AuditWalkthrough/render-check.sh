#!/usr/bin/env bash
# Checks that an audit report renders in headless Chromium (Debian package: chromium): the page loads, every embedded
# PNG decodes (the page's own script counts them into data-images-decoded="ok/total"), and a screenshot is written.
# usage: render-check.sh REPORT.html [SCREENSHOT.png]
set -euo pipefail
report="$(realpath "$1")"
shot="${2:-${report%.html}.png}"
command -v chromium >/dev/null || { echo "render-check: needs headless Chromium (apt-get install -y chromium)" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile")
decoded="$(chromium "${flags[@]}" --dump-dom "file://$report" 2>/dev/null | grep -o 'data-images-decoded="[0-9]*/[0-9]*"' || true)"
[ -n "$decoded" ] || { echo "render-check: the page did not load or its script did not run" >&2; exit 1; }
counts="${decoded#*\"}"; counts="${counts%\"}"
[ "${counts%/*}" = "${counts#*/}" ] && [ "${counts%/*}" -gt 0 ] || { echo "render-check: only $counts images decoded" >&2; exit 1; }
chromium "${flags[@]}" --window-size=1000,4200 --screenshot="$shot" "file://$report" >/dev/null 2>&1
[ -s "$shot" ] || { echo "render-check: no screenshot" >&2; exit 1; }
echo "render-check: $report rendered, $counts images decoded, screenshot $shot"
