#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs the project's packages, editable, with the
# pinned development tools. Idempotent: a second run only checks what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "Python 3.11 is required (found $("$python" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -e contract -e shared \
    -e services/alerts -e services/intel-exchange -e services/customs -e services/finance-trace \
    -e deploy \
    -e ".[dev]"
