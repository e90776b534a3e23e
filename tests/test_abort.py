"""Abort anywhere, on the device's build: an operation drawn with a shape drawn among small ones and
the device maxima, its operands in the simulated board's DDR (the DDR model on), started and aborted
after a drawn number of cycles. STATUS.busy is low at the first read after the abort write (the
register map's bound is 2 cycles; the write and the read take more), ERROR.aborted says exactly
whether it was still running, and the next operation, started while the aborted one's bursts may
still be draining, is exact."""

import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import golden
from host.accel.operands import attention_problem, gelu_problem, linear_problem, ln_problem, matrices
from host.accel.operations import BY_KEY
from host.accel.regmap import REGISTERS


def shapes(lim) -> list[tuple[str, tuple[int, int, int]]]:
    """(operation, (M, K, N)) pairs: a small shape of each, and each at the device's maxima."""
    dh = lim.max_dh
    return [("matmul", (27, 40, 21)), ("linear", (27, 70, 21)), ("mm_gelu", (5, 33, 40)), ("mm_ln", (27, 48, 30)),
            ("attention", (11, 16, 3)),
            ("matmul", (lim.max_m, lim.max_k, lim.max_n)), ("linear", (lim.max_m, lim.max_k, lim.max_n)),
            ("mm_gelu", (lim.max_m, lim.max_k, lim.max_n)), ("mm_ln", (lim.max_m, lim.max_k, lim.max_d)),
            ("attention", (lim.max_m, dh, lim.max_d // dh))]


@functools.lru_cache(maxsize=None)
def problem(op: str, shape: tuple[int, int, int]) -> tuple:
    """golden's arguments of ``op`` at ``shape`` (attention: T, d_head, heads), made once."""
    m, k, n = shape
    rng = np.random.default_rng(m * 7 + k * 3 + n)
    if op == "attention":
        qkv, p = attention_problem(m, n, k, rng)
        return qkv, n, p
    return {"matmul": matrices, "linear": linear_problem, "mm_gelu": gelu_problem, "mm_ln": ln_problem}[op](m, k, n, rng)


def start(acc, op: str, args: tuple):
    """Place the operands in DDR and start the operation; what the driver's method would run."""
    operation = BY_KEY[op]
    m, k, n = operation.dims(*args)
    a = acc.to_device(np.asarray(args[0]).view(np.int8) if op == "matmul" else args[0], "abort a")
    w = r = None
    if operation.weights is not None:
        weights = np.ascontiguousarray(operation.weights(*args), np.uint64)
        w = acc.place_weights(weights)
    if op == "mm_ln":
        r = acc.to_device(args[3], "abort r")
    return acc.start(operation.code, m, k, n, a, w=w, r=r, op_word=operation.op_word(*args),
                     constants=operation.constants(*args))


def test_abort_at_a_drawn_cycle_of_a_drawn_operation(acc):
    cases = shapes(acc.limits)
    busy = REGISTERS["STATUS"].field("busy")
    nxt = linear_problem(9, 24, 13, np.random.default_rng(1))
    seen = set()

    @settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.integers(0, len(cases) - 1), st.integers(0, 60_000))
    def check(pick, cycles):
        op, shape = cases[pick]
        seen.add((op, shape))
        start(acc, op, problem(op, shape))
        acc.sim.run(cycles)
        running = busy.get(acc.read("STATUS"))
        acc.write("CTRL", REGISTERS["CTRL"].pack(abort=1))
        assert busy.get(acc.read("STATUS")) == 0, (op, shape, cycles)
        assert REGISTERS["ERROR"].unpack(acc.read("ERROR"))["aborted"] == running, (op, shape, cycles)
        acc.write("ERROR", (1 << len(REGISTERS["ERROR"].fields)) - 1)
        assert np.array_equal(acc.linear(*nxt), golden.linear(*nxt)), (op, shape, cycles)

    check()
    assert any(shape[0] == acc.limits.max_m for _, shape in seen), "no example at the device maxima"
