#!/usr/bin/env bash
# Install everything the test suite needs, from nothing: Debian's chromium (for the browser
# tests), a virtualenv with requirements-dev.txt, and axe-core from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# WeasyPrint (PDF print cards) needs pango and fonts from Debian.
if ! ldconfig -p | grep -q libpangoft2-1.0.so.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/pip install -q --disable-pip-version-check --no-deps -e .   # the `kb` command
npm ci --no-audit --no-fund --silent
