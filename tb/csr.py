"""The accelerator's registers over AXI4-Lite in a testbench: a cocotbext-axi master addressed by
register and field names from the generated map (host.accel.regmap), every access bounded."""

from __future__ import annotations

from cocotbext.axi import AxiLiteBus, AxiLiteMaster

from host.accel.regmap import REGISTERS

from .common import within

#: Cycles one AXI4-Lite access may take (the slave answers in 2-3).
ACCESS_CYCLES = 64


class Csr:
    def __init__(self, dut, prefix: str = "s_axil"):
        self.dut = dut
        self.master = AxiLiteMaster(AxiLiteBus.from_prefix(dut, prefix), dut.clk, dut.rst)

    async def read(self, reg: str) -> int:
        r = REGISTERS[reg]
        data = await within(self.master.read_dword(r.offset), ACCESS_CYCLES, f"an AXI4-Lite read of {reg}", self.dut)
        return int(data)

    async def field(self, reg: str, name: str) -> int:
        return REGISTERS[reg].field(name).get(await self.read(reg))

    async def fields(self, reg: str) -> dict[str, int]:
        return REGISTERS[reg].unpack(await self.read(reg))

    async def write(self, reg: str, word: int | None = None, **values: int) -> None:
        """Write ``word``, or the word with the named fields set (the others zero)."""
        r = REGISTERS[reg]
        data = r.pack(**values) if word is None else word
        await within(self.master.write_dword(r.offset, data), ACCESS_CYCLES, f"an AXI4-Lite write of {reg}", self.dut)
