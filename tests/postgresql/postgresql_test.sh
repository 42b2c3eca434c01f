#!/usr/bin/env bash
# The store on PostgreSQL, through the real gkml program, against the throwaway cluster the ctest
# fixture started (scripts/postgresql.sh): the worked county's figures byte-identical to SQLite's,
# gkml migrate both ways, and writers at once (different units, the same units) equal to a serial run.
# Usage: postgresql_test.sh GKML CLUSTER_DIR WORK_DIR
set -euo pipefail
gkml="$1" cluster="$2" work="$3"
here="$(cd "$(dirname "$0")/../.." && pwd)"
county="$here/examples/youyi"
pg="$here/scripts/postgresql.sh"
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
new_db() {  # a new database on the cluster; prints its URL
  local name="gkml_cli_test_$$_$(date +%s%N)"
  psql -qX "$(bash "$pg" url "$cluster")" -c "CREATE DATABASE $name" >/dev/null
  bash "$pg" url "$cluster" "$name"
}
ingest_county() {  # db: the mid-year self-check, then the year end, as scripts/demo.sh does
  "$gkml" ingest --db "$1" --units "$county/units.xml" --label 2025年中自查 "$county/2025-06/catalogs" "$county/2025-06/ledgers" 2>>"$work/ingest.log" || [[ $? == 2 ]]
  "$gkml" ingest --db "$1" --units "$county/units.xml" --label 2025年终 "$county/catalogs" "$county/ledgers" 2>>"$work/ingest.log" || [[ $? == 2 ]]
}
figures() {  # db, out: everything a user reads from a store, times of ingest left out
  "$gkml" coverage --db "$1" --format json >"$2.coverage.json"
  "$gkml" coverage --db "$1" --summary >"$2.summary.txt"
  "$gkml" history --db "$1" --format json | sed -E 's/"(taken|at)": "[0-9T:-]+Z"/"\1": ""/g' >"$2.history.json"
}
same() { for part in coverage.json summary.txt history.json; do cmp "$1.$part" "$2.$part" || fail "$3: $part differs"; done; }

echo "== the worked county on SQLite and on PostgreSQL"
ingest_county "$work/youyi.db"
figures "$work/youyi.db" "$work/sqlite"
url=$(new_db)
ingest_county "$url"
figures "$url" "$work/pg"
same "$work/sqlite" "$work/pg" "SQLite and PostgreSQL"
[[ $(wc -c <"$work/pg.coverage.json") -gt 10000 ]] || fail "the figures are empty"
# Again: nothing changes on re-ingest, and the kept coverage reads back the same.
ingest_county "$url"
tail -n 1 "$work/ingest.log" | grep -q "新增 0 份" || fail "re-ingest added snapshots: $(tail -n 1 "$work/ingest.log")"
figures "$url" "$work/pg-again"
same "$work/sqlite" "$work/pg-again" "PostgreSQL re-read"
"$gkml" report --db "$url" -o "$work/pg-report.html" 2>/dev/null
grep -q "建设乡" "$work/pg-report.html" || fail "the report from PostgreSQL names no unit"

echo "== gkml migrate: the county's file into a shared store, and back"
moved=$(new_db)
"$gkml" migrate --from "$work/youyi.db" --to "$moved"
figures "$moved" "$work/moved"
same "$work/sqlite" "$work/moved" "migrated to PostgreSQL"
set +e; "$gkml" migrate --from "$work/youyi.db" --to "$moved" 2>"$work/refused.txt"; rc=$?; set -e
[[ $rc == 4 ]] && grep -q "空库" "$work/refused.txt" || fail "a second migrate into a full store: exit $rc"
"$gkml" migrate --from "$moved" --to "$work/back.db"
figures "$work/back.db" "$work/back"
same "$work/sqlite" "$work/back" "migrated back to SQLite"

echo "== a server that is not there: exit 4, said in Chinese, the password never shown"
set +e; "$gkml" coverage --db 'postgresql://gkml:s3cret@127.0.0.1:1/nodb' --summary 2>"$work/unreachable.txt"; rc=$?; set -e
[[ $rc == 4 ]] && grep -q "连不上 PostgreSQL" "$work/unreachable.txt" && ! grep -q s3cret "$work/unreachable.txt" \
  || fail "an unreachable server: exit $rc, $(cat "$work/unreachable.txt")"

echo "== four writers at once: each its own units, then all of them the same units"
split="$work/split"
for w in 1 2 3 4; do mkdir -p "$split/$w"; done
i=0
for f in "$county"/catalogs/*.xml "$county"/ledgers/*; do
  w=$((i % 4 + 1)); i=$((i + 1)); cp "$f" "$split/$w/"
done
apart=$(new_db)
"$gkml" ingest --db "$apart" --units "$county/units.xml" --label 2025年中自查 "$county/2025-06/catalogs" "$county/2025-06/ledgers" 2>/dev/null || true
pids=()
for w in 1 2 3 4; do "$gkml" ingest --db "$apart" --units "$county/units.xml" --label 2025年终 "$split/$w" 2>>"$work/apart.log" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || [[ $? == 2 ]] || fail "a concurrent ingest failed: $(tail -n 3 "$work/apart.log")"; done
"$gkml" coverage --db "$apart" --format json | cmp - "$work/sqlite.coverage.json" || fail "writers on their own units: figures differ from the serial run"

together=$(new_db)
pids=()
for w in 1 2 3 4; do (ingest_county "$together") 2>>"$work/together.log" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent ingest of the same units failed: $(tail -n 3 "$work/together.log")"; done
"$gkml" coverage --db "$together" --format json | cmp - "$work/sqlite.coverage.json" || fail "writers on the same units: figures differ"
snapshots=$(psql -qXtA "$together" -c "SELECT count(*) FROM snapshots")
[[ $snapshots == 72 ]] || fail "four writers of the same 72 files left $snapshots snapshots"
echo "ok: identical figures, migrate both ways, $snapshots snapshots from four writers"
