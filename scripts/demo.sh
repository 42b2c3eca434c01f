#!/usr/bin/env bash
# The main job on the bundled worked county (友谊县): install and build, ingest every township's and
# department's catalog and 2025 ledger into one SQLite file, print the coverage summary, write the
# county report. A second run reuses the build and the database (re-ingesting changes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build >/dev/null
gkml=./build/gkml
county=examples/youyi
db=build/youyi.db
log=build/youyi-ingest.log

echo "== 1. Ingest 友谊县: the mid-year self-check, then the year-end catalogs and ledgers -> $db"
: > "$log"
ingest() {  # label, folders…: the tally on screen, every diagnostic in the log
  local label="$1"; shift
  "$gkml" ingest --db "$db" --units "$county/units.xml" --label "$label" "$@" 2>>"$log" || true
  echo "   $label: $(tail -n 1 "$log")"
}
ingest "2025年中自查" "$county/2025-06/catalogs" "$county/2025-06/ledgers"
ingest "2025年终" "$county/catalogs" "$county/ledgers"
echo "   (every file is validated first; warnings such as missing required channels are in $log)"
echo
echo "== 2. Coverage against the standard, worst first (gkml coverage --db $db --summary)"
"$gkml" coverage --db "$db" --summary
echo
echo "== 3. The county report (gkml report --db $db)"
"$gkml" report --db "$db" -o build/youyi-report.html 2>&1
echo
echo "Open $(pwd)/build/youyi-report.html in a browser: one self-contained page, printable on A4."
