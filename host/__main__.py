"""Main job: a real BERT (all-MiniLM-L6-v2 by default) quantized to I-BERT and run in integers.

    python3 -m host ["a sentence"] [--checkpoint DIR] [--params FILE] [--save FILE]

Quantizes the checkpoint (calibrated on the kit's calibration sentences, golden.calibrate) or loads a saved
parameter file, embeds the sentence with the golden integer-only model and with float32 numpy, and
prints their cosine similarity and the run times. The accelerator runs this same parameter set.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from . import bert, params_io
from .checkpoint import default_model_dir, load_checkpoint
from .sentences import calibration_sentences
from .tokenize import Tokenizer

DEFAULT_SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m host", description=__doc__.splitlines()[0])
    ap.add_argument("sentence", nargs="?", default=DEFAULT_SENTENCE)
    ap.add_argument("--checkpoint", help="HuggingFace BERT folder (default: all-MiniLM-L6-v2)")
    ap.add_argument("--params", help="load this parameter file instead of quantizing")
    ap.add_argument("--save", help="write the quantized parameters to this .npz file")
    ap.add_argument("--calibration", type=int, default=bert.CALIBRATION_SENTENCES, help="number of calibration sentences")
    a = ap.parse_args(argv)

    folder = a.checkpoint or default_model_dir()
    model = load_checkpoint(folder)
    tok = Tokenizer(folder)
    t0 = time.perf_counter()
    if a.params:
        qmodel, meta = params_io.load(a.params)
        how = f"loaded {a.params} ({meta.get('checkpoint', '?')})"
    else:
        qmodel = bert.quantize(model, [tok.encode(s) for s in calibration_sentences(a.calibration)])
        how = f"quantized {model.name} on {a.calibration} calibration sentences"
    t_q = time.perf_counter() - t0
    if a.save:
        saved = params_io.save(a.save, qmodel, {"checkpoint": model.name, "calibration": a.calibration})
        print(f"saved integer parameters to {saved}")

    ids = tok.encode(a.sentence)
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


if __name__ == "__main__":
    raise SystemExit(main())
