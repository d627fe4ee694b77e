#!/usr/bin/env bash
# Debian packages only the tests need: Chromium renders `andina report` in a real browser, Node and
# npm run the official AsyncAPI tools, Maven and a JDK 17 run the Java reference client's JUnit tests.
# Installs the missing ones when run as root; otherwise says how (the browser tests then skip, the
# AsyncAPI tools' and the Java client's tests fail, naming what is missing).
set -euo pipefail

declare -A PACKAGE_OF=([chromium]=chromium [node]=nodejs [npm]=npm [mvn]=maven [javac]=openjdk-17-jdk-headless)
missing=()
for command in "${!PACKAGE_OF[@]}"; do
    command -v "$command" >/dev/null || missing+=("${PACKAGE_OF[$command]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing for the tests: ${missing[*]}. Install them with:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
