"""TCP_NODELAY on the server's sockets (workbook/server/transport.py), on real sockets."""

from __future__ import annotations

import socket
import sys

import pytest

from workbook.server import transport

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no descriptor folder")


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_a_listener_made_as_streamlit_makes_it_passes_no_delay_to_what_it_accepts() -> None:
    # Streamlit binds `socket.socket(family)`: protocol 0, which asyncio leaves with Nagle on.
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early = socket.create_connection(listener.getsockname())
    early_accepted, _ = listener.accept()
    with listener, early, early_accepted:
        assert listener.proto == 0 and _nodelay(early_accepted) == 0

        assert transport.no_delay_on_process_sockets() >= 3

        assert _nodelay(listener) == 1
        assert _nodelay(early_accepted) == 1  # a connection already open
        later = socket.create_connection(listener.getsockname())
        later_accepted, _ = listener.accept()
        with later, later_accepted:
            assert _nodelay(later_accepted) == 1  # inherited from the listener


def test_other_descriptors_are_left_open_and_unchanged(tmp_path) -> None:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with (tmp_path / "f.txt").open("w") as handle, udp:
        transport.no_delay_on_process_sockets()
        handle.write("still open")  # the file's descriptor was only duplicated, then closed
        assert udp.fileno() >= 0 and udp.getsockname()
    assert (tmp_path / "f.txt").read_text() == "still open"


def test_the_database_file_stays_locked_against_other_processes(tmp_path) -> None:
    # Closing any descriptor of a file drops this process's POSIX locks on it: walking the
    # descriptors must not duplicate and close DuckDB's, or a second writer could open it.
    import subprocess

    import duckdb

    path = tmp_path / "held.duckdb"
    probe = (
        "import duckdb, sys\n"
        "try:\n    duckdb.connect(sys.argv[1]).close()\nexcept duckdb.IOException as e:\n"
        "    sys.exit(3 if 'lock' in str(e).lower() else 4)\n"
    )
    with duckdb.connect(str(path)) as held:
        held.execute("CREATE TABLE t (x INTEGER)")
        transport.no_delay_on_process_sockets()
        other = subprocess.run([sys.executable, "-c", probe, str(path)], check=False)
        assert other.returncode == 3  # refused: the lock is still held
