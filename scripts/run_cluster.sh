#!/usr/bin/env bash
# Run Movement Workbook as N app processes behind nginx, for many rooms at once (README,
# "Running for many rooms"):
#   bash scripts/run_cluster.sh 4                # 4 processes; open the address it prints
#   WORKBOOK_DB=postgresql://user:pw@host/db bash scripts/run_cluster.sh 4
# The processes share one PostgreSQL database: WORKBOOK_DB when given, else a throwaway
# PostgreSQL started here whose data is removed when this script stops. nginx listens on
# WORKBOOK_CLUSTER_PORT (default 8500) on every address; its configuration
# (scripts/nginx-cluster.conf) is rendered into a run folder, never /etc. Ctrl-C or TERM stops
# everything. Debian's nginx (and postgresql, for the throwaway server) are installed when
# missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2}
if ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then
  echo "Usage: bash scripts/run_cluster.sh N   (N app processes, e.g. 2)" >&2
  exit 2
fi
source scripts/_env.sh requirements.txt
source scripts/_services.sh
ensure_nginx "to balance the app processes"
python -m workbook.lessons check || echo "Some lesson files have problems (see above); the app starts with the good ones."

run=$(mktemp -d -t workbook-cluster-XXXXXX)
cluster_pid=
stop_all() {
  trap - EXIT INT TERM
  if [ -n "$cluster_pid" ]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  stop_throwaway_postgres
  echo "Stopped. Logs were in $run"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db=${WORKBOOK_DB:-}
if [ -z "$db" ]; then
  ensure_postgres_server "for the cluster's throwaway database (or set WORKBOOK_DB to a PostgreSQL address)"
  start_throwaway_postgres db
  echo "PostgreSQL: a throwaway server in $THROWAWAY_POSTGRES (its data goes when this stops;"
  echo "set WORKBOOK_DB=postgresql://... to keep it). Its address, for a backup while it runs:"
  echo "  WORKBOOK_DB=$db .venv/bin/python -m workbook.backup create"
elif [[ "$db" != postgresql://* ]]; then
  echo "WORKBOOK_DB must be a PostgreSQL address (postgresql://...): the processes share it" >&2
  exit 2
fi

# The cluster runs in the background so this shell's trap sees Ctrl-C and TERM and stops it.
python -m harness.cluster "$count" --db "$db" --port "${WORKBOOK_CLUSTER_PORT:-8500}" \
  --run "$run" &
cluster_pid=$!
wait "$cluster_pid"
