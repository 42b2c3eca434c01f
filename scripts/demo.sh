#!/usr/bin/env bash
# The main job on the bundled data: install, build, then check every bundled catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
echo
echo "== gkml validate catalogs/ (the 26 standard catalogs, the field registry, the holiday calendar)"
./build/gkml validate --strict catalogs/
echo
echo "== gkml fields"
./build/gkml fields
