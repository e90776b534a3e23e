"""One board, one user (host/accel/board_lock.py): while one process holds the board, a second is refused
in one line naming the holder; the lock goes when the holder closes or dies; the pynq backend takes
it for as long as the driver is open."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from host.accel.board_lock import BoardBusy, BoardLock

ROOT = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from host.accel.board_lock import BoardLock
lock = BoardLock(sys.argv[2], sys.argv[3]).acquire()
print("held", flush=True)
sys.stdin.readline()  # until the test closes our stdin (or 60 s)
"""


def test_a_second_process_is_refused_naming_the_holder(tmp_path):
    key = tmp_path / "ibert.bit"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(ROOT), str(key), str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BoardBusy, match=rf"in use by process {holder.pid} \(.*\): close it there"):
            BoardLock(key, tmp_path).acquire()
    finally:
        holder.stdin.close()  # the holder exits: the kernel drops its lock
        holder.wait(timeout=60)
    with BoardLock(key, tmp_path) as lock:
        assert lock.path.read_text().startswith(f"{os.getpid()} (")
    assert lock.path.read_text() == ""  # released: nobody is named


def test_the_pynq_backend_holds_the_board_until_closed(acc, tmp_path, monkeypatch):
    """open_accelerator("pynq") (pynq's Overlay modelled by the simulated board's registers) takes
    the lock; a second open is refused in one line naming this process; after close it opens."""
    from types import SimpleNamespace

    import host.accel.platform

    (tmp_path / "ibert.bit").write_bytes(b"bit")
    monkeypatch.setattr(host.accel.platform, "OVERLAY_DIR", tmp_path)
    board = SimpleNamespace(accel=acc.ip)
    monkeypatch.setitem(sys.modules, "pynq", SimpleNamespace(Overlay=lambda path: board, allocate=acc.allocate,
                                                              Clocks=SimpleNamespace(fclk0_mhz=100.0)))
    first = host.accel.platform.open_accelerator("pynq")
    try:
        with pytest.raises(RuntimeError, match=rf"in use by process {os.getpid()} ") as refused:
            host.accel.platform.open_accelerator("pynq")
        assert "\n" not in str(refused.value)
    finally:
        first.close()
    host.accel.platform.open_accelerator("pynq").close()
