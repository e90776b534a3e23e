"""Where the accelerator lives on the board: the names the Vivado block design gives its cells, the
addresses it assigns them, and where the bitstream goes. One source for vivado/build.tcl (the
structure test checks the script against it) and for the board driver."""

from __future__ import annotations

from pathlib import Path

#: Base name of the bitstream and its hardware handoff: pynq loads ``ibert.bit`` with ``ibert.hwh``.
OVERLAY_NAME = "ibert"
#: Folder the build copies them to, and the driver loads them from.
OVERLAY_DIR = Path(__file__).resolve().parent / "overlay"
#: Block-design cell names (pynq's Overlay exposes the IPs under these names).
ACCEL_CELL = "accel"
DMA_CELL = "dma"
INTC_CELL = "intc"   # the AXI interrupt controller both DMA interrupts reach IRQ_F2P[0] through
#: Addresses on the PS's GP0 port (AXI4-Lite), and the window each gets.
ACCEL_BASE = 0x43C0_0000
DMA_BASE = 0x4040_0000
INTC_BASE = 0x4180_0000
REG_WINDOW = 0x1_0000
#: Width of the DMA's buffer-length register: a transfer may be up to 2**26 - 1 bytes (64 MB),
#: above the largest packet the host sends (an OP_LINEAR of BERT-base's FFN out: about 15 MB).
DMA_LENGTH_BITS = 26
#: The DMA's configuration as vivado/build.tcl sets it and the .hwh reports it to pynq's DMA driver
#: (PG021's parameter names): simple mode, both channels, 64-bit memory and stream sides, no
#: realignment engine.
DMA_PARAMETERS = {
    "c_include_sg": "0",
    "c_micro_dma": "0",
    "c_sg_length_width": str(DMA_LENGTH_BITS),
    "c_include_mm2s": "1",
    "c_include_s2mm": "1",
    "c_include_mm2s_dre": "0",
    "c_include_s2mm_dre": "0",
    "c_m_axi_mm2s_data_width": "64",
    "c_m_axis_mm2s_tdata_width": "64",
    "c_m_axi_s2mm_data_width": "64",
    "c_s_axis_s2mm_tdata_width": "64",
    "c_mm2s_burst_size": "64",
    "c_s2mm_burst_size": "64",
}


def build_defaults() -> dict[str, str]:
    """vivado/defaults.tcl's ``set defaults { name value ... }`` as a dict: the Vivado flow's
    default build parameters (array shape, maxima, clock), which the simulation backend and the
    yosys fit use too."""
    import re

    from .resources import vivado_dir

    return dict(re.findall(r"^\s*(\w+)\s+(\S+)\s*$", (vivado_dir() / "defaults.tcl").read_text(), re.M))


def default_clock_mhz() -> float:
    """The fabric clock (MHz) vivado/build.tcl builds at by default: the one number behind the
    PS7's FCLK_CLK0 request, the clock the PS7 constrains, and the board time the host projects
    for a core whose clock it cannot read (the simulated board). On the board the driver reads the
    clock the loaded overlay set instead (pynq's ``Clocks.fclk0_mhz``)."""
    return float(build_defaults()["clock_mhz"])
