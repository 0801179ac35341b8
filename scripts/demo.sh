#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Signaal, makes a demo instance in
# ./demo (once) and serves it on https://localhost:8443 until Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" "$root/build"
if [[ ! -f "$root/demo/signaal.toml" ]]; then
  "$root/build/tools/admin/signaal-admin" demo "$root/demo" --web-root "$root/web/dist"
fi
echo "Phone page: https://localhost:8443/  (self-signed certificate: $root/demo/tls/cert.pem)"
exec "$root/build/server/signaal-server" --config "$root/demo/signaal.toml"
