#!/usr/bin/env bash
# Writes 230500-standard.xml, the worked example's city standard (see README.md), with the gkml given
# (default: build/gkml): the national standard exported, edited by derive.py, imported as a standard.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gkml="${1:-$here/../../../build/gkml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$gkml" export --format csv "$here/../../../catalogs/standard" -o "$work/national.csv"
/usr/bin/python3 "$here/derive.py" "$work/national.csv" "$work/city.csv"
"$gkml" import "$work/city.csv" --as-standard 230500-example-standard --version 2026 \
  --source "双鸭山市基层政务公开标准目录（gkml示例）.docx" --locality "黑龙江省双鸭山市（gkml 示例）" \
  -o "$here/230500-standard.xml" 2> >(grep -v 'GKML-W103\|hint:' >&2)
