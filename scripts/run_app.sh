#!/usr/bin/env bash
# Run Movement Workbook on the embedded DuckDB default (data/workbook.duckdb).
# Extra arguments go to `streamlit run`, e.g. --server.port 8600.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements.txt
python -m workbook.lessons check || echo "Some lesson files have problems (see above); the app starts with the good ones."
exec streamlit run app.py "$@"
