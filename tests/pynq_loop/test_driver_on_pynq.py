"""The driver through pynq 3.0.1's own classes, against the simulated board (host/sim/pynq_device.py):
``pynq.DefaultIP`` and its ``MMIO`` for the core's registers, ``pynq.lib.dma.DMA`` with its simple-mode
``_SDMAChannel`` for the transfers, ``pynq.allocate`` and ``PynqBuffer`` for the buffers. Only the
hardware under them is modelled: the core is the RTL in Verilator, the DMA a register-level model of
PG021 (host/sim/axi_dma.py), the DDR non-coherent with the CPU's cache (host/sim/memory.py).

These run in build/pynq-env (pynq 3.0.1 with numpy 1.26, as board images carry), started by
tests/test_pynq_backend.py, which hands over a real all-MiniLM-L6-v2 layer through
IBERT_PYNQ_LOOP_LAYER (a parameter file and an input, made in the main environment).
"""

import os
import time

import numpy as np
import pytest

pynq = pytest.importorskip("pynq")
from pynq.buffer import PynqBuffer  # noqa: E402
from pynq.lib.dma import DMA, _SDMAChannel  # noqa: E402

import golden  # noqa: E402
from host.driver import Accelerator, AcceleratorError  # noqa: E402
from host.sim.platform import Simulator, platform  # noqa: E402
from host.operands import linear_problem  # noqa: E402
from host.selftest import operations  # noqa: E402


@pytest.fixture(scope="module")
def board():
    sim = Simulator()
    ip, dma, allocate, _ = platform(sim, use_pynq=True)
    return sim, ip, dma, allocate


@pytest.fixture
def acc(board):
    sim, ip, dma, allocate = board
    with Accelerator(ip, dma, allocate, timeout=30) as a:
        yield a


def test_pynqs_own_classes_are_in_the_loop(board, acc):
    sim, ip, dma, allocate = board
    assert type(ip) is pynq.DefaultIP and isinstance(ip.mmio, pynq.MMIO)
    assert type(dma) is DMA and type(dma.sendchannel) is _SDMAChannel and type(dma.recvchannel) is _SDMAChannel
    assert allocate is pynq.allocate
    x, dense, rq = linear_problem(3, 8, 8, np.random.default_rng(0))
    acc.linear(x, dense, rq)
    assert all(type(b) is PynqBuffer for b in acc._buffers.values())


def test_every_operation_equals_golden(acc):
    """Every operation at small shapes (host.selftest's list: two row tiles, odd sizes, signed and
    unsigned OP_MATMUL) through pynq's DMA channel class."""
    ops = list(operations(acc, np.random.default_rng(1)))
    assert len(ops) == 6
    for name, run, want in ops:
        assert np.array_equal(run(), want()), name
        assert acc.cycles > 0, name


def test_a_too_short_deadline_then_the_next_operation_runs(acc):
    """The deadline passes while the DMA is still sending: the driver aborts the core, waits while
    it drains the rest of the packet, resets the DMA and restarts its channels; the next operation
    is neither refused by the core (start_busy) nor by pynq's channel ("DMA channel not idle")."""
    rng = np.random.default_rng(2)
    x, dense, rq = linear_problem(96, 768, 256, rng)
    acc.timeout = 0.01
    with pytest.raises(TimeoutError, match=r"OP_LINEAR 96x768x256: the send \(MM2S\) transfer did not finish"):
        acc.linear(x, dense, rq)
    acc.timeout = 30
    small = linear_problem(4, 16, 8, rng)
    assert np.array_equal(acc.linear(*small), golden.linear(*small))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_a_dma_error_is_named_and_the_next_operation_runs(board, acc, monkeypatch):
    """The memory answers the receive channel's address with a decode error (the hardware failing,
    modelled), on an operation too large for the core to take whole while its output is held: the
    driver names the error at once (not a timeout of the send), resets the DMA, and the next
    operation runs."""
    sim = board[0]
    real_find = sim.memory.find
    calls = []

    def decode_error_once(address, nbytes):
        calls.append(address)
        return None if len(calls) == 1 else real_find(address, nbytes)

    monkeypatch.setattr(sim.memory, "find", decode_error_once)
    x, dense, rq = linear_problem(96, 768, 256, np.random.default_rng(3))
    acc.timeout = 20
    t0 = time.monotonic()
    with pytest.raises(AcceleratorError, match=r"the DMA's receive \(S2MM\) channel stopped on a decode error"):
        acc.linear(x, dense, rq)
    assert time.monotonic() - t0 < 10
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_core_errors_are_raised_and_cleared(acc):
    with pytest.raises(AcceleratorError, match="in_short"):
        acc.run(2, 4, 16, 8, np.zeros(3, np.uint64), 4)
    with pytest.raises(AcceleratorError, match="refused: bad_op"):
        acc.run(0, 4, 16, 8, np.zeros(8, np.uint64), 4)
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(4))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_buffers_are_allocated_once_and_freed(board):
    """One buffer per direction, grown when an operation needs more, freed on leaving the block."""
    sim, ip, dma, allocate = board
    live = sim.memory.live
    rng = np.random.default_rng(5)
    jobs = [linear_problem(20, 64, 48, rng), linear_problem(2, 8, 8, rng), linear_problem(9, 32, 16, rng)]
    with Accelerator(ip, dma, allocate) as a:
        for job in jobs:
            a.linear(*job)
        made = sim.memory.allocations
        for _ in range(3):
            for job in jobs:
                assert np.array_equal(a.linear(*job), golden.linear(*job))
        assert sim.memory.allocations == made, "a buffer was allocated again"
        assert sim.memory.live == live + 2
    assert sim.memory.live == live


def test_a_real_minilm_layer_equals_golden(acc):
    """all-MiniLM-L6-v2's first layer (the quantizer's parameters and a real sentence's embedding,
    handed over by tests/test_pynq_backend.py) through pynq's classes: golden.encoder_layer bit
    for bit, and every operation checked by the divergence locator."""
    from host import params_io
    from host.divergence import locate
    from host.layer import LayerRunner

    handed = os.environ.get("IBERT_PYNQ_LOOP_LAYER")
    if not handed:
        pytest.skip("no MiniLM layer handed over (tests/test_pynq_backend.py sets IBERT_PYNQ_LOOP_LAYER)")
    with np.load(handed) as f:
        x, params = f["x"], str(f["params"])
    q, _ = params_io.load(params)
    runner = LayerRunner(acc)
    got = runner.layer(0, x, q.layers[0])
    assert np.array_equal(got, golden.encoder_layer(x, q.layers[0]))
    assert locate(runner.trace, q.layers) is None and len(runner.trace) == 5


def test_the_bring_up_self_test_passes_through_pynqs_classes(capsys):
    """python3 -m host.selftest --backend sim, which here runs over pynq's own classes."""
    from host.selftest import main

    assert main(["--backend", "sim"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "self-test passed on sim: 9 checks" and all(line.startswith("ok   ") for line in out[:-1])
