#!/usr/bin/env bash
# The funder view on synthetic data, in one command: fills data/demo.duckdb with labelled demo
# workshops (once; 1,000 unless a number is given) and runs the app on it with funder key "demo".
#   bash scripts/demo.sh          # then open http://localhost:8501/funders, key: demo
#   bash scripts/demo.sh 10000    # a bigger demo (rebuilt only if the file does not exist)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements.txt
db=data/demo.duckdb
if [ ! -f "$db" ]; then
  python -m workbook.demo --workshops "${1:-1000}" --db "$db"
fi
export WORKBOOK_DB="$db" WORKBOOK_FUNDER_KEY=demo WORKBOOK_BACKUP_DIR=data/demo-backups
exec streamlit run app.py
