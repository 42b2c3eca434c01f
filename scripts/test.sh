#!/usr/bin/env bash
# Installs, builds and runs every test (unit and end-to-end) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"
