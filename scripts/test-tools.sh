#!/usr/bin/env bash
# Debian packages only the tests need: Chromium renders `andina report` in a real browser.
# Installs them when missing and run as root; otherwise says how, and the browser test skips.
set -euo pipefail

command -v chromium >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "chromium is missing: the report's browser test will skip. Install it with:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends chromium" >&2
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
