"""Send each screen update at once: TCP_NODELAY on the server's sockets.

Streamlit 1.67's server binds its listening socket itself, as `socket.socket(family)`; a
socket made that way reports protocol 0, so asyncio does not switch off Nagle's algorithm on
the connections it accepts (it does so only for sockets that say IPPROTO_TCP). A run's first
message then leaves at once, and the rest wait until the browser acknowledges it, which
browsers and phones delay by 40 ms (Linux) to 200 ms (Windows): every press of a button, every
"Saved", every step the room moves to reached the screen at least 40 ms late. Measured on this
machine with `bench/run_cost.py`: a save's wall time went from 48 ms to 8 ms.

On Linux and macOS an accepted connection inherits TCP_NODELAY from its listening socket. So
on the first run in the process, the option is set on every TCP socket the process holds,
the listening one and the connections already open; later connections inherit it. Setting
it on another TCP socket (an outbound connection) only makes that one send at once too.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

from workbook.server import active

_FD_FOLDERS = (Path("/proc/self/fd"), Path("/dev/fd"))
_done = False
_lock = threading.Lock()


def no_delay_on_process_sockets() -> int:
    """Set TCP_NODELAY on every TCP socket of this process; return how many were set."""
    folder = next((f for f in _FD_FOLDERS if f.is_dir()), None)
    if folder is None:  # Windows: no list of descriptors to walk
        return 0
    count = 0
    for name in os.listdir(folder):
        if not name.isdigit():
            continue
        # Only sockets are touched. A file descriptor must never be duplicated and closed
        # here: closing any descriptor of a file drops every POSIX lock this process holds on
        # it, and DuckDB's lock on the database file is one (the app then stopped holding its
        # file, and a command-line writer could open it beside the app).
        try:
            if not stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                continue
            duplicate = os.dup(int(name))
        except OSError:  # closed since the listing, or the listing's own descriptor
            continue
        try:
            sock = socket.socket(fileno=duplicate)
        except OSError:
            os.close(duplicate)
            continue
        # Closing the duplicate leaves the original descriptor open; the option is set on
        # the socket both refer to.
        with sock:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == (
                socket.SOCK_STREAM
            ):
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    count += 1
                except OSError:
                    pass
    return count


def send_at_once() -> None:
    """Once per process (the first run): see the module docstring."""
    global _done
    if _done or not active("transport"):
        return
    with _lock:
        if not _done:
            no_delay_on_process_sockets()
            _done = True
