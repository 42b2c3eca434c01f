#!/usr/bin/env bash
# gkml as a county IT person or a distribution gets it, checked end to end:
#   package_test.sh SOURCE-DIR BUILD-TREE-GKML ARTIFACTS-DIR
# 1. A copy of the checkout builds as Release with Debian's own compiler flags (dpkg-buildflags, no
#    -Werror), and CPack makes the two .deb packages.
# 2. The checkout copy and its build are deleted; the packages are unpacked into a fresh prefix.
# 3. The unpacked gkml (no GKML_HOME) audits the worked county from its own share/gkml and gives
#    byte for byte the figures of the build tree's gkml; its manual page and completion work.
# 4. tests/consumer builds against the unpacked gkml-dev with find_package(gkml), then with
#    pkg-config alone, and checks a catalog.
set -euo pipefail
source_dir="$(cd "$1" && pwd)"
reference="$2"
artifacts="$3"
mkdir -p "$artifacts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "package test: $*" >&2; exit 1; }

# 1. Build and package a copy, as a fresh clone would be (the tracked files and any not yet committed).
mkdir -p "$work/src"
(cd "$source_dir" && git ls-files -co --exclude-standard -z |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done | xargs -0 cp --parents -t "$work/src")
cp -r "$source_dir/tests/consumer" "$work/consumer"
# The README's commands: the release preset (Release, prefix /usr, no tests, no -Werror), with the
# flags Debian builds its packages with.
eval "$(dpkg-buildflags --export=sh)"
(cd "$work/src" && cmake --preset release > "$work/configure.log") || { cat "$work/configure.log"; fail "configure failed"; }
(cd "$work/src" && cmake --build --preset release > "$work/build.log" 2>&1) || { tail -50 "$work/build.log"; fail "Release build failed"; }
# Clean means clean: no warning with the distribution's flags either (they are not errors there).
if grep -q "warning:" "$work/build.log"; then grep -B3 -A3 "warning:" "$work/build.log" | head -60; fail "the Release build warns"; fi
(cd "$work/src/build-release" && cpack -G DEB > "$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
mkdir -p "$work/debs"
mv "$work/src/build-release"/gkml_*.deb "$work/src/build-release"/gkml-dev_*.deb "$work/debs/"
cp "$work/debs"/*.deb "$artifacts/"

# 2. The checkout moved away.
rm -rf "$work/src"
runtime="$(ls "$work/debs"/gkml_*.deb)"
dev="$(ls "$work/debs"/gkml-dev_*.deb)"
depends="$(dpkg-deb -f "$runtime" Depends)"
for lib in libxml2 libicu libzip libxlsxwriter libgumbo libsqlite3 libfmt libpugixml; do
  [[ "$depends" == *"$lib"* ]] || fail "gkml.deb does not depend on $lib: $depends"
done
root="$work/root"
dpkg-deb -x "$runtime" "$root"
dpkg-deb -x "$dev" "$root"
prefix="$root/usr"
for f in bin/gkml share/gkml/catalogs/fields.xml share/gkml/catalogs/standard share/gkml/xsd/catalog.xsd \
         share/gkml/examples/youyi/units.xml share/man/man1/gkml.1.gz share/bash-completion/completions/gkml \
         share/doc/gkml/design.md include/gkml/coverage.hpp include/gkml/version.hpp; do
  [ -e "$prefix/$f" ] || fail "$f is not in the packages"
done
ls "$prefix"/lib/*/libgkml.a "$prefix"/lib/*/cmake/gkml/gkmlConfig.cmake "$prefix"/lib/*/pkgconfig/gkml.pc > /dev/null ||
  fail "the library, its CMake package or gkml.pc is missing"
if grep -aq "$source_dir" "$prefix/bin/gkml"; then fail "the installed gkml has the source path $source_dir in it"; fi

# 3. The installed gkml audits the worked county from what it installed, wherever that is.
gkml="$prefix/bin/gkml"
county="$prefix/share/gkml/examples/youyi"
run() { (cd "$work" && env -u GKML_HOME "$@"); }
run "$gkml" --version | grep -q "gkml 0.1" || fail "gkml --version"
run "$gkml" ingest --db "$work/county.db" --units "$county/units.xml" --label 2025年终 "$county/catalogs" "$county/ledgers" \
  > "$work/ingest.log" 2>&1 || { cat "$work/ingest.log"; fail "the installed gkml could not ingest the worked county"; }
run "$gkml" coverage --db "$work/county.db" --format json > "$work/installed.json"
run "$gkml" report --db "$work/county.db" -o "$artifacts/installed-report.html"
GKML_HOME="$source_dir" "$reference" ingest --db "$work/reference.db" --units "$county/units.xml" --label 2025年终 \
  "$county/catalogs" "$county/ledgers" > /dev/null 2>&1
GKML_HOME="$source_dir" "$reference" coverage --db "$work/reference.db" --format json > "$work/reference.json"
cmp -s "$work/installed.json" "$work/reference.json" || fail "the installed gkml's figures differ from the build tree's"
grep -q '"catalog"' "$work/installed.json" || fail "no figures"
MANWIDTH=100 man -l "$prefix/share/man/man1/gkml.1.gz" 2>/dev/null | grep -q "gkml rectify" || fail "man gkml has no rectify section"
completed="$(bash -c 'source "$1"; COMP_WORDS=("$2" rect); COMP_CWORD=1; _gkml; echo "${COMPREPLY[*]}"' _ \
  "$prefix/share/bash-completion/completions/gkml" "$gkml")"
[ "$completed" = rectify ] || fail "completion of 'gkml rect' gave '$completed'"

# 4. A consumer of the library, by CMake and by pkg-config.
catalog="$county/catalogs/230522203000.xml"
standard="$prefix/share/gkml/catalogs/standard"
cmake -S "$work/consumer" -B "$work/consumer-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" > "$work/consumer.log" 2>&1 &&
  cmake --build "$work/consumer-build" >> "$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "the consumer did not build"; }
"$work/consumer-build/check-catalog" "$standard" "$catalog" | tee "$work/consumer.out"
grep -q "1 files, [1-9][0-9]* items, valid" "$work/consumer.out" || fail "the consumer's catalog check"
(cd "$work" && "$work/consumer-build/check-catalog" "$standard" "$source_dir/tests/data/invalid/duplicate-item-id.xml" > /dev/null) &&
  fail "the consumer passed an invalid catalog"
export PKG_CONFIG_PATH="$(dirname "$(ls "$prefix"/lib/*/pkgconfig/gkml.pc)")"
g++ -o "$work/check-pc" "$work/consumer/check_catalog.cpp" $(pkg-config --cflags --libs gkml) ||
  fail "the consumer did not build with pkg-config gkml"
"$work/check-pc" "$standard" "$catalog" | grep -q ", valid$" || fail "the pkg-config consumer's catalog check"
echo "package test: $(basename "$runtime") and $(basename "$dev") install, audit the worked county and link"
