# Shared by scripts/run_app.sh and scripts/test.sh: make .venv and install what a task needs.
# Usage: source scripts/_env.sh REQUIREMENTS_FILE
set -euo pipefail
PYTHON=${PYTHON:-python3}
requirements=$1
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the requirement files change (a stamp per file set).
stamp=".venv/.installed-$(cat requirements.txt "$requirements" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing $requirements into .venv (once per change of requirements)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
