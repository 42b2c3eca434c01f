#!/usr/bin/env bash
# gkml serve end to end: the worked county in a store (without 建设乡's catalog), three accounts made
# with gkml users, the real server on a free loopback port, driven by Debian's chromium (serve.mjs).
# Screenshots into ARTIFACT_DIR. Usage: serve_test.sh GKML_BINARY ARTIFACT_DIR
set -euo pipefail
gkml="$1"
artifacts="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$artifacts"

command -v chromium >/dev/null || { echo "chromium is not installed: bash scripts/test.sh installs it"; exit 1; }
command -v node >/dev/null || { echo "node is not installed"; exit 1; }
# One npm ci for the browser tests that ctest runs side by side.
(cd "$here" && flock .npm-lock sh -c '[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error')

own=230522203000
mkdir "$work/catalogs"
cp "$root"/examples/youyi/catalogs/*.xml "$work/catalogs/"
rm "$work/catalogs/$own.xml"
"$gkml" ingest --db "$work/county.db" --units "$root/examples/youyi/units.xml" \
  "$work/catalogs" "$root/examples/youyi/ledgers" >/dev/null 2>&1 || [ $? -eq 2 ]

# Accounts: the password on standard input (never on the command line).
echo "jianshe-2026-gongkai" | "$gkml" users add jianshe --db "$work/county.db" --role township --unit "$own"
echo "jixian-2026-gongkai" | "$gkml" users add jixian --db "$work/county.db" --role township --unit 230522204000
echo "youyi-county-2026" | "$gkml" users add youyi --db "$work/county.db" --role county --unit 230522
if echo "short" | "$gkml" users add weak --db "$work/county.db" --role admin 2>"$work/weak.txt"; then
  echo "FAILED: a password of 5 characters was accepted"; exit 1
fi
grep -q '10' "$work/weak.txt" || { echo "FAILED: the refusal does not say how long a password must be"; cat "$work/weak.txt"; exit 1; }
"$gkml" users list --db "$work/county.db" > "$work/accounts.txt"
[ "$(wc -l < "$work/accounts.txt")" -eq 3 ] || { echo "FAILED: users list shows $(wc -l < "$work/accounts.txt") accounts, not 3"; exit 1; }
if grep -q 'gongkai\|\$argon' "$work/accounts.txt"; then echo "FAILED: users list shows a password or its hash"; exit 1; fi

# The clerk's workbook as gkml exports it, and a copy with a cell broken the way a clerk breaks it.
"$gkml" export "$root/examples/youyi/catalogs/$own.xml" -o "$work/fixed.xlsx"
/usr/bin/python3 "$root/tests/fixtures/break_workbook.py" "$work/fixed.xlsx" "$work/broken.xlsx"
if "$gkml" validate "$work/broken.xlsx" > "$work/broken.txt" 2>&1; then echo "FAILED: the broken workbook validates"; exit 1; fi

"$gkml" serve --db "$work/county.db" --listen 127.0.0.1:0 2> "$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
  grep -q '^gkml serve: http://' "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; echo "FAILED: gkml serve did not start"; exit 1; }
  sleep 0.1
done
base=$(grep -o '^gkml serve: http://[^/]*' "$work/serve.log" | head -1 | sed 's/^gkml serve: //')
[ -n "$base" ] || { cat "$work/serve.log"; echo "FAILED: gkml serve said no address"; exit 1; }

status=0
GKML="$gkml" GKML_DB="$work/county.db" node "$here/serve.mjs" "$base" "$work" "$artifacts" || status=$?

kill -TERM "$server"
wait "$server" || { echo "FAILED: gkml serve did not stop cleanly on SIGTERM"; status=1; }
server=""
cp "$work/serve.log" "$artifacts/serve.log"
grep -q "upload #[0-9]* unit $own by jianshe: broken.xlsx .* 422 rejected" "$work/serve.log" || { echo "FAILED: the refused upload is not logged"; status=1; }
grep -q "upload #[0-9]* unit $own by jianshe: fixed.xlsx .* 200 added" "$work/serve.log" || { echo "FAILED: the upload put in is not logged"; status=1; }
grep -q " POST /login 303 " "$work/serve.log" || { echo "FAILED: requests are not logged"; status=1; }
if grep -q 'gongkai\|county-2026' "$work/serve.log"; then echo "FAILED: a password reached the log"; status=1; fi

# The store the service wrote is the one gkml coverage reads: the township now has its catalog.
"$gkml" coverage --db "$work/county.db" --unit "$own" --format json > "$work/coverage.json"
grep -q "\"code\": \"$own\"" "$work/coverage.json" || { echo "FAILED: gkml coverage does not see the upload"; status=1; }
exit $status
