"""The AXI DMA's registers in direct register mode (no scatter-gather), as Xilinx's PG021 (AXI DMA
v7.1) defines them: one source for the driver (host/driver.py), which reads them through the DMA's
``read``/``write`` (pynq's ``DefaultIP``), and for the simulation's model of the DMA
(host/sim/axi_dma.py).

Each channel has the same registers at its base: MM2S (memory to stream, the send channel) at 0x00,
S2MM (stream to memory, the receive channel) at 0x30.
"""

from __future__ import annotations

#: Channel bases.
MM2S = 0x00
S2MM = 0x30
#: Register offsets from a channel's base.
DMACR = 0x00    # control
DMASR = 0x04    # status
ADDR = 0x18     # source (MM2S_SA) or destination (S2MM_DA) address, low word
ADDR_MSB = 0x1C
LENGTH = 0x28   # bytes; writing it starts a transfer; S2MM's reads back the bytes received

#: DMACR bits.
CR_RS = 1 << 0          # run/stop
CR_RESET = 1 << 2       # soft reset of the whole DMA (either channel's); reads 1 until done
CR_IOC_IRQ_EN = 1 << 12
CR_ERR_IRQ_EN = 1 << 14
#: DMASR bits.
SR_HALTED = 1 << 0      # 1 after reset, after RS = 0, and after an error
SR_IDLE = 1 << 1        # the programmed transfer has completed (0 while halted and before the first)
SR_INT_ERR = 1 << 4     # internal: a zero length, or (S2MM) a packet longer than LENGTH
SR_SLV_ERR = 1 << 5     # slave: the memory answered an access with an error
SR_DEC_ERR = 1 << 6     # decode: an address that decodes to no memory
SR_IOC_IRQ = 1 << 12    # transfer complete (write 1 to clear)
SR_ERR_IRQ = 1 << 14    # an error (write 1 to clear)

#: The error bits by the name the driver reports them with.
ERRORS = {SR_INT_ERR: "internal", SR_SLV_ERR: "slave", SR_DEC_ERR: "decode"}
SR_ERRORS = SR_INT_ERR | SR_SLV_ERR | SR_DEC_ERR

CHANNELS = {MM2S: "send (MM2S)", S2MM: "receive (S2MM)"}


def error_names(status: int) -> list[str]:
    """The DMASR error bits set in ``status``, by name."""
    return [name for bit, name in ERRORS.items() if status & bit]
