#!/usr/bin/env bash
# The store on SQLite and on PostgreSQL, side by side, on the bench corpus (bench/gen_corpus.py):
# ingest, coverage (computed, then read back), size, and four ingest processes at once, each with a
# quarter of the units. One round each, interleaved; wall time and peak memory from /usr/bin/time.
# PostgreSQL is a throwaway cluster (scripts/postgresql.sh) with fsync on, on this machine's disk.
# Usage: bench/postgresql.sh [CORPUS_DIR] [GKML]   (defaults: /tmp/gkml-corpus, build/gkml)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-/tmp/gkml-corpus}" gkml="$(realpath "${2:-$here/build/gkml}")"
work=/tmp/gkml-bench-pg cluster=/tmp/gkml-pg-bench
std="$here/catalogs/standard"
rm -rf "$work"; mkdir -p "$work"
base=$(GKML_PG_FSYNC=on bash "$here/scripts/postgresql.sh" start "$cluster" 5497)
trap 'bash "$here/scripts/postgresql.sh" stop "$cluster"' EXIT
new_pg() { psql -qX "$base" -c "CREATE DATABASE $1" >/dev/null; bash "$here/scripts/postgresql.sh" url "$cluster" "$1"; }
timed() {  # label, command…: one line "label  wall s  peak MB"
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>>"$work/log" || [[ $? == 1 || $? == 2 ]]
  read -r wall kb <"$work/time"
  printf '%-44s %8.1f s %7d MB\n' "$label" "$wall" $((kb / 1024))
}
# Four quarters of the units, a unit's catalog and ledger in the same quarter.
for q in 0 1 2 3; do mkdir -p "$work/q$q"; done
i=0
for f in "$corpus"/catalogs/*.xml; do
  u=$(basename "$f" .xml); q=$((i % 4)); i=$((i + 1))
  ln -s "$f" "$work/q$q/catalog-$u.xml"
  for l in "$corpus"/ledgers/"$u"-*; do [[ -e "$l" ]] && ln -s "$l" "$work/q$q/ledger-$(basename "$l")"; done
done
pg=$(new_pg province)
echo "corpus: $corpus ($(ls "$corpus"/catalogs | wc -l) catalogs, $(ls "$corpus"/ledgers | wc -l) ledgers)"
timed "ingest, SQLite" "$gkml" ingest --db "$work/province.db" --units "$corpus/units.xml" --standard "$std" "$corpus/catalogs" "$corpus/ledgers"
timed "ingest, PostgreSQL" "$gkml" ingest --db "$pg" --units "$corpus/units.xml" --standard "$std" "$corpus/catalogs" "$corpus/ledgers"
timed "coverage --summary computed, SQLite" "$gkml" coverage --db "$work/province.db" --standard "$std" --summary
timed "coverage --summary computed, PostgreSQL" "$gkml" coverage --db "$pg" --standard "$std" --summary
timed "coverage --summary kept, SQLite" "$gkml" coverage --db "$work/province.db" --standard "$std" --summary
timed "coverage --summary kept, PostgreSQL" "$gkml" coverage --db "$pg" --standard "$std" --summary
timed "one township, SQLite" "$gkml" coverage --db "$work/province.db" --standard "$std" --unit 110101001000
timed "one township, PostgreSQL" "$gkml" coverage --db "$pg" --standard "$std" --unit 110101001000
"$gkml" coverage --db "$work/province.db" --standard "$std" --format json >"$work/sqlite.json" 2>/dev/null || true
"$gkml" coverage --db "$pg" --standard "$std" --format json >"$work/pg.json" 2>/dev/null || true
cmp -s "$work/sqlite.json" "$work/pg.json" && echo "figures JSON: identical ($(wc -c <"$work/pg.json") bytes)" || echo "figures JSON: DIFFER"
echo "size: SQLite $(( $(du -bc "$work"/province.db* | tail -1 | cut -f1) / 1048576 )) MB, PostgreSQL $(( $(psql -qXtA "$pg" -c "SELECT pg_database_size('province')") / 1048576 )) MB"
rm -f "$work"/province.db*

four() {  # db…: four ingest processes at once, one quarter each
  local start=$(date +%s.%N) pids=()
  for q in 0 1 2 3; do "$gkml" ingest --db "$1" --units "$corpus/units.xml" --standard "$std" "$work/q$q" >/dev/null 2>>"$work/log" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || [[ $? == 2 ]] || echo "an ingest failed (see $work/log)"; done
  echo "$(date +%s.%N) - $start" | bc
}
pg4=$(new_pg four)
printf '%-44s %8.1f s\n' "4 ingest processes at once, SQLite" "$(four "$work/four.db")"
printf '%-44s %8.1f s\n' "4 ingest processes at once, PostgreSQL" "$(four "$pg4")"
"$gkml" coverage --db "$pg4" --standard "$std" --format json 2>/dev/null | cmp -s - "$work/sqlite.json" \
  && echo "figures after 4 writers: identical to the serial run" || echo "figures after 4 writers: DIFFER"
