"""Run a command in a real pseudo-terminal of a given width and return the screen text."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
from collections.abc import Sequence

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def run_in_terminal(argv: Sequence[str], columns: int, env: dict[str, str], timeout: float = 30) -> str:
    """The text the command writes to a terminal `columns` wide, colours and styles removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 200, columns, 0, 0))
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], timeout)
            if not ready:
                raise TimeoutError(f"{argv} wrote nothing for {timeout} s")
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the command ended and closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        proc.wait(timeout)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return _ESCAPES.sub("", text)
