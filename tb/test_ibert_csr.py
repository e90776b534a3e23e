"""ibert_csr: the AXI4-Lite slave in front of the register file, with every channel's timing drawn by
hypothesis: the write address before its data, the data before the address, both together, and the
master holding off the write and read responses (the PS7's interconnect may do any of these).

Behind the slave the register file is modelled as ibert_top implements it: rd_data answers rd_addr
in the same cycle, and a write (wr_en with its byte strobes) takes effect at the clock edge. Every
access must finish within a bound and answer OKAY, every write reach the register file exactly once
and in order, and every read return the word the writes before it left (the slave has no golden
counterpart: the model is the AXI4-Lite protocol and the register port's contract in its header)."""

import itertools

import cocotb
from cocotb.triggers import FallingEdge
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiResp
from hypothesis import strategies as st

from .common import for_examples, parameters, start, within

P = parameters()
ADDR_W = P.get("ADDR_W", 8)
WORDS = 1 << (ADDR_W - 2)
#: Cycles one access may take: the slave answers in 2 or 3, each channel may pause up to 8 per beat.
ACCESS_CYCLES = 64


class RegisterFile:
    """The register port's other side: words by address, writes recorded as they arrive."""

    def __init__(self, dut):
        self.dut, self.words, self.writes = dut, [0] * WORDS, []
        dut.rd_data.value = 0
        cocotb.start_soon(self.run())

    async def run(self) -> None:
        dut = self.dut
        while True:
            await FallingEdge(dut.clk)  # the master's outputs have settled since the rising edge
            # before this cycle's write; an address not driven yet (X before the first read) reads word 0
            rd_addr = dut.rd_addr.value
            dut.rd_data.value = self.words[rd_addr.to_unsigned() >> 2 if rd_addr.is_resolvable else 0]
            if dut.wr_en.value.is_resolvable and dut.wr_en.value:
                addr, data, strb = int(dut.wr_addr.value), int(dut.wr_data.value), int(dut.wr_strb.value)
                self.writes.append((addr, data, strb))
                self.words[addr >> 2] = merge(self.words[addr >> 2], data, strb)


def merge(word: int, data: int, strb: int) -> int:
    mask = sum(0xFF << (8 * b) for b in range(4) if strb >> b & 1)
    return (word & ~mask) | (data & mask)


def pauses():
    """A channel's timing: a repeating pattern of paused (True) and free cycles, with at least one
    free cycle (a channel paused for ever is a master that never finishes, not a slave's fault)."""
    return st.lists(st.booleans(), max_size=7).map(lambda p: [*p, False])


def access():
    """One access: a write of 1 to 4 bytes inside one word (its strobes), or a read of a word."""
    word = st.integers(0, WORDS - 1)
    write = st.builds(lambda w, first, n, data: ("write", 4 * w + first, data[:n]),
                      word, st.integers(0, 3), st.integers(1, 4), st.binary(min_size=4, max_size=4))
    write = write.filter(lambda a: (a[1] % 4) + len(a[2]) <= 4)
    return st.one_of(write, st.tuples(st.just("read"), word.map(lambda w: 4 * w)))


class TB:
    def __init__(self, dut):
        self.dut = dut
        self.master = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst)
        self.regs = RegisterFile(dut)
        self.model = [0] * WORDS  # what the writes so far leave in each word

    def set_timing(self, aw, w, b, ar, r) -> None:
        wr, rd = self.master.write_if, self.master.read_if
        for channel, pattern in ((wr.aw_channel, aw), (wr.w_channel, w), (wr.b_channel, b),
                                 (rd.ar_channel, ar), (rd.r_channel, r)):
            channel.set_pause_generator(itertools.cycle(pattern))

    async def write(self, address: int, data: bytes) -> None:
        got = await within(self.master.write(address, data), ACCESS_CYCLES,
                           f"a write of {len(data)} bytes at {address}", self.dut)
        assert got.resp == AxiResp.OKAY, f"a write at {address} answered {got.resp!r}, not OKAY"
        word, first = address >> 2, address & 3
        strb = sum(1 << (first + i) for i in range(len(data)))
        self.model[word] = merge(self.model[word], int.from_bytes(data, "little") << (8 * first), strb)

    async def read(self, address: int) -> int:
        got = await within(self.master.read(address, 4), ACCESS_CYCLES, f"a read at {address}", self.dut)
        assert got.resp == AxiResp.OKAY, f"a read at {address} answered {got.resp!r}, not OKAY"
        return int.from_bytes(got.data, "little")


@cocotb.test()
async def accesses_under_drawn_channel_timing(dut):
    """Sequences of narrow writes and reads, the writes between two reads issued one at a time or
    all at once (outstanding together, as a master may): each read returns what the writes before
    it left; the register file saw each write once, in order, at its word with its strobes."""
    tb = TB(dut)
    await start(dut)

    async def check(example):
        timing, pipelined, accesses = example
        tb.set_timing(*timing)
        before = len(tb.regs.writes)
        issued, pending = [], []
        for kind, address, *data in [*accesses, ("read", 0)]:
            if kind == "write":
                first = address & 3
                issued.append((address & ~3, int.from_bytes(data[0], "little") << (8 * first),
                               sum(1 << (first + i) for i in range(len(data[0])))))
                if pipelined:
                    pending.append(cocotb.start_soon(tb.write(address, data[0])))
                else:
                    await tb.write(address, data[0])
                continue
            for task in pending:  # the writes before this read, all outstanding together
                await task
            pending = []
            assert await tb.read(address) == tb.model[address >> 2], f"read at {address}"
        got = [(a, d & mask(s), s) for a, d, s in tb.regs.writes[before:]]
        assert got == issued, "the register file's writes differ from the bus's"

    await for_examples(st.tuples(st.tuples(pauses(), pauses(), pauses(), pauses(), pauses()), st.booleans(),
                                 st.lists(access(), min_size=1, max_size=12)), check)


def mask(strb: int) -> int:
    return sum(0xFF << (8 * b) for b in range(4) if strb >> b & 1)


@cocotb.test()
async def address_and_data_in_either_order_with_responses_held(dut):
    """Directed: the address many cycles before its data, then the data many cycles before its
    address, each with the write response held off; a read and a write in flight together."""
    tb = TB(dut)
    await start(dut)
    late = [True] * 6 + [False]
    for aw, w in ((([False]), late), (late, [False])):
        tb.set_timing(aw, w, [True] * 5 + [False], [False], [True] * 3 + [False])
        await tb.write(8, b"\x11\x22\x33\x44")
        assert await tb.read(8) == 0x44332211
    # two writes outstanding while the first's response is held: the second must wait its turn
    tb.set_timing([False], [False], [True] * 7 + [False], [False], [False])
    writes = [cocotb.start_soon(tb.write(a, v)) for a, v in ((16, b"\x01\x02\x03\x04"), (20, b"\x05\x06\x07\x08"))]
    for task in writes:
        await task
    assert tb.regs.writes[-2:] == [(16, 0x04030201, 0xF), (20, 0x08070605, 0xF)]
    tb.set_timing([True, False], [False, True], [True, True, False], [True, False], [False, True])
    write = cocotb.start_soon(tb.write(12, b"\xaa\xbb\xcc\xdd"))
    assert await tb.read(8) == 0x44332211
    await write
    assert await tb.read(12) == 0xDDCCBBAA
    assert tb.regs.writes[-1] == (12, 0xDDCCBBAA, 0xF)
