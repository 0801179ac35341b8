#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, as a packager would: every file
# lands where deploy/README.md says, the programs run, and no installed program
# names the source or build folder (they must work on a machine without either).
#   install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if [[ ! -f $source_dir/web/dist/index.html ]]; then
  [[ -d $source_dir/web/node_modules ]] || fail "web/node_modules is missing: run npm ci in web/"
  (cd "$source_dir/web" && npm run --silent build)
fi
cmake --install "$build_dir" --prefix "$prefix" >/dev/null

for f in bin/signaal-server bin/signaal-admin share/signaal/web/index.html \
         share/signaal/schema/001_initial.sql share/signaal/signaal.example.toml \
         lib/systemd/system/signaal.service; do
  [[ -f $prefix/$f ]] || fail "$f was not installed"
done

for program in signaal-server signaal-admin; do
  "$prefix/bin/$program" --help >/dev/null || fail "$program --help failed"
  for dir in "$source_dir" "$build_dir"; do
    found=$(strings "$prefix/bin/$program" | grep -c -F "$dir" || true)
    [[ $found == 0 ]] || fail "$program names $dir ($found times)"
  done
done

# Not told where the page is, the installed demo finds it beside the program.
"$prefix/bin/signaal-admin" demo "$prefix/demo" >/dev/null
grep -q -F "web_root = \"$prefix/share/signaal/web\"" "$prefix/demo/signaal.toml" ||
  fail "the installed demo does not point at $prefix/share/signaal/web"
echo "install: every file in place under a temporary prefix, no source path in the programs"
