#!/usr/bin/env bash
# Creates .venv with the pinned dependencies (uv is installed with pip when missing).
# Sourced by start.sh and test.sh; safe to run again (a no-op when all is in place).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check uv
fi
[ -x .venv/bin/python ] || uv venv --quiet --python python3 .venv
uv pip install --quiet --python .venv/bin/python -e ".[${INFOINT_EXTRAS:-dev}]"
