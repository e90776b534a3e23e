"""Every rtl/ module elaborates in yosys's slang front end at its defaults and at every parameter
set the RTL suite simulates: slang is stricter than both simulators (implicit port types,
declaration order), and it is what the synthesis estimates and a Vivado-bound flow read."""

import pytest

from tb import runner, yosys

from tb.cases import CASES, ICARUS_CASES, ICARUS_TOP, VERILATOR_CASES

MODULES = sorted({p.stem for p in runner.rtl_sources() if not p.stem.endswith("_pkg")})
SETS = sorted({(m, tuple(sorted(p.items()))) for m, p in CASES + ICARUS_CASES + VERILATOR_CASES + [ICARUS_TOP] if p} | {(m, ()) for m in MODULES})


@pytest.mark.parametrize("module,params", SETS, ids=[m + "".join(f"-{k}{v}" for k, v in p) for m, p in SETS])
def test_slang_elaborates(module, params):
    yosys.elaborate(module, dict(params))


def test_slang_elaborates_the_vivado_wrapper():
    """rtl/ibert_axi.v (Verilog-2001) around the top, at the parameters vivado/defaults.tcl builds."""
    yosys.elaborate("ibert_axi", {"N1": 12, "N2": 14, "MAX_M": 128, "MAX_K": 3072, "MAX_N": 3072})


def test_slang_refuses_a_bad_parameter_set():
    with pytest.raises(RuntimeError, match="DEPTH=3 must be a power of two"):
        yosys.elaborate("fifo", {"DEPTH": 3})


@pytest.mark.parametrize("params", [{"MAX_HEADS": 0}, {"MAX_HEADS": 1 << 16}, {"MAX_M": 1 << 16}])
def test_slang_refuses_a_top_its_registers_cannot_hold(params):
    """The head count and the maxima are compared with the 16-bit DIM registers' values."""
    with pytest.raises(RuntimeError, match="fit the DIM registers"):
        yosys.elaborate("ibert_top", params)
