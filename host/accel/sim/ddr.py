"""The PYNQ-Z2's DDR as the simulated board models it behind the core's two AXI4 masters
(host/accel/sim/harness.cpp): what the figures are and where they come from.

- Bandwidth: 16-bit DDR3 at 1050 MT/s is 2.1 GB/s peak (the PYNQ-Z2's memory: one 512 MB
  part on a 16-bit bus); UG585 (the Zynq-7000 TRM) says the DDR controller is designed for about
  75 % efficiency (97 % for long sequential reads, 87 % for mixed reads and writes), so the model
  gives both ports together 0.75 x 2.1 = 1.575 GB/s, shared (the CPU's own traffic is not modelled).
  At 100 MHz that is 15.75 bytes, just under two 64-bit beats, a cycle; at 150 MHz 10.5 bytes.
  Each HP port is 64-bit, so a port moves at most one beat a cycle each way anyway.
- Latency: a read through an HP port takes on the order of 100 to 200 ns; the model takes 150 ns
  to a read burst's first beat and 100 ns from a write's last beat to its response.
- Outstanding bursts: each port takes 8 at once (an assumption for the HP ports' command queues,
  not a datasheet figure; the core's read side keeps up to 16 in flight and sees backpressure).

:func:`timing` turns these into cycles at the core's clock; ``Ddr(limit=False)`` keeps the
latencies and drops the bandwidth limit (what bench/top_cycles.py prints beside the model).
"""

from __future__ import annotations

from dataclasses import dataclass

PEAK_GBS = 2.1            # 16 bits x 1050 MT/s
EFFICIENCY = 0.75         # UG585: the controller's design efficiency
READ_LATENCY_NS = 150.0
WRITE_LATENCY_NS = 100.0
OUTSTANDING = 8


@dataclass(frozen=True)
class Ddr:
    """The DDR model's parameters; ``limit`` False: no bandwidth limit (latencies kept)."""

    limit: bool = True
    peak_gbs: float = PEAK_GBS
    efficiency: float = EFFICIENCY
    read_latency_ns: float = READ_LATENCY_NS
    write_latency_ns: float = WRITE_LATENCY_NS
    outstanding: int = OUTSTANDING

    def timing(self, clock_mhz: float) -> tuple[float, int, int, int]:
        """(bytes a cycle both ports share, 0 for no limit; read latency; write latency in cycles;
        bursts a port takes at once) at ``clock_mhz``."""
        if not clock_mhz > 0:
            raise ValueError(f"clock_mhz: expected a positive frequency, got {clock_mhz!r}")
        per_cycle = self.peak_gbs * self.efficiency * 1e3 / clock_mhz if self.limit else 0.0
        return (per_cycle, round(self.read_latency_ns * clock_mhz / 1e3),
                round(self.write_latency_ns * clock_mhz / 1e3), self.outstanding)
