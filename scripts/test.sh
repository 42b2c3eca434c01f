#!/usr/bin/env bash
# Installs, builds and runs every test (unit and end-to-end) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
# The browser test opens the county report in Debian's chromium, with fonts that have Chinese glyphs.
bash scripts/install.sh chromium fonts-noto-cjk
ctest --test-dir build --output-on-failure -j "$(nproc)"
