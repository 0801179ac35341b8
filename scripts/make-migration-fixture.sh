#!/bin/sh
# Makes tests/data/migration/schema-N: a database of this checkout's schema N,
# made by its own programs (signaal-admin demo, signaal-server, signaal-inbox,
# a reporter submitting as the phone page does), with the demo's desk keys and
# what it holds (expected.json). migration_fixture_test migrates each one to
# the current schema. Run it at the commit that ships schema N, BEFORE the next
# schema lands, and commit the folder: later builds must not regenerate it.
#   scripts/make-migration-fixture.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
version=$(ls schema/*.sql | sed 's|schema/0*\([0-9]*\)_.*|\1|' | sort -n | tail -1)
out=tests/data/migration/schema-$version
cmake --build "$build" --target make_migration_fixture
rm -rf "$out.new"
"$build/tests/inbox/make_migration_fixture" "$out.new"
rm -rf "$out"
mv "$out.new" "$out"
echo "now commit $out"
