#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test:
#   1. the normal build (warnings are errors): unit, e2e and browser tests;
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build: unit and e2e tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# ccache hits across checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
jobs=$(nproc)
bash "$root/scripts/setup.sh"

echo "== build (warnings as errors)"
bash "$root/scripts/build.sh" "$root/build"
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure --timeout 900 -j "$jobs"
# The phone page's measured figures (Lighthouse scores, first-load size).
cat "$root/build/artifacts/lighthouse-scores.txt" 2>/dev/null || true

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSIGNAAL_WERROR=ON \
      -DSIGNAAL_SANITIZE=ON -DSIGNAAL_BROWSER_TESTS=OFF -DSIGNAAL_BENCH=OFF >/dev/null
cmake --build "$root/build-asan" -j "$jobs"
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure --timeout 900 -j "$jobs" -LE browser
