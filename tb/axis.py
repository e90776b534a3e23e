"""AXI-stream plumbing for the benches: cocotbext-axi source/sink with random idle and backpressure."""

from __future__ import annotations

import itertools
import random

from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource


def random_pause(seed: int, p: float = 0.3):
    """An endless pause generator: True (pause) with probability p, reproducible from the seed."""
    rng = random.Random(seed)
    return (rng.random() < p for _ in itertools.count())


class Streams:
    """A source on ``s_axis_*`` and a sink on ``m_axis_*`` of ``dut``, both with random stalls."""

    def __init__(self, dut, seed: int = 1):
        """The streams have no tkeep and a beat carries one word: a cocotbext-axi "byte" is the
        whole tdata (its default of 8-bit lanes does not divide widths like 102 or 22)."""
        buses = [AxiStreamBus.from_prefix(dut, p) for p in ("s_axis", "m_axis")]
        kw = [{"byte_size": len(b.tdata)} for b in buses]
        self.source = AxiStreamSource(buses[0], dut.clk, dut.rst, **kw[0])
        self.sink = AxiStreamSink(buses[1], dut.clk, dut.rst, **kw[1])
        self.source.set_pause_generator(random_pause(seed))
        self.sink.set_pause_generator(random_pause(seed + 1))

    async def send(self, words: list[int]) -> None:
        await self.source.send(AxiStreamFrame(words))

    async def recv(self) -> list[int]:
        frame = await self.sink.recv()
        return list(frame.tdata)
