"""A real PostgreSQL for tests and benchmarks, found or started the way Chromium is.

In order: `WORKBOOK_TEST_POSTGRES` (an address whose user may create databases), else a server
already listening on this machine's usual places (its `postgres` user, no password), else a
throwaway cluster in a temporary folder (initdb + pg_ctl from the PostgreSQL server binaries;
`scripts/test.sh` installs Debian's package on a machine without them). initdb refuses to run
as root, so as root the cluster is made and run by the unprivileged user `nobody`.

    python -m harness.postgres start FOLDER   # prints the address; FOLDER must not exist
    python -m harness.postgres stop FOLDER
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENV = "WORKBOOK_TEST_POSTGRES"
PASSWORD = "workbook"  # the throwaway cluster's postgres user; it listens on 127.0.0.1 only
LOCAL_CANDIDATES = (
    "postgresql://postgres@/postgres?host=/var/run/postgresql",
    "postgresql://postgres@/postgres?host=/tmp",
)
UNPRIVILEGED = "nobody"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(re.search(r"/(\d+)/bin", p).group(1)),  # type: ignore[union-attr]
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def local_server() -> str | None:
    for url in LOCAL_CANDIDATES:
        if answers(url):
            return url
    return None


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(command: list[str], folder: Path) -> list[str]:
    """Run `command` as the unprivileged user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return command
    shutil.chown(folder, user=UNPRIVILEGED)
    return ["runuser", "-u", UNPRIVILEGED, "--", *command]


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in `folder`: data, socket and log."""

    folder: Path
    port: int = 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def start(self) -> Cluster:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError(
                "No PostgreSQL server binaries (initdb, pg_ctl): install PostgreSQL (Debian: "
                f"apt-get install postgresql) or set {ENV} to a server's address."
            )
        self.folder.mkdir(parents=True)
        self.port = self.port or _free_port()
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD + "\n")
        data = self.folder / "data"
        prefix = _as_owner([], self.folder)
        if prefix:
            shutil.chown(password_file, user=UNPRIVILEGED)
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={password_file}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )
        # Durability is not what tests check: no fsync makes each CREATE DATABASE cheap.
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port}"
            f" -c unix_socket_directories={self.folder} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.folder / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )
        (self.folder / "url").write_text(self.url + "\n")
        return self

    def stop(self) -> None:
        bin_dir = binaries()
        data = self.folder / "data"
        if bin_dir is not None and (data / "postmaster.pid").exists():
            prefix = ["runuser", "-u", UNPRIVILEGED, "--"] if os.geteuid() == 0 else []
            subprocess.run(
                [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                check=False,
                capture_output=True,
                cwd=self.folder,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def server() -> object:
    """The address of a PostgreSQL to test against (see the module's docstring); a cluster
    started here is stopped and removed on leaving."""
    given = os.environ.get(ENV, "").strip()
    if given:
        yield given
        return
    local = local_server()
    if local:
        yield local
        return
    parent = Path(tempfile.mkdtemp(prefix="workbook-pg-"))
    parent.chmod(0o755)  # the cluster's user (nobody, when we are root) must reach its folder
    cluster = Cluster(parent / "cluster").start()
    try:
        yield cluster.url
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder.parent, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """The address of a new, empty database on the PostgreSQL `server()` finds or starts,
    dropped (with any connections still open to it) when the block ends."""
    import psycopg

    with server() as server_url:
        name = f"{prefix}_{os.getpid()}"
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        try:
            yield with_database(server_url, name)
        finally:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    cluster = Cluster(Path(argv[1]).resolve())
    if argv[0] == "start":
        try:
            cluster.start()
        except subprocess.CalledProcessError as error:
            output = (error.stderr or b"").decode(errors="replace").strip()
            print(f"PostgreSQL did not start: {output}", file=sys.stderr)
            cluster.stop()
            return 1
        print(cluster.url)
    else:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
