# Shared by scripts/test.sh and scripts/run_cluster.sh: the outside programs a task needs,
# installed from Debian's packages when missing (as root with apt-get), else a plain sentence.
# Usage: source scripts/_services.sh (after scripts/_env.sh: python is the project's .venv).

# debian_install PACKAGE WHY: install Debian's PACKAGE, or say what is missing and fail.
debian_install() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $1 $2"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "Debian's $1 is needed $2: install it (apt-get install $1) and rerun" >&2
    return 1
  fi
}

# ensure_postgres_server WHY: PostgreSQL's server programs (initdb, pg_ctl), installed when missing.
ensure_postgres_server() {
  python -c 'import harness.postgres as p, sys; sys.exit(p.binaries() is None)' \
    || debian_install postgresql "$1"
}

# start_throwaway_postgres VAR: a throwaway PostgreSQL cluster in a new temporary folder
# (harness/postgres.py: as the user nobody when we are root, since initdb refuses root); its
# address goes into the variable VAR and its folder into THROWAWAY_POSTGRES. The caller's
# trap calls stop_throwaway_postgres.
start_throwaway_postgres() {
  THROWAWAY_POSTGRES=$(mktemp -d)
  chmod 755 "$THROWAWAY_POSTGRES"
  local url
  url=$(python -m harness.postgres start "$THROWAWAY_POSTGRES/cluster")
  printf -v "$1" '%s' "$url"
}

stop_throwaway_postgres() {
  if [ -n "${THROWAWAY_POSTGRES:-}" ]; then
    python -m harness.postgres stop "$THROWAWAY_POSTGRES/cluster" >/dev/null 2>&1 || true
    rm -rf "$THROWAWAY_POSTGRES"
    THROWAWAY_POSTGRES=
  fi
}

# ensure_nginx WHY: Debian's nginx, installed when missing.
ensure_nginx() {
  python -c 'import harness.cluster as c, sys; sys.exit(c.nginx_executable() is None)' \
    || debian_install nginx "$1"
}
