#!/usr/bin/env bash
# Starts the dashboard on http://localhost:8501 (demo data is loaded on the first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
