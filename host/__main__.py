"""Main job: a real BERT (all-MiniLM-L6-v2 by default) quantized to I-BERT and run in integers.

    python3 -m host ["a sentence"] [--checkpoint DIR] [--params FILE] [--save FILE [--force]]
                    [--calibration N] [--no-cache] [--debug]

Quantizes the checkpoint (calibrated on the kit's calibration sentences, golden.calibrate; the
result is cached per checkpoint and settings, so later runs start at once) or loads a saved
parameter file (which must have been made from the same checkpoint), embeds the sentence with the
golden integer-only model and with float32 numpy, and prints their cosine similarity and the run
times. Every user error is one line on stderr and exit status 2 (--debug shows the traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np

from . import bert, cache, params_io
from .checkpoint import default_model_dir, load_checkpoint
from .tokenize import Tokenizer

DEFAULT_SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."
#: Fewer calibration sentences than this calibrate poorly (bench/model_fidelity.py uses 256).
FEW_CALIBRATION = 16


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python3 -m host", description=__doc__.splitlines()[0])
    ap.add_argument("sentence", nargs="?", default=DEFAULT_SENTENCE)
    ap.add_argument("--checkpoint", help="HuggingFace BERT folder (default: all-MiniLM-L6-v2)")
    ap.add_argument("--params", help="load this parameter file instead of quantizing")
    ap.add_argument("--save", help="write the quantized parameters to this .npz file")
    ap.add_argument("--force", action="store_true", help="let --save overwrite an existing file")
    ap.add_argument("--calibration", type=positive_int, default=bert.CALIBRATION_SENTENCES,
                    help=f"number of calibration sentences (default {bert.CALIBRATION_SENTENCES})")
    ap.add_argument("--no-cache", action="store_true", help="quantize again instead of using the cache")
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
    if a.calibration < FEW_CALIBRATION:
        warnings.warn(f"--calibration {a.calibration}: fewer than {FEW_CALIBRATION} sentences calibrate poorly",
                      stacklevel=2)
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

        qmodel, meta, source = cache.quantized(model, tok, a.calibration, use_cache=not a.no_cache,
                                               announce=announce)
        how = f"{source} {model.name} parameters ({a.calibration} calibration sentences)"
    t_q = time.perf_counter() - t0
    if a.save:
        saved = params_io.save(a.save, qmodel, meta, overwrite=a.force)
        print(f"saved integer parameters to {saved}")

    ids = tok.encode(a.sentence)
    warn_about_input(tok, a.sentence, ids)
    t0 = time.perf_counter()
    e_int = bert.embed_sentence_int(qmodel, ids)
    t_int = time.perf_counter() - t0
    t0 = time.perf_counter()
    e_f32 = bert.forward_float(model, ids, np.float32)
    t_f32 = time.perf_counter() - t0
    print(f"{how} in {t_q:.1f} s")
    print(f"sentence ({len(ids)} tokens): {a.sentence!r}")
    print(f"integer-only (golden) vs float32 embedding: cosine {float(e_int @ e_f32):.5f}")
    print(f"time: golden integer {t_int * 1e3:.1f} ms, float32 numpy {t_f32 * 1e3:.1f} ms")
    return 0


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)  # bad options: argparse's one line and exit status 2
    with warnings.catch_warnings():  # warnings are messages to the user: one line each, on stderr
        warnings.simplefilter("always")
        warnings.showwarning = lambda msg, *rest: print(f"warning: {msg}", file=sys.stderr)
        try:
            return run(a)
        except (ValueError, TypeError, OSError) as e:
            if a.debug:
                raise
            print(f"error: {e}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130


if __name__ == "__main__":
    raise SystemExit(main())
