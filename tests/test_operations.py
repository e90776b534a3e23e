"""host/accel/operations.py is the one statement of every operation's dimension rules: the simulated core
(the device's build, vivado/defaults.tcl, behind the register-level board) is started at every edge
of every rule, through its registers only, and its verdict (ERROR.bad_dims, or a start) must be
the table's. The maxima, the most heads included, are read from the core's registers, so the RTL's
parameters are their one source; a rule changed on one side only fails here."""

from itertools import product
from pathlib import Path

import pytest

from host.accel.driver import Accelerator
from host.accel.operations import OPERATIONS
from host.accel.regmap import OP_ATTENTION, REGISTERS

ROOT = Path(__file__).resolve().parents[1]


def edges(hi: int, lo: int = 1) -> list[int]:
    return [lo - 1, lo, hi, hi + 1]


def cases(code: int, lim) -> list[tuple[int, int, int]]:
    if code == OP_ATTENTION:
        dhs = [0, 7, 8, 9, 16, lim.max_dh, lim.max_dh + 8]
        heads = [0, 1, lim.max_heads, lim.max_heads + 1, lim.max_d // lim.max_dh, lim.max_d // lim.max_dh + 1]
        return list(product(edges(lim.max_m), dhs, heads))
    n_hi = OPERATIONS[code].n_max
    return list(product(edges(lim.max_m), edges(lim.max_k), edges(getattr(lim, n_hi))))


def core_refuses(acc: Accelerator, code: int, m: int, k: int, n: int) -> bool:
    """Start the core at these dimensions (nothing is sent) and read its verdict; leave it idle."""
    all_bits = (1 << len(REGISTERS["ERROR"].fields)) - 1
    for reg, v in (("OP", code), ("DIM_M", m), ("DIM_K", k), ("DIM_N", n)):
        acc.write(reg, v)
    acc.write("ERROR", all_bits)
    acc.write("CTRL", REGISTERS["CTRL"].pack(start=1))
    errors = REGISTERS["ERROR"].unpack(acc.read("ERROR"))
    started = REGISTERS["STATUS"].unpack(acc.read("STATUS"))["busy"]
    acc.write("CTRL", REGISTERS["CTRL"].pack(abort=1))  # nothing was sent: back to idle at once
    acc.write("ERROR", all_bits)
    assert errors["bad_op"] == 0 and errors["start_busy"] == 0, (code, m, k, n, errors)
    assert started != errors["bad_dims"], (code, m, k, n, errors, started)
    return bool(errors["bad_dims"])


@pytest.mark.parametrize("code", sorted(OPERATIONS), ids=lambda c: OPERATIONS[c].name)
def test_the_core_refuses_exactly_what_the_table_refuses(acc, code):
    op = OPERATIONS[code]
    checked = 0
    for m, k, n in cases(code, acc.limits):
        try:
            op.check(m, k, n, acc.limits)
            table_refuses = False
        except ValueError:
            table_refuses = True
        assert core_refuses(acc, code, m, k, n) == table_refuses, (op.name, m, k, n)
        checked += 1
    assert checked >= 64


def test_the_driver_refuses_before_sending(acc):
    """The driver's check is the table's: a refused shape never reaches the core."""
    lim = acc.limits
    with pytest.raises(ValueError, match=rf"OP_ATTENTION: T = 4, d_head = 8, heads = {lim.max_heads + 1} are outside"):
        acc.check_dims("OP_ATTENTION", 4, 8, lim.max_heads + 1)
    with pytest.raises(ValueError, match=rf"OP_MM_LN: N = {lim.max_d + 1} is outside this core's 1..{lim.max_d}"):
        acc.check_dims("OP_MM_LN", 4, 8, lim.max_d + 1)
    acc.check_dims("OP_LINEAR", lim.max_m, lim.max_k, lim.max_n)


def test_the_driver_has_a_method_for_every_operation_named_by_its_key():
    """host/layer.py runs a step through the driver's method named by the operation's key."""
    from host.accel.driver import Accelerator
    from host.accel.roofline import OPERATIONS as ROOFLINE_OPS

    assert sorted(op.key for op in OPERATIONS.values()) == sorted(ROOFLINE_OPS)
    for op in OPERATIONS.values():
        assert callable(getattr(Accelerator, op.key, None)), f"host.accel.driver.Accelerator has no method {op.key}"


def test_every_operation_has_one_name():
    """An operation's key is its name everywhere: golden.<key> is the function the table checks
    against, OP_<KEY> its code in the register map (and in rtl/ibert_regs_pkg.sv, generated from
    the same source), and every code the map defines but OP_NONE is in the table."""
    import golden
    from host.accel import regmap

    for op in OPERATIONS.values():
        assert getattr(golden, op.key, None) is not None, f"golden has no function {op.key}"
        if op.key != "matmul":  # the table's matmul only picks golden.matmul's a_unsigned from A's dtype
            assert op.golden is getattr(golden, op.key), op.key
    codes = {name: v for name, v in vars(regmap).items() if name.startswith("OP_") and name != "OP_NONE"}
    assert codes == {op.name: code for code, op in OPERATIONS.items()}
