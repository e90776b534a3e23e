"""host: checkpoint loading, quantization, the parameter file and their errors, on a tiny synthetic
HuggingFace checkpoint written here; and the real all-MiniLM-L6-v2 checkpoint (tests/test_model_real.py)."""

import json

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.model import bert, params_io  # noqa: E402
from host.model.checkpoint import load_checkpoint  # noqa: E402
from host.model.tokenize import MAX_TOKENS, Tokenizer  # noqa: E402

from .tiny_bert import WORDS, D, write_checkpoint  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = write_checkpoint(tmp_path_factory.mktemp("tiny"))
    model = load_checkpoint(folder)
    tok = Tokenizer(folder)
    calib = [tok.encode(" ".join(np.random.default_rng(i).choice(WORDS, 6 + i % 5))) for i in range(12)]
    return folder, model, tok, bert.quantize(model, calib)


def test_tokenizer_does_not_pad_and_truncates_with_a_warning(tiny):
    _, _, tok, _ = tiny
    assert tok.encode("the cat sat") == [2, 4, 6, 8, 3]  # no [PAD] although tokenizer.json pads
    with pytest.warns(UserWarning, match="truncated"):
        ids = tok.encode(" ".join(["cat"] * 300))
    assert len(ids) == MAX_TOKENS and ids[0] == 2 and ids[-1] == 3


def test_integer_model_tracks_float(tiny):
    _, model, tok, q = tiny
    for s in ["the red cat sat on the mat", "a big dog ran fast", "sun and moon over the river"]:
        ids = tok.encode(s)
        f, i = bert.forward_float(model, ids), bert.embed_sentence_int(q, ids)
        assert abs(np.linalg.norm(i) - 1) < 1e-9
        assert f @ i > 0.95, s


def test_integer_forward_is_integer_typed(tiny):
    _, _, tok, q = tiny
    out = bert.forward_int(q, tok.encode("the cat sat"))
    assert out.dtype == np.int8 and out.shape == (5, D)


def test_parameter_file_round_trip_is_exact(tiny, tmp_path):
    _, _, tok, q = tiny
    path = params_io.save(tmp_path / "p.npz", q, {"checkpoint": "tiny-bert"})
    q2, meta = params_io.load(path)
    assert meta == {"checkpoint": "tiny-bert"}
    ids = tok.encode("a small house by the river")
    assert np.array_equal(bert.forward_int(q, ids), bert.forward_int(q2, ids))


def test_parameter_file_errors(tiny, tmp_path):
    _, _, _, q = tiny
    path = params_io.save(tmp_path / "p.npz", q)
    with np.load(path) as f:
        data = {k: f[k] for k in f.files}
    manifest = json.loads(str(data["__manifest__"]))

    def write(name, d):
        np.savez(tmp_path / name, **d)
        return tmp_path / name

    old = dict(data, __manifest__=np.array(json.dumps(dict(manifest, version=0))))
    with pytest.raises(ValueError, match="version 0"):
        params_io.load(write("old.npz", old))
    missing = {k: v for k, v in data.items() if k != "layers.1.gelu.q1"}
    with pytest.raises(ValueError, match="layers.1.gelu.q1"):
        params_io.load(write("missing.npz", missing))
    wrong = dict(data, **{"layers.0.q.w": data["layers.0.q.w"][:-1]})
    with pytest.raises(ValueError, match="layers.0.q.w"):
        params_io.load(write("wrong.npz", wrong))
    with pytest.raises(ValueError, match="no manifest"):
        params_io.load(write("bare.npz", {"x": np.zeros(1)}))


@pytest.mark.parametrize("kind, match", [
    ("drop", "encoder.layer.1.output.dense.weight"),
    ("reshape", "embeddings.LayerNorm.bias"),
    ("arch", "model_type='gpt2'"),
    ("act", "hidden_act"),
])
def test_bad_checkpoints_are_named(tmp_path, kind, match):
    kw = {"drop": {"drop": "encoder.layer.1.output.dense.weight"},
          "reshape": {"reshape": "embeddings.LayerNorm.bias"},
          "arch": {"config": {"model_type": "gpt2"}},
          "act": {"config": {"hidden_act": "relu"}}}[kind]
    folder = write_checkpoint(tmp_path, **kw)
    with pytest.raises(ValueError, match=match):
        load_checkpoint(folder)


def test_bad_token_ids(tiny):
    _, model, _, q = tiny
    with pytest.raises(ValueError, match="token ids"):
        bert.forward_int(q, [2, 999, 3])
    with pytest.raises(ValueError, match="integer array"):
        bert.forward_float(model, [])
    with pytest.raises(TypeError, match="str"):
        tiny[2].encode(b"bytes")
