#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmarks: Debian's server binaries, data in
# DIR, run as the unprivileged `postgres` user, listening on a Unix socket in DIR only (no TCP port).
# Usage: scripts/postgresql.sh start DIR [PORT] | stop DIR | url DIR [DATABASE]
#   start  prints the URL of its `postgres` database; exits 77 (ctest's skip) with a message when no
#          server can be started here, unless GKML_REQUIRE_POSTGRESQL=1 (CI), where that is a failure.
set -euo pipefail
command="$1" dir="$2" port="${3:-5499}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)

url() { echo "postgresql:///${2:-postgres}?host=$1&port=$(cat "$1/port")&user=gkml"; }

case "$command" in
  start)
    if [[ -z "$bin" || ! -x "$bin/initdb" ]] || ! id postgres >/dev/null 2>&1; then
      msg="PostgreSQL 不可用，跳过 PostgreSQL 测试 / no PostgreSQL server here (apt-get install postgresql): its tests are skipped"
      if [[ "${GKML_REQUIRE_POSTGRESQL:-}" == 1 ]]; then echo "$msg, but GKML_REQUIRE_POSTGRESQL=1" >&2; exit 1; fi
      echo "$msg" >&2; exit 77
    fi
    [[ -f "$dir/data/postmaster.pid" ]] && "$0" stop "$dir" || true
    rm -rf "$dir"; mkdir -p "$dir"; chown postgres "$dir"
    as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    # The tests' own role `gkml`, trusted on the socket; C locale and UTF-8, as a province's DBA would.
    as_postgres "$bin/initdb" -D "$dir/data" -U gkml --auth=trust --locale=C -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -c listen_addresses='' -p $port -c fsync=${GKML_PG_FSYNC:-off} -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    url "$dir" ;;
  stop)
    [[ -n "$bin" && -f "$dir/data/postmaster.pid" ]] || exit 0
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    else "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; fi
    rm -rf "$dir" ;;
  url) url "$dir" "${3:-postgres}" ;;
esac
