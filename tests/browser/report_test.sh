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
# One npm ci for the browser tests that ctest runs side by side.
(cd "$here" && flock .npm-lock sh -c '[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error')

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

# Printed on A4 (chromium's print to PDF): a cover, the summary, the heat map, the trend, then a page
# per unit at most; every unit's name whole on one line of the heat map; page numbers.
"$gkml" report --db "$work/county.db" --issuer "友谊县政务公开办" -o "$work/print.html" 2>/dev/null
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
  --print-to-pdf="$artifacts/report.pdf" "file://$work/print.html" >/dev/null 2>&1
command -v pdfinfo >/dev/null || { echo "poppler-utils is not installed: bash scripts/test.sh installs it"; exit 1; }
units_count=$(wc -l < "$work/units.txt")
pages=$(pdfinfo "$artifacts/report.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -le $((units_count + 4)) ] || { echo "FAILED: the report prints to $pages pages, more than $units_count units + 4"; exit 1; }
heat_page=""
for p in $(seq 1 "$pages"); do
  pdftotext -f "$p" -l "$p" "$artifacts/report.pdf" "$work/page.txt"
  if [ -z "$heat_page" ] && grep -q '^领域热力图' "$work/page.txt"; then heat_page=$p; fi
done
[ -n "$heat_page" ] || { echo "FAILED: no page starts the heat map"; exit 1; }
pdftotext -layout -f "$heat_page" -l "$heat_page" "$artifacts/report.pdf" "$work/heat.txt"
while IFS=$'\t' read -r code name; do
  grep -q "^ *$name " "$work/heat.txt" || { echo "FAILED: $name ($code) is not whole on a line of the printed heat map"; exit 1; }
done < "$work/units.txt"
pdftotext "$artifacts/report.pdf" "$work/all.txt"  # to a file: grep -q would cut a pipe short (pipefail)
grep -q "第 1 页，共 $pages 页" "$work/all.txt" || { echo "FAILED: no page numbers"; exit 1; }
pdftotext -f 1 -l 1 "$artifacts/report.pdf" "$work/cover.txt"
grep -q '友谊县政务公开办' "$work/cover.txt" || { echo "FAILED: the cover lacks the issuing office"; exit 1; }
pdftoppm -f 1 -l 5 -r 60 -png "$artifacts/report.pdf" "$artifacts/printed"  # the first printed pages, as images
echo "printed report: $pages pages for $units_count units ($artifacts/report.pdf, $artifacts/printed-*.png)"

# The 整改通知 of one township, as the office prints it: a screenshot and the A4 PDF kept.
"$gkml" rectify --db "$work/county.db" --unit 230522203000 --issuer "友谊县政务公开办" -o "$work/notice.html" 2>/dev/null
cp "$work/notice.html" "$artifacts/notice.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --window-size=1400,1000 \
  --screenshot="$artifacts/notice.png" "file://$work/notice.html" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
  --print-to-pdf="$artifacts/notice.pdf" "file://$work/notice.html" >/dev/null 2>&1
[ -s "$artifacts/notice.png" ] || { echo "FAILED: no screenshot of the 整改通知"; exit 1; }
[ -s "$artifacts/notice.pdf" ] || { echo "FAILED: the 整改通知 did not print"; exit 1; }
grep -q '/Type /Page' "$artifacts/notice.pdf" || { echo "FAILED: the printed 整改通知 has no page"; exit 1; }
echo "整改通知: $artifacts/notice.png, $artifacts/notice.pdf"
