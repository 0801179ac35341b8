#!/usr/bin/env bash
# Builds the phone page (npm) and the C++ tree into BUILD_DIR (default: build).
#   scripts/build.sh [BUILD_DIR] [extra cmake arguments...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# ccache hits across checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
build_dir=${1:-$root/build}
shift || true

# The page: dependencies pinned by web/package-lock.json, installed only when the lock changed.
if [[ ! -f "$root/web/node_modules/.package-lock.json" ||
      "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]]; then
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$root/web" && npm run --silent build)

cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIGNAAL_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
