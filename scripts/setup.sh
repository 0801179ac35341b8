#!/usr/bin/env bash
# Installs everything Signaal needs to build, run and test on Debian 12, as root.
# Idempotent: when every package is present it only checks and returns.
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config ccache git clang-format-16
  libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev
  libsodium-dev libsqlite3-dev libssl-dev libtomlplusplus-dev libicu-dev libglpk-dev libcurl4-openssl-dev
  openssl sqlite3
  # the notification tests' SMTP server on loopback (run with /usr/bin/python3)
  python3-aiosmtpd
)
# tests/deploy checks deploy/: the unit with systemd-analyze, the onion service with tor.
deploy_packages=(systemd tor python3)
# The browser tests and Lighthouse drive Debian's Chromium.
browser_packages=(chromium fonts-noto-core fonts-noto-cjk fonts-thai-tlwg)

want=("${build_packages[@]}" "${deploy_packages[@]}")
if [[ "${1:-}" != "--no-browser" ]]; then want+=("${browser_packages[@]}"); fi
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
