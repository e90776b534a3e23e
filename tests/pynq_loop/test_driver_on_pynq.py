"""The driver through pynq 3.0.1's own classes, against the simulated board (host/accel/sim/pynq_device.py):
``pynq.DefaultIP`` and its ``MMIO`` for the core's registers, ``pynq.allocate`` and ``PynqBuffer``
for the buffers the core reads and writes itself. Only the hardware under them is modelled: the core
is the RTL in Verilator with its two AXI4 masters on a model of the board's DDR (host/accel/sim/ddr.py),
the DDR non-coherent with the CPU's cache (host/accel/sim/memory.py).

These run in build/pynq-env (pynq 3.0.1 on Python 3.10 and numpy 1.21.5, as a PYNQ image has them), started by
tests/test_pynq_backend.py, which hands over a real all-MiniLM-L6-v2 layer through
IBERT_PYNQ_LOOP_LAYER (a parameter file and an input, made in the main environment).
"""

import os

import numpy as np
import pytest

pynq = pytest.importorskip("pynq")
from pynq.buffer import PynqBuffer  # noqa: E402

import golden  # noqa: E402
from host.accel.driver import Accelerator, AcceleratorError  # noqa: E402
from host.accel.sim.platform import Simulator, platform  # noqa: E402
from host.accel.operands import linear_problem  # noqa: E402
from host.selftest import operations  # noqa: E402


@pytest.fixture(scope="module")
def board():
    sim = Simulator()
    ip, allocate, _ = platform(sim, use_pynq=True)
    return sim, ip, allocate


@pytest.fixture
def acc(board):
    sim, ip, allocate = board
    with Accelerator(ip, allocate, timeout=30) as a:
        yield a


def test_pynqs_own_classes_are_in_the_loop(board, acc):
    sim, ip, allocate = board
    assert type(ip) is pynq.DefaultIP and isinstance(ip.mmio, pynq.MMIO)
    assert allocate is pynq.allocate
    x, dense, rq = linear_problem(3, 8, 8, np.random.default_rng(0))
    acc.linear(x, dense, rq)
    assert acc._named and all(type(n.buf) is PynqBuffer for n in acc._named.values())


def test_every_operation_equals_golden(acc):
    """Every operation at small shapes (host.selftest's list: two row tiles, odd sizes, signed and
    unsigned OP_MATMUL) through pynq's DMA channel class."""
    ops = list(operations(acc, np.random.default_rng(1)))
    assert len(ops) == 6
    for name, run, want in ops:
        assert np.array_equal(run(), want()), name
        assert acc.cycles > 0, name


def test_a_too_short_deadline_then_the_next_operation_runs(acc):
    """The deadline passes while the core is still running: the driver aborts it (idle at once),
    and the next operation is neither refused (start_busy) nor wrong, while the aborted one's
    bursts drain."""
    rng = np.random.default_rng(2)
    x, dense, rq = linear_problem(96, 768, 256, rng)
    acc.timeout = 0.01
    with pytest.raises(TimeoutError, match=r"OP_LINEAR 96x768x256: the core did not finish in 0.01 s"):
        acc.linear(x, dense, rq)
    acc.timeout = 30
    small = linear_problem(4, 16, 8, rng)
    assert np.array_equal(acc.linear(*small), golden.linear(*small))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_an_error_response_is_named_and_the_next_operation_runs(board, acc):
    """The memory answers a read of the weights SLVERR mid-burst (the hardware failing, modelled):
    the driver names ERROR.axi_read at once, and the next operation runs."""
    sim = board[0]
    x, dense, rq = linear_problem(40, 64, 48, np.random.default_rng(3))
    w = acc.load_weights({"w": golden.layout.linear_weights(dense, rq)})["w"]
    sim.fault(w.address + 8 * (w.beats // 2))
    try:
        with pytest.raises(AcceleratorError, match="the core reported axi_read"):
            acc.linear(x, dense, rq, weights=w)
    finally:
        sim.fault(None)
    assert np.array_equal(acc.linear(x, dense, rq, weights=w), golden.linear(x, dense, rq))


def test_core_errors_are_raised_and_cleared(acc):
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(4))
    with pytest.raises(AcceleratorError, match="refused: bad_op"):
        acc.execute(0, 4, 16, 8, acc.to_device(x))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_buffers_are_allocated_once_and_freed(board):
    """A buffer per name, grown when an operation needs more, freed on leaving the block."""
    sim, ip, allocate = board
    live = sim.memory.live
    rng = np.random.default_rng(5)
    jobs = [linear_problem(20, 64, 48, rng), linear_problem(2, 8, 8, rng), linear_problem(9, 32, 16, rng)]
    with Accelerator(ip, allocate) as a:
        for job in jobs:
            a.linear(*job)
        made = sim.memory.allocations
        for _ in range(3):
            for job in jobs:
                assert np.array_equal(a.linear(*job), golden.linear(*job))
        assert sim.memory.allocations == made, "a buffer was allocated again"
        assert sim.memory.live == live + len(a._named)
    assert sim.memory.live == live


def test_the_real_minilm_equals_golden(acc):
    """all-MiniLM-L6-v2, all six layers (the quantizer's parameters and a real sentence's embedding,
    handed over by tests/test_pynq_backend.py) through pynq's classes, the weights loaded into DDR
    once and the activations kept there: golden.encoder_layer's chain bit for bit, every operation
    checked by the divergence locator."""
    from host.model import params_io
    from host.divergence import locate
    from host.layer import LayerRunner

    handed = os.environ.get("IBERT_PYNQ_LOOP_LAYER")
    if not handed:
        pytest.skip("no MiniLM layer handed over (tests/test_pynq_backend.py sets IBERT_PYNQ_LOOP_LAYER)")
    with np.load(handed) as f:
        x, params = f["x"], str(f["params"])
    q, _ = params_io.load(params)
    assert len(q.layers) == 6
    runner = LayerRunner(acc)
    runner.load(q.layers)
    got, want = x, x
    for i, layer in enumerate(q.layers):
        got = runner.layer(i, got, layer)
        want = golden.encoder_layer(want, layer)
    assert np.array_equal(np.asarray(got), want)
    assert locate(runner.trace, q.layers) is None and len(runner.trace) == 30


def test_the_bring_up_self_test_passes_through_pynqs_classes(capsys):
    """python3 -m host.selftest --backend sim, which here runs over pynq's own classes."""
    from host.selftest import main

    assert main(["--backend", "sim"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "self-test passed on sim: 9 checks" and all(line.startswith("ok   ") for line in out[:-1])
