#!/usr/bin/env bash
# Installs what gkml needs from Debian's packages (only when something is missing) and builds it.
# Usage: scripts/setup.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

packages=(g++ cmake ninja-build pkg-config libpugixml-dev libxml2-dev libxml2-utils libcli11-dev catch2
          nlohmann-json3-dev libicu-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
          libxlsxwriter-dev libzip-dev libgumbo-dev libsodium-dev libzstd-dev libcpp-httplib-dev
          libcereal-dev libpq-dev)
bash scripts/install.sh "${packages[@]}"

# The developer build (CMakePresets.json "dev"): warnings are errors here, never in a user's build.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGKML_WERROR=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
