#!/usr/bin/env bash
# Installs, builds and runs every test (unit and end-to-end) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
# End-to-end: the county report in Debian's chromium (with fonts that have Chinese glyphs), and the
# exported workbook converted by LibreOffice and read back; python3-docx writes the Word fixtures; poppler-utils reads the printed report;
# dpkg-dev and file let cpack compute the .deb's dependencies, man-db reads the installed manual page.
bash scripts/install.sh chromium fonts-noto-cjk libreoffice-calc-nogui python3-docx poppler-utils dpkg-dev file man-db
# The store on PostgreSQL: Debian's server (the tests start a throwaway cluster of their own).
bash scripts/install.sh postgresql
ctest --test-dir build --output-on-failure -j "$(nproc)"
