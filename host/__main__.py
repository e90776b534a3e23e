"""Main job: a real BERT (all-MiniLM-L6-v2 by default) quantized to I-BERT and run in integers on
the accelerator (its RTL in simulation by default).

    python3 -m host ["a sentence"] [--backend sim|golden|pynq] [--checkpoint DIR] [--params FILE]
                    [--save FILE [--force]] [--calibration N] [--weight-bits 8|6|4] [--no-cache]
                    [--timeout S] [--timing] [--debug]

Quantizes the checkpoint (calibrated on the kit's calibration sentences, golden.calibrate; the
result is cached per checkpoint and settings, so later runs start at once) or loads a saved
parameter file (which must have been made from the same checkpoint), then runs the sentence's
encoder layers on the backend: ``sim`` (the default: the RTL top in Verilator behind the pynq
interface; the first run builds it), ``pynq`` (the board) or ``golden``. Prints whether every
operation equals golden bit for bit (and at which layer step they first differ if not, with the
command that re-runs that step), the cycles of each layer and the time they project on the board
at the core's clock (the overlay's on the board; on sim, vivado/defaults.tcl's clock_mhz), and the
cosine similarity of the embedding with float32. Every user error is one line on stderr and exit
status 2 (--debug shows the traceback); a divergence from golden exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from golden import constants as C
from golden.calibrate import WEIGHT_BITS, WEIGHT_GROUPS, Calibration

from .model import bert, cache, params_io
from .model.checkpoint import default_model_dir, load_checkpoint
from .cli import positive_int, run_command
from .divergence import locate, save_replay
from .accel.driver import timing_table
from .layer import LayerRunner, OperationFailed
from .files.paths import cache_dir
from .accel.platform import BACKENDS, default_backend, open_accelerator
from .model.tokenize import Tokenizer

DEFAULT_SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."
#: Fewer calibration sentences than this calibrate poorly (bench/model_fidelity.py uses 256).
FEW_CALIBRATION = 16


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python3 -m host", description=__doc__.splitlines()[0])
    ap.add_argument("sentence", nargs="?", default=DEFAULT_SENTENCE)
    ap.add_argument("--backend", choices=BACKENDS, default=default_backend(),
                    help="where the encoder layers run: sim (the RTL in Verilator; the default off a board), golden, "
                         "pynq (the board; the default on a Zynq board)")
    ap.add_argument("--timeout", type=positive_int, default=120, help="seconds a transfer may take (default 120)")
    ap.add_argument("--checkpoint", help="HuggingFace BERT folder (default: all-MiniLM-L6-v2)")
    ap.add_argument("--params", help="load this parameter file instead of quantizing")
    ap.add_argument("--save", help="write the quantized parameters to this .npz file")
    ap.add_argument("--force", action="store_true", help="let --save overwrite an existing file")
    ap.add_argument("--calibration", type=positive_int, default=bert.CALIBRATION_SENTENCES,
                    help=f"number of calibration sentences (default {bert.CALIBRATION_SENTENCES})")
    ap.add_argument("--weight-bits", type=int, choices=WEIGHT_BITS, default=None,
                    help="weight width, signed per output channel (default 8; 6 and 4 run in the core's int8 lanes)")
    ap.add_argument("--weight-group", type=int, choices=WEIGHT_GROUPS[1:], default=None,
                    help="with --weight-bits 6 or 4: also an integer scale per group of this many input rows "
                         "(default: one scale per output channel)")
    ap.add_argument("--no-cache", action="store_true", help="quantize again instead of using the cache")
    ap.add_argument("--timing", action="store_true", help="print every accelerator call's time, host and core apart")
    ap.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return ap


def warn_about_input(tok: Tokenizer, sentence: str, ids: list[int]) -> None:
    if not sentence.strip():
        warnings.warn("empty input: the embedding is that of [CLS] [SEP] alone", stacklevel=2)
        return
    unk = tok.unk_id()
    words = ids[1:-1]
    if unk is not None and words and sum(i == unk for i in words) * 2 > len(words):
        warnings.warn(f"{sum(i == unk for i in words)} of the {len(words)} tokens are [UNK]: the model does not "
                      "know most of this text (emoji, scripts outside its vocabulary)", stacklevel=2)


def run(a: argparse.Namespace) -> int:
    if a.params and a.save:
        raise ValueError("--params and --save: a loaded parameter file is saved already")
    if a.params and a.weight_bits is not None:
        raise ValueError("--params and --weight-bits: a parameter file's weights are quantized already")
    if a.params and a.weight_group is not None:
        raise ValueError("--params and --weight-group: a parameter file's weights are quantized already")
    if a.weight_group is not None and (a.weight_bits or 8) == 8:
        raise ValueError(f"--weight-group {a.weight_group}: group scales need --weight-bits 6 or 4 "
                         "(an 8-bit weight has no room for a group's multiplier)")
    cal = Calibration(weight_bits=a.weight_bits or 8, weight_group=a.weight_group or 0)
    if a.calibration < FEW_CALIBRATION:
        warnings.warn(f"--calibration {a.calibration}: fewer than {FEW_CALIBRATION} sentences calibrate poorly",
                      stacklevel=2)
    acc = None
    if a.backend != "golden":  # before anything loads: no board (or no simulator) is the first thing to say
        acc = open_accelerator(a.backend, a.timeout, announce=lambda: print(
            "building the simulated accelerator (Verilator, once; about a minute)...", file=sys.stderr))
    folder = a.checkpoint or default_model_dir()
    model = load_checkpoint(a.checkpoint)
    tok = Tokenizer(folder)
    t0 = time.perf_counter()
    if a.params:
        qmodel, meta = params_io.load(a.params)
        params_io.check_matches(meta, model, a.params)
        how = f"loaded {a.params}"
    else:
        def announce() -> None:
            print(f"{model.name}: quantizing on {a.calibration} calibration sentences "
                  "(cached for the next run)...", file=sys.stderr)

        qmodel, meta, source = cache.quantized(model, tok, a.calibration, cal, use_cache=not a.no_cache,
                                               announce=announce)
        groups = f" in groups of {cal.weight_group}" if cal.weight_group else ""
        how = (f"{source} {model.name} parameters ({a.calibration} calibration sentences, "
               f"{cal.weight_bits}-bit weights{groups})")
    t_q = time.perf_counter() - t0
    if a.save:
        saved = params_io.save(a.save, qmodel, meta, overwrite=a.force)
        print(f"saved integer parameters to {saved}")

    ids = tok.encode(a.sentence)
    warn_about_input(tok, a.sentence, ids)
    if len(ids) > qmodel.pos_q.shape[0]:
        raise ValueError(f"the sentence is {len(ids)} tokens; the model takes at most {qmodel.pos_q.shape[0]}")
    t0 = time.perf_counter()
    e_int = bert.embed_sentence_int(qmodel, ids)
    t_int = time.perf_counter() - t0
    t0 = time.perf_counter()
    e_f32 = bert.forward_float(model, ids, np.float32)
    t_f32 = time.perf_counter() - t0
    print(f"{how} in {t_q:.1f} s")
    print(f"sentence ({len(ids)} tokens): {a.sentence!r}")
    if a.backend == "golden":
        print(f"integer-only (golden) vs float32 embedding: cosine {float(e_int @ e_f32):.5f}")
        print(f"time: golden integer {t_int * 1e3:.1f} ms, float32 numpy {t_f32 * 1e3:.1f} ms")
        return 0
    params_path = a.params or cache.cache_path(model, cache.calibration_settings(a.calibration, cal))
    return run_on_accelerator(a, acc, qmodel, meta, ids, e_int, e_f32, params_path)


def run_on_accelerator(a, acc, qmodel, meta, ids, e_int, e_f32, params_path) -> int:
    runner = LayerRunner(acc)
    runner.load(qmodel.layers)  # every layer's weights into DDR, once
    load_bytes, load_s = acc.load_written, acc.load_s
    x = bert.embed_int(qmodel, ids)
    n = len(qmodel.layers)
    sim = getattr(acc, "sim", None)
    sim_s0 = sim.seconds if sim is not None else 0.0
    t0 = time.perf_counter()
    failed = None
    try:
        for i, layer in enumerate(qmodel.layers):
            print(f"\r{a.backend}: layer {i + 1}/{n} [{'#' * (i + 1)}{'.' * (n - i - 1)}]", end="", file=sys.stderr,
                  flush=True)
            x = runner.layer(i, x, layer)
    except OperationFailed as e:
        failed = e.step
    print(file=sys.stderr)
    wall = time.perf_counter() - t0
    # the host's own time: on sim, the run's wall time less the time inside the simulation
    host_ms = (wall - (sim.seconds - sim_s0)) * 1e3 if sim is not None else \
        sum(c.pack_s + c.copy_s for c in acc.calls) * 1e3
    div = locate(runner.trace, qmodel.layers)

    def replay_command(step) -> str:
        path = params_path
        if not Path(path).is_file():  # the kit's own folder: nothing of the user's is replaced
            path = params_io.save(cache_dir() / "divergence" / "params.npz", qmodel, meta, overwrite=True)
        replay = save_replay(step, path, cache_dir() / "divergence")
        return f"re-run just that step: python3 -m host.replay {replay} --backend {a.backend}"

    if failed is not None:
        print(f"{a.backend}: the accelerator failed {failed.where}, after {len(runner.trace) - 1} operations "
              f"that ran: {failed.error}")
        if div is not None:
            print(f"  an earlier step already differed from golden: {div.describe()}")
        print(replay_command(div.step if div is not None else failed))
        return 1

    e_acc = bert.pool(C.dequantize(np.asarray(x), qmodel.out_scale))
    print(f"{a.backend}: {n} layers in {wall:.1f} s; cycles per layer, as the core counts them:")
    total = 0
    for i in range(n):
        steps = [s for s in runner.trace if s.layer == i and s.cycles is not None]
        cyc = sum(s.cycles for s in steps)
        total += cyc
        print(f"  layer {i}: {cyc:>9,} cycles ({', '.join(f'{s.name} {s.cycles:,}' for s in steps)})")
    print(f"  total:   {total:>9,} cycles = {total / (acc.clock_mhz * 1e3):.2f} ms on the board at "
          f"{acc.clock_mhz:g} MHz")
    calls = acc.calls
    board_ms = total / (acc.clock_mhz * 1e3)
    print(f"  host side: {host_ms:.1f} ms of this machine's time (registers, copies, the golden check's "
          f"bookkeeping); the CPU wrote {sum(c.cpu_written for c in calls):,} bytes and read "
          f"{sum(c.cpu_read for c in calls):,} (the weights, {load_bytes / 1e6:.1f} MB, loaded once before in "
          f"{load_s * 1e3:.0f} ms)")
    print(f"  board time: {board_ms + host_ms:.2f} ms, the core's and the host's ({a.backend}: the simulation "
          f"itself took {sum(c.transfer_s for c in calls):.1f} s; --timing prints every call)")
    if a.timing:
        print(timing_table(calls, acc.clock_mhz))
    if div is None:
        print(f"equal to golden bit for bit: yes ({len(runner.trace)} operations)")
    else:
        print(f"equal to golden bit for bit: NO. {div.describe()}")
        print(replay_command(div.step))
    print(f"{a.backend} vs float32 embedding: cosine {float(e_acc @ e_f32):.5f} "
          f"(golden vs float32: {float(e_int @ e_f32):.5f})")
    return 0 if div is None else 1


def main(argv: list[str] | None = None) -> int:
    return run_command(run, parser().parse_args(argv))  # bad options: argparse's one line and exit status 2


def console() -> None:
    """The ``ibert-kit`` command (pyproject's console script): ``ibert-kit "a sentence"`` is the
    main job, ``ibert-kit embed FILE -o OUT.npy`` embeds a file (host/embed.py)."""
    if sys.argv[1:2] == ["embed"]:
        from .embed import main as embed

        raise SystemExit(embed(sys.argv[2:]))
    raise SystemExit(main())


if __name__ == "__main__":
    console()
