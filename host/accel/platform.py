"""The three backends' platforms: ``pynq`` (the board), ``sim`` (the RTL in Verilator behind the
same objects, host/accel/sim/platform.py) and ``golden`` (no platform: the golden functions).
pynq is imported only when the board backend is asked for, so the package works without it."""

from __future__ import annotations

from .board import default_backend, fresh_metadata, import_pynq
from .board_lock import BoardLock
from .driver import Accelerator
from .overlay import ACCEL_CELL, OVERLAY_DIR, OVERLAY_NAME

BACKENDS = ("sim", "golden", "pynq")

__all__ = ["BACKENDS", "default_backend", "open_accelerator", "open_simulation"]


def open_accelerator(backend: str, timeout: float = 60.0, announce=lambda: None) -> Accelerator | None:
    """The driver over ``backend``'s platform (None for ``golden``). Raises RuntimeError in one
    line when the backend cannot run here."""
    if backend == "golden":
        return None
    if backend == "sim":
        return open_simulation(timeout, announce)[0]
    if backend == "pynq":
        pynq = import_pynq()  # on a board without pynq or root: one line, never the simulation instead
        bit = OVERLAY_DIR / f"{OVERLAY_NAME}.bit"
        if not bit.is_file():
            raise RuntimeError(f"--backend pynq: no bitstream at {bit} (build it with vivado/: docs/board.md)")
        lock = BoardLock(bit).acquire()  # one board, one user: a second process is refused here
        try:
            try:
                fresh_metadata()  # never another build's cached ip_dict and clocks (Xilinx/PYNQ#1409)
                overlay = pynq.Overlay(str(bit))
            except Exception as e:  # pynq raises several types when no board answers
                raise RuntimeError(f"--backend pynq: the overlay did not load ({e}); use --backend sim") from None
            # the clock the overlay's .hwh made pynq set on FCLK_CLK0 (build.tcl's -clock_mhz, as the
            # PS7's dividers reach it)
            acc = Accelerator(getattr(overlay, ACCEL_CELL), pynq.allocate, timeout, clock_mhz=pynq.Clocks.fclk0_mhz)
        except BaseException:
            lock.release()
            raise
        acc.lock = lock  # released by acc.close()
        return acc
    raise ValueError(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")


def open_simulation(timeout: float = 60.0, announce=lambda: None):
    """The driver over the simulated board, and the board (host.accel.sim.platform.Simulator: its clock,
    memory and DDR model, for benches and tests that look under the driver)."""
    from .sim.platform import Simulator, platform

    sim = Simulator(announce=announce)
    ip, allocate, _ = platform(sim)
    acc = Accelerator(ip, allocate, timeout)
    acc.sim = sim  # the board under it: its time is not the host's (host/__main__.py)
    return acc, sim
