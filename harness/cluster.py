"""Several app processes behind nginx with sticky sessions, on one PostgreSQL: what
scripts/run_cluster.sh starts, and what the cluster browser test drives.

    python -m harness.cluster N --db postgresql://... [--port P] [--listen ADDRESS] [--run DIR]

N `streamlit run app.py` processes on free ports, all on the same database, then nginx on one
port in front of them (scripts/nginx-cluster.conf rendered into the run folder, never /etc).
A process that exits is started again on its port; Ctrl-C or TERM stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from harness.server import Server, free_port
from workbook.config import PROJECT_ROOT

TEMPLATE = PROJECT_ROOT / "scripts" / "nginx-cluster.conf"
COOKIE = "workbook_node"  # the sticky cookie nginx sets (see the template)
PROCESS_HEADER = "X-Workbook-Process"  # which process answered, as nginx tells it
FAIL_TIMEOUT_S = 5  # how long nginx leaves out a process that failed to answer


def nginx_executable() -> str | None:
    """Debian's nginx (`apt-get install nginx`), or one on PATH."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def render(run: Path, listen: str, ports: list[int]) -> str:
    """The template with this run's folder, listening address and app processes."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;"
        for port in ports
    )
    addresses = [f"127.0.0.1:{port}" for port in ports]
    pins = "\n".join(f'        "{a}" {a};' for a in addresses)
    share = 100 / len(addresses)
    split = "\n".join(
        f"        {share:.2f}% {a};" if index < len(addresses) - 1 else f"        * {a};"
        for index, a in enumerate(addresses)
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (
        ("RUN", str(run)),
        ("LISTEN", listen),
        ("SERVERS", servers),
        ("PINS", pins),
        ("SPLIT", split),
    ):
        text = text.replace("{{" + name + "}}", value)
    return text


class Nginx:
    """nginx run from a folder of its own, in front of `ports`."""

    def __init__(self, run: Path, ports: list[int], *, listen: str = "127.0.0.1", port: int = 0):
        executable = nginx_executable()
        if executable is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.run = run
        self.port = port or free_port()
        host = "127.0.0.1" if listen in ("0.0.0.0", "127.0.0.1") else listen
        self.url = f"http://{host}:{self.port}"
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run / "tmp" / folder).mkdir(parents=True, exist_ok=True)
        self.config = run / "nginx.conf"
        self.config.write_text(render(run, f"{listen}:{self.port}", ports), encoding="utf-8")
        # -e: nginx opens its error log before it reads the configuration; keep it here too.
        command = [executable, "-p", str(run), "-e", str(run / "error.log"), "-c", str(self.config)]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while not self.process_for(None):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {self.errors()}")
            time.sleep(0.1)

    def process_for(self, cookie: str | None) -> str:
        """The process ("127.0.0.1:PORT") that answers a browser holding this sticky cookie;
        "" when none answers."""
        request = urllib.request.Request(self.url + "/_stcore/health")
        if cookie is not None:
            request.add_header("Cookie", f"{COOKIE}={cookie}")
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return reply.headers.get(PROCESS_HEADER, "").split(",")[-1].strip()
        except OSError:
            return ""

    def errors(self) -> str:
        path = self.run / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log(self) -> str:
        path = self.run / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Cluster:
    """N app processes on one database (a PostgreSQL address) and nginx in front."""

    def __init__(
        self,
        db: str,
        count: int,
        run: Path,
        *,
        listen: str = "127.0.0.1",
        port: int = 0,
        env: dict[str, str] | None = None,
    ) -> None:
        if count < 1:
            raise ValueError("a cluster needs at least one app process")
        self.db = db
        self.run = run
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o755)  # nginx's workers (nobody, when started as root) read and write here
        # One cookie secret for all: a browser moved to another process keeps its cookies valid.
        self.env = {
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
            "WORKBOOK_BACKUP_DIR": os.environ.get("WORKBOOK_BACKUP_DIR", str(run / "backups")),
            **(env or {}),
        }
        self.servers: list[Server] = []
        try:
            self.servers = [self._launch(free_port()) for _ in range(count)]
            for server in self.servers:
                server.wait_ready()
            self.nginx = Nginx(run, [s.port for s in self.servers], listen=listen, port=port)
        except BaseException:
            self.stop()
            raise
        self.url = self.nginx.url

    def _launch(self, port: int) -> Server:
        return Server(self.db, port, env=self.env, log_folder=self.run, wait=False)

    def server_at(self, address: str) -> Server:
        """The app process nginx names as "127.0.0.1:PORT"."""
        port = int(address.rsplit(":", 1)[1])
        return next(s for s in self.servers if s.port == port)

    def restart_dead(self) -> list[int]:
        """Start again, on the same port, every app process that has exited; their ports."""
        restarted = []
        for index, server in enumerate(self.servers):
            if server.process.poll() is not None:
                server.stop()
                server.log_path.replace(server.log_path.with_suffix(".log.1"))  # kept to read
                self.servers[index] = self._launch(server.port)
                restarted.append(server.port)
        return restarted

    def stop(self) -> None:
        nginx = getattr(self, "nginx", None)
        if nginx is not None:
            nginx.stop()
        for server in self.servers:
            server.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many app processes")
    parser.add_argument("--db", default=os.environ.get("WORKBOOK_DB", ""))
    parser.add_argument("--port", type=int, default=8500, help="nginx's port (default 8500)")
    parser.add_argument("--listen", default="0.0.0.0", help="nginx's address (default: all)")
    parser.add_argument("--run", type=Path, help="folder for nginx's config and the logs")
    args = parser.parse_args(argv)
    if not args.db.startswith("postgresql://"):
        parser.error(
            "several processes share PostgreSQL only: --db postgresql://... (or WORKBOOK_DB)"
        )
    run = args.run or Path(tempfile.mkdtemp(prefix="workbook-cluster-"))

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    cluster = Cluster(args.db, args.count, run.resolve(), listen=args.listen, port=args.port)
    try:
        ports = ", ".join(str(s.port) for s in cluster.servers)
        print(f"{args.count} app processes (ports {ports}) behind nginx; logs in {run}")
        print(f"Open {cluster.url}  (Ctrl-C stops everything)", flush=True)
        while not stopping:
            for port in cluster.restart_dead():
                print(f"The app process on port {port} had stopped: started again", flush=True)
            time.sleep(1)
    finally:
        print("Stopping the app processes and nginx", flush=True)
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
