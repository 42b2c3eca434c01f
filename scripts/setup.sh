#!/usr/bin/env bash
# Installs what gkml needs from Debian's packages (only when something is missing) and builds it.
# Usage: scripts/setup.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

packages=(g++ cmake ninja-build pkg-config libpugixml-dev libxml2-dev libxml2-utils libcli11-dev catch2
          nlohmann-json3-dev libicu-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
          libxlsxwriter-dev libzip-dev libgumbo-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
