#!/usr/bin/env bash
# Installs the Debian packages the app needs when they are missing:
#   runtime: Pango/HarfBuzz/fontconfig and a font for WeasyPrint (PDFs), and redis-server for the
#            embedded default's private task queue (started by `make run` under var/, docs/adr/0007)
#   test:    runtime + Chromium for the browser tests + poppler-utils (PDF to text/PNG in tests)
# As root it installs with apt-get; otherwise it says what to install and stops.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core redis-server)
if [ "${1:-runtime}" = "test" ]; then
  want+=(chromium poppler-utils)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "These Debian packages are needed: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
