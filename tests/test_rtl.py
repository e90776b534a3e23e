"""The per-module RTL suite: each case builds rtl/<module>.sv and runs tb/test_<module>.py on it.

    python3 -m pytest tests/test_rtl.py                          # every module, both simulators
    python3 -m pytest tests/test_rtl.py -k "systolic and icarus"  # one module, one simulator
"""

import pytest

from tb.cases import ATTENTION_TOP, CASES, ICARUS_CASES, ICARUS_TOP, VERILATOR_CASES
from tb.runner import SIMULATORS, run


def case_id(case):
    module, params = case
    return module + "".join(f"-{k}{v}" for k, v in params.items())


# The longest runs first, so that pytest-xdist's workers finish together.
def test_rtl_top_on_icarus():
    module, params = ICARUS_TOP
    run(module, "icarus", params)


def test_rtl_attention_on_icarus():
    module, params = ATTENTION_TOP
    run(module, "icarus", params, testcase="top_attention_edges")


@pytest.mark.parametrize("case", VERILATOR_CASES, ids=[case_id(c) for c in VERILATOR_CASES])
def test_rtl_verilator(case):
    module, params = case
    run(module, "verilator", params)


@pytest.mark.parametrize("simulator", SIMULATORS)
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_rtl(case, simulator):
    module, params = case
    run(module, simulator, params)


@pytest.mark.parametrize("case", ICARUS_CASES, ids=[case_id(c) for c in ICARUS_CASES])
def test_rtl_icarus(case):
    module, params = case
    run(module, "icarus", params)
