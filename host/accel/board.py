"""What this machine is, as the pynq backend needs to know before it touches anything: a Zynq
board or not, pynq importable in this Python or not, root or not; and pynq 3.0.1's metadata cache,
cleared so an overlay never loads with another build's metadata.

On a PYNQ image (v3.0.1: Ubuntu 22.04, Python 3.10), pynq lives in the venv
``/usr/local/share/pynq-venv`` that ``/etc/profile.d/pynq_venv.sh`` activates for login shells, and
maps registers only as root. A plain ``sudo python3`` sees neither, so on a board the kit says
which of the two is missing, in one line, and never falls back to the simulation by itself (that
would build Verilator on the Cortex-A9)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Where Linux shows the device tree and the FPGA manager (module attributes, so tests can point
#: them at a fake board).
DEVICE_TREE = Path("/proc/device-tree")
FPGA_MANAGER = Path("/sys/class/fpga_manager")

#: How to get a shell in which pynq imports and may map registers (PYNQ v3.0.1's sdbuild:
#: packages/python_packages_jammy/qemu.sh writes /etc/profile.d/pynq_venv.sh).
PYNQ_SHELL = "sudo -i, then source /etc/profile.d/pynq_venv.sh (docs/board.md)"


def _read(path: Path) -> str:
    try:
        return path.read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def zynq() -> str | None:
    """A description of the Zynq this runs on (its device tree's model and compatible strings, or
    the FPGA manager), or None when this is not one."""
    compatible = _read(DEVICE_TREE / "compatible")
    if "xlnx,zynq" in compatible:
        model = _read(DEVICE_TREE / "model")
        return f"{model} ({compatible})" if model else compatible
    if (FPGA_MANAGER / "fpga0").exists():
        return f"an FPGA manager at {FPGA_MANAGER / 'fpga0'}"
    return None


def default_backend() -> str:
    """``pynq`` on a Zynq board, ``sim`` elsewhere: the backend a command takes when none is named."""
    return "pynq" if zynq() else "sim"


def import_pynq():
    """The pynq module; RuntimeError in one line naming what is missing when it does not import or
    cannot map registers here."""
    try:
        import pynq
    except ImportError:
        board = zynq()
        if board:
            raise RuntimeError(f"--backend pynq: this is a Zynq board ({board}), but pynq does not import in "
                               f"{sys.executable}: run the kit as root inside pynq's venv: {PYNQ_SHELL}") from None
        raise RuntimeError("--backend pynq: pynq is not installed and this is not a Zynq board; "
                           "use --backend sim to run the same driver on the simulated RTL") from None
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        raise RuntimeError(f"--backend pynq: pynq maps the board's registers only as root: {PYNQ_SHELL}")
    return pynq


def fresh_metadata() -> None:
    """Forget pynq's cached metadata of the last loaded bitstream, so the next ``Overlay`` parses its
    own .hwh. pynq 3.0.1 keys the cache by the bitstream's path and, on reading it back, recomputes
    the stored hash from whatever file is now at that path (Xilinx/PYNQ#1409, fixed by PR #1509):
    a second build copied over ``ibert.bit`` would load with the first build's ip_dict and clock
    divisors. Without the global state file the cache is never used."""
    try:
        from pynq.pl_server.global_state import clear_global_state
    except ImportError:  # a pynq without the cache has nothing to forget
        return
    clear_global_state()
