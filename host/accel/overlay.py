"""Where the accelerator lives on the board: the names the Vivado block design gives its cells, the
addresses it assigns them, and where the bitstream goes. One source for vivado/build.tcl (the
structure test checks the script against it) and for the board driver."""

from __future__ import annotations

from host.files.resources import PACKAGE

#: Base name of the bitstream and its hardware handoff: pynq loads ``ibert.bit`` with ``ibert.hwh``.
OVERLAY_NAME = "ibert"
#: Folder the build copies them to, and the driver loads them from.
OVERLAY_DIR = PACKAGE / "overlay"
#: Block-design cell names (pynq's Overlay exposes the IPs under these names).
ACCEL_CELL = "accel"
#: The Verilog module the block design instantiates as a module reference (rtl/ibert_axi.v), and the
#: VLNV Vivado gives such a cell in the .hwh, which pynq's ip_dict reports as its "type": a module
#: reference has no VLNV of its own, Vivado names it xilinx.com:module_ref:<module>:1.0.
ACCEL_MODULE = "ibert_axi"
ACCEL_VLNV = f"xilinx.com:module_ref:{ACCEL_MODULE}:1.0"
#: Addresses on the PS's GP0 port (AXI4-Lite), and the window each gets.
ACCEL_BASE = 0x43C0_0000
REG_WINDOW = 0x1_0000
#: The PS's high-performance ports the core's two AXI4 masters reach DDR through: its read master
#: (the operands) on HP0, its write master (the results) on HP1 (docs/board.md says why).
READ_PORT, WRITE_PORT = "S_AXI_HP0", "S_AXI_HP1"
#: The DDR as both masters see it through the HP ports: the PYNQ-Z2's 512 MB from address 0.
DDR_BASE, DDR_RANGE = 0x0000_0000, 0x2000_0000


def build_defaults() -> dict[str, str]:
    """vivado/defaults.tcl's ``set defaults { name value ... }`` as a dict: the Vivado flow's
    default build parameters (array shape, maxima, clock), which the simulation backend and the
    yosys fit use too."""
    import re

    from host.files.resources import vivado_dir

    return dict(re.findall(r"^\s*(\w+)\s+(\S+)\s*$", (vivado_dir() / "defaults.tcl").read_text(), re.M))


def default_clock_mhz() -> float:
    """The fabric clock (MHz) vivado/build.tcl builds at by default: the one number behind the
    PS7's FCLK_CLK0 request, the clock the PS7 constrains, and the board time the host projects
    for a core whose clock it cannot read (the simulated board). On the board the driver reads the
    clock the loaded overlay set instead (pynq's ``Clocks.fclk0_mhz``)."""
    return float(build_defaults()["clock_mhz"])
