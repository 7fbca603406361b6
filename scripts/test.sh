#!/usr/bin/env bash
# Run the whole test suite: lint, lesson check, unit, page (AppTest) and browser tests.
# Installs the dev requirements and finds (or installs) a Chromium for the browser tests.
# Extra arguments go to pytest, e.g. -k store or -m "not browser".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements-dev.txt

find_chromium() {
  for candidate in "${WORKBOOK_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! WORKBOOK_CHROMIUM=$(find_chromium); then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    WORKBOOK_CHROMIUM=/usr/bin/chromium
  else
    echo "Installing Playwright's Chromium for the browser tests"
    python -m playwright install chromium
    WORKBOOK_CHROMIUM=playwright
  fi
fi
export WORKBOOK_CHROMIUM
echo "Browser for tests: $WORKBOOK_CHROMIUM"

# axe-core (npm) for the accessibility checks of the live screens, pinned, installed once into
# .venv/axe (git-ignored with .venv). Without npm the suite stops here rather than skipping them.
AXE_VERSION=4.14.1
WORKBOOK_AXE="$PWD/.venv/axe/node_modules/axe-core/axe.min.js"
if ! head -c 40 "$WORKBOOK_AXE" 2>/dev/null | grep -q "axe v$AXE_VERSION"; then
  if ! command -v npm >/dev/null; then
    echo "npm (Node.js) is needed to install axe-core for the accessibility tests; install it and rerun" >&2
    exit 1
  fi
  echo "Installing axe-core $AXE_VERSION for the accessibility tests"
  npm install --no-save --no-audit --no-fund --silent --prefix .venv/axe "axe-core@$AXE_VERSION"
fi
export WORKBOOK_AXE

# PostgreSQL for the store tests' second backend (tests/conftest.py), found like the browser:
# WORKBOOK_TEST_POSTGRES when set, else a server already listening here, else a throwaway
# cluster in a temporary folder (scripts/_services.sh), stopped when this script ends.
# Debian's server is installed when missing.
source scripts/_services.sh
if [ -z "${WORKBOOK_TEST_POSTGRES:-}" ]; then
  if WORKBOOK_TEST_POSTGRES=$(python -c 'import harness.postgres as p; print(p.local_server() or "")') \
    && [ -n "$WORKBOOK_TEST_POSTGRES" ]; then
    echo "PostgreSQL for tests: the server already listening here"
  else
    ensure_postgres_server "for the store tests (or set WORKBOOK_TEST_POSTGRES to a server's address)"
    trap stop_throwaway_postgres EXIT
    start_throwaway_postgres WORKBOOK_TEST_POSTGRES
    echo "PostgreSQL for tests: a throwaway cluster in $THROWAWAY_POSTGRES"
  fi
fi
export WORKBOOK_TEST_POSTGRES

# nginx for the test of several app processes behind a balancer (tests/test_cluster_browser.py).
ensure_nginx "for the cluster test" || echo "Without nginx the cluster test is skipped"

ruff check .
python -m workbook.lessons check >/dev/null
# Two processes (pytest-xdist): the browser test files one after another in one, every other
# file beside them (tests/conftest.py, pytest_xdist_make_scheduler). The slowest tests are named at the end, so what
# makes the run long is seen in every CI log.
python -m pytest -n 2 --durations=25 "$@"

# The live room's browser tests run once more with every change to how Streamlit runs
# turned off (workbook/server/): slower is fine, wrong is not. Phones then follow the room by
# polling, so they poll every second to keep the 3-second promise the tests check.
if [ "$#" -eq 0 ]; then
  echo "Live-room browser tests on stock Streamlit (WORKBOOK_STOCK_STREAMLIT=true)"
  WORKBOOK_STOCK_STREAMLIT=true WORKBOOK_PARTICIPANT_POLL_SECONDS=1 \
    python -m pytest -p no:randomly -q tests/test_projector_browser.py \
    tests/test_phone_room_browser.py tests/test_server_gate.py
fi
