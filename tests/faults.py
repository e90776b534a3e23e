"""Faults the host tests inject into the simulated board's traffic: an operand handed to the core at
an address no buffer holds, so the memory answers DECERR and the core reports ERROR.axi_read, as a
board whose buffer was freed or mis-addressed would."""

from __future__ import annotations

import copy

import host.accel.driver


class _Nowhere(host.accel.driver.DeviceRows):
    @property
    def address(self) -> int:
        return 0x1000  # below every buffer of the simulated DDR


def unreachable_residuals(monkeypatch):
    """From now on every OP_MM_LN's residual is handed to the core at an unreachable address;
    returns the real ``Accelerator.execute`` (to put back with ``monkeypatch.setattr``)."""
    real = host.accel.driver.Accelerator.execute

    def execute(self, code, m, k, n, a, out=None, w=None, r=None, **kw):
        if r is not None:
            r = copy.copy(r)
            r.__class__ = _Nowhere
        return real(self, code, m, k, n, a, out, w, r, **kw)

    monkeypatch.setattr(host.accel.driver.Accelerator, "execute", execute)
    return real
