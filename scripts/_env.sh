# Shared by scripts/run_app.sh and scripts/test.sh: make .venv and install what a task needs.
# Usage: source scripts/_env.sh REQUIREMENTS_FILE
# Installs from the file's lock (requirements.lock, requirements-dev.lock: every package,
# transitive ones too, pinned with hashes) when there is one; the .txt files are the
# readable lists the locks are made from (see the README, "Development").
set -euo pipefail
PYTHON=${PYTHON:-python3}
requirements=$1
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the requirement files change (a stamp per file set).
lock="${requirements%.txt}.lock"
inputs=(requirements.txt "$requirements")
if [ -f "$lock" ]; then inputs+=("$lock"); fi
stamp=".venv/.installed-$(cat "${inputs[@]}" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  if [ -f "$lock" ]; then
    echo "Installing $lock into .venv (once per change of requirements)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
  else
    echo "Installing $requirements into .venv (once per change of requirements)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  fi
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
