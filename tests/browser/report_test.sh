#!/usr/bin/env bash
# The county report in a real browser: ingest the worked county, write the report, open it in
# Debian's chromium (headless, offline) and check what an officer would see. Keeps a screenshot in
# build/test-artifacts/. Usage: report_test.sh GKML_BINARY ARTIFACT_DIR
set -euo pipefail
gkml="$1"
artifacts="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

command -v chromium >/dev/null || { echo "chromium is not installed: bash scripts/test.sh installs it"; exit 1; }
command -v node >/dev/null || { echo "node is not installed"; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$gkml" ingest --db "$work/county.db" --units "$root/examples/youyi/units.xml" \
  "$root/examples/youyi/catalogs" "$root/examples/youyi/ledgers" >/dev/null 2>&1 || [ $? -eq 2 ]
"$gkml" report --db "$work/county.db" -o "$work/report.html"
python3 - "$root/examples/youyi/units.xml" > "$work/units.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
for u in ET.parse(sys.argv[1]).getroot():
    if u.get("level") == "township" or u.get("type") == "department":
        print(f"{u.get('code')}\t{u.get('name')}")
PY
fields=$(grep -c '<field code=' "$root/catalogs/fields.xml")
cp "$work/report.html" "$artifacts/report.html"
node "$here/report.mjs" "$work/report.html" "$work/units.txt" "$fields" "$artifacts/report.png"
