"""One board, one user: an exclusive lock on the accelerator for as long as a driver has it open.

Two processes driving the same core (two notebooks, a notebook and a script) would write each
other's registers and buffers mid-operation. :class:`BoardLock` takes an exclusive ``flock`` on a
lock file keyed by the overlay (its bitstream's path), and notes the holder's process id and
command in it; a second process is refused in one line naming the holder. The kernel drops the lock
when the holder exits, however it exits, so a crashed program never leaves the board locked.
The simulated board needs none: each process simulates its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import tempfile
from pathlib import Path


class BoardBusy(RuntimeError):
    """Another process holds the board."""


class BoardLock:
    """The lock on the board whose overlay is ``key`` (a path), in ``folder`` (default: the
    system's temporary folder, which every process on the board shares)."""

    def __init__(self, key: str | Path, folder: str | Path | None = None):
        self.key = str(Path(key).resolve())
        name = f"ibert-kit-{hashlib.sha1(self.key.encode()).hexdigest()[:12]}.lock"
        self.path = Path(folder or tempfile.gettempdir()) / name
        self._fd: int | None = None

    def acquire(self) -> "BoardLock":
        """Take the lock, or raise BoardBusy naming the process that has it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise BoardBusy(f"the accelerator ({self.key}) is in use by process {holder}: close it there "
                            f"(or end that process) first") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} ({' '.join(sys.argv) or sys.executable})".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
        return False
