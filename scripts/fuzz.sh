#!/usr/bin/env bash
# Fuzzes the readers with AFL++ (tests/fuzz/README.md):
#   bash scripts/fuzz.sh [MINUTES-PER-TARGET] [TARGET...]      (default: 10 minutes, every target)
# Installs afl++, builds build-fuzz/ (-DGKML_FUZZ_AFL=ON: ASan, UBSan, edges for AFL), seeds each
# target from the smoke corpus and runs afl-fuzz on it, one target per core at a time; then prints
# executions, edges and findings per target. A run goes on from where the last one stopped.
# FUZZ_JOBS=N runs N targets at a time (default: one per core).
# A finding is in build-fuzz/afl/TARGET/default/crashes/: fix it, then copy the file into
# tests/fuzz/regressions/TARGET/ so that ctest replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(xml xlsx xlsx_sheet docx html csv time_limit)
bash scripts/install.sh afl++ g++ cmake ninja-build pkg-config libpugixml-dev libxml2-dev libcli11-dev catch2 \
  nlohmann-json3-dev libicu-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev libxlsxwriter-dev libzip-dev libgumbo-dev \
  libsodium-dev libzstd-dev libcpp-httplib-dev libcereal-dev libpq-dev
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGKML_FUZZ_AFL=ON >/dev/null
cmake --build build-fuzz --target gkml-fuzz
# No AFL_SKIP_BIN_CHECK: afl-fuzz finds the persistent and deferred marks only by checking the binary
# (without them every test case forks a fresh process and recompiles the schemas: 15 instead of 2 000 runs/s).
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1
fuzz_one() {
  local target="$1" work="build-fuzz/afl/$1" input
  mkdir -p "$work/in"
  while read -r seed; do
    [ -n "$seed" ] || continue
    # Small seeds only (the smoke run in ctest replays them all): afl-fuzz starting from the 175 kB
    # township pages ran html at 20 runs/s, from seeds under 100 kB at 3 000 (2026-12-04).
    find "$seed" -maxdepth 1 -type f -size -100k -exec cp -n {} "$work/in/" \;
  done < "build-fuzz/tests/fuzz/seeds-$target.txt"
  input="$work/in"
  [ -d "$work/default/queue" ] && input=-  # resume
  local dict=()
  [ -f "tests/fuzz/dict/$target.dict" ] && dict=(-x "tests/fuzz/dict/$target.dict")
  # The log keeps its last lines only: afl-fuzz can print without end when a target misbehaves.
  afl-fuzz -i "$input" -o "$work" -m none -t 5000 -V $((minutes * 60)) "${dict[@]}" \
    -- build-fuzz/tests/fuzz/gkml-fuzz "$target" 2>&1 | tail -n 300 > "$work/afl.log" || echo "afl-fuzz $target: see $work/afl.log"
}
cores="${FUZZ_JOBS:-$(nproc)}"  # FUZZ_JOBS=1 leaves a core free for other work
for ((i = 0; i < ${#targets[@]}; i += cores)); do
  for target in "${targets[@]:i:cores}"; do fuzz_one "$target" & done
  wait
done
printf '%-12s %14s %8s %8s %8s\n' target executions edges crashes hangs
for target in "${targets[@]}"; do
  stats="build-fuzz/afl/$target/default/fuzzer_stats"
  [ -f "$stats" ] || { printf '%-12s %s\n' "$target" "no stats (build-fuzz/afl/$target/afl.log)"; continue; }
  value() { awk -F': *' -v k="$1" '$1 ~ "^"k" *$" {print $2}' "$stats"; }
  printf '%-12s %14s %8s %8s %8s\n' "$target" "$(value execs_done)" "$(value edges_found)" "$(value saved_crashes)" "$(value saved_hangs)"
done
