#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format's layout.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format-16 --dry-run -Werror
echo "format: every C++ file follows .clang-format"
