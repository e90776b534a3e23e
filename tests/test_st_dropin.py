"""Encoder.encode as a drop-in for sentence-transformers' SentenceTransformer.encode: every option
is called on both, on the same checkpoint folder and sentences, and the kit's answer must have
sentence-transformers' form (type, dtype, shape, tokens) and values within a random tiny model's
quantization error of theirs. ``precision=`` must equal sentence-transformers' own
``quantize_embeddings`` of the kit's float embeddings, bit for bit, and ``similarity`` their
similarity functions. Without torch, the kit answers in numpy and refuses convert_to_tensor in one
line."""

import sys

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.encoder import Encoder  # noqa: E402

from .test_encoder import CACHE, WORDS  # noqa: E402
from .tiny_bert import write_checkpoint  # noqa: E402

#: The tiny model's random weights quantize less kindly than a trained BERT's; the real model's
#: fidelity is tests/test_encoder.py's and docs/numerics.md's.
TINY_COSINE = 0.95


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_checkpoint(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def kit(folder):
    mp = pytest.MonkeyPatch()
    mp.setenv("IBERT_KIT_CACHE", str(CACHE))
    with Encoder(folder, "golden", calibration=16) as enc:
        yield enc
    mp.undo()


@pytest.fixture(scope="module")
def st(folder):
    """sentence-transformers itself, on the same folder (skipped where it cannot be installed)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    st = pytest.importorskip("sentence_transformers")
    yield st.SentenceTransformer(str(folder), device="cpu")
    mp.undo()


def cosine(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return (a * b).sum(-1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)


def test_default_and_single_sentence_have_their_form_and_values(kit, st):
    got, want = kit.encode(WORDS), st.encode(WORDS)
    assert type(got) is type(want) is np.ndarray and got.dtype == want.dtype == np.float32
    assert got.shape == want.shape == (len(WORDS), 32)
    assert np.all(cosine(got, want) > TINY_COSINE)
    one, st_one = kit.encode(WORDS[0]), st.encode(WORDS[0])
    assert one.shape == st_one.shape == (32,) and np.array_equal(one, got[0])


def test_normalize_embeddings_and_truncate_dim(kit, st):
    got = kit.encode(WORDS, normalize_embeddings=True)
    want = st.encode(WORDS, normalize_embeddings=True)
    assert np.allclose(np.linalg.norm(got, axis=1), 1, atol=1e-6) and np.allclose(np.linalg.norm(want, axis=1), 1, atol=1e-6)
    assert np.allclose(got, kit.encode(WORDS) / np.linalg.norm(kit.encode(WORDS), axis=1, keepdims=True), atol=1e-7)
    short, st_short = kit.encode(WORDS, truncate_dim=8), st.encode(WORDS, truncate_dim=8)
    assert short.shape == st_short.shape == (len(WORDS), 8) and np.array_equal(short, kit.encode(WORDS)[:, :8])
    both = kit.encode(WORDS, truncate_dim=8, normalize_embeddings=True)  # truncated, then normalized
    assert np.allclose(np.linalg.norm(both, axis=1), 1, atol=1e-6)
    assert np.all(cosine(both, st.encode(WORDS, truncate_dim=8, normalize_embeddings=True)) > TINY_COSINE - 0.05)


def test_token_embeddings_are_each_sentences_rows(kit, st):
    torch = pytest.importorskip("torch")
    got, want = kit.encode(WORDS, output_value="token_embeddings"), st.encode(WORDS, output_value="token_embeddings")
    assert isinstance(got, list) and len(got) == len(want) == len(WORDS)
    for g, w in zip(got, want):
        assert isinstance(g, torch.Tensor) and isinstance(w, torch.Tensor) and g.dtype == w.dtype == torch.float32
        assert g.shape == w.shape  # the same tokens: [CLS] ... [SEP], no padding
    pooled = np.stack([g.numpy().mean(axis=0) for g in got])  # the folder pools by mean, unnormalized
    assert np.allclose(pooled, kit.encode(WORDS), atol=1e-6)


def test_output_value_none_gives_a_dict_per_sentence(kit, st):
    got = kit.encode(WORDS[:3], output_value=None)
    want = st.encode(WORDS[:3], output_value=None, batch_size=1)  # one a batch: no padding in theirs either
    assert isinstance(got, list) and len(got) == 3
    for g, w in zip(got, want):
        assert set(g) <= set(w) and {"input_ids", "attention_mask", "token_embeddings", "sentence_embedding"} <= set(g)
        assert g["input_ids"].tolist() == w["input_ids"].tolist()
        assert g["attention_mask"].tolist() == w["attention_mask"].tolist()
        assert g["token_embeddings"].shape == w["token_embeddings"].shape
        assert g["sentence_embedding"].shape == w["sentence_embedding"].shape
    assert np.array_equal(np.stack([g["sentence_embedding"].numpy() for g in got]), kit.encode(WORDS[:3]))
    assert isinstance(kit.encode(WORDS[0], output_value=None), dict)


def test_tensor_and_list_forms(kit, st):
    torch = pytest.importorskip("torch")
    got, want = kit.encode(WORDS, convert_to_tensor=True), st.encode(WORDS, convert_to_tensor=True)
    assert isinstance(got, torch.Tensor) and got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got.numpy(), kit.encode(WORDS))
    rows, st_rows = kit.encode(WORDS, convert_to_numpy=False), st.encode(WORDS, convert_to_numpy=False)
    assert isinstance(rows, list) and len(rows) == len(st_rows)
    assert all(isinstance(r, torch.Tensor) and r.shape == s.shape for r, s in zip(rows, st_rows))


@pytest.mark.parametrize("precision", ["float32", "int8", "uint8", "binary", "ubinary"])
def test_precision_is_sentence_transformers_quantize_embeddings(kit, st, precision):
    from sentence_transformers.util.quantization import quantize_embeddings

    got = kit.encode(WORDS, precision=precision)
    want = quantize_embeddings(kit.encode(WORDS), precision=precision)
    assert got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)
    theirs = st.encode(WORDS, precision=precision)
    assert theirs.dtype == got.dtype and theirs.shape == got.shape
    if precision.endswith("int8"):  # ranges from a single embedding: refused by both
        with pytest.raises(ValueError, match="at least two sentences"):
            kit.encode(WORDS[0], precision=precision)
        with pytest.raises(ValueError):
            st.encode(WORDS[0], precision=precision)


@pytest.mark.parametrize("fn", ["cosine", "dot", "euclidean", "manhattan"])
def test_similarity_is_sentence_transformers(kit, st, fn):
    torch = pytest.importorskip("torch")
    a, b = kit.encode(WORDS[:5]), kit.encode(WORDS[3:])
    kit.similarity_fn_name = st.similarity_fn_name = fn
    try:
        got, want = kit.similarity(a, b), st.similarity(a, b)
        assert isinstance(got, torch.Tensor) and got.shape == want.shape == (5, len(WORDS) - 3)
        assert np.allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)
        assert np.allclose(kit.similarity(torch.from_numpy(a[0]), b).numpy(), want.numpy()[:1], rtol=1e-5, atol=1e-5)
    finally:
        kit.similarity_fn_name = st.similarity_fn_name = "cosine"


def test_dimension_sequence_length_and_progress_bar(kit, st, capsys):
    assert kit.get_sentence_embedding_dimension() == st.get_embedding_dimension() == 32
    assert kit.get_embedding_dimension() == 32
    assert kit.max_seq_length == 128  # the kit's MAX_TOKENS; the folder's own (160 positions) is longer
    kit.max_seq_length = 4
    try:
        with pytest.warns(UserWarning, match="truncated to 4"):
            t = kit.encode(WORDS[2], output_value="token_embeddings")
        assert t.shape[0] == 4
    finally:
        kit.max_seq_length = 128
    with pytest.raises(ValueError, match="max_seq_length: expected an integer from 2 to 128, got 129"):
        kit.max_seq_length = 129
    capsys.readouterr()
    kit.encode(WORDS)  # by default, as sentence-transformers: no bar unless logging is at INFO
    assert capsys.readouterr().err == ""
    kit.encode(WORDS, show_progress_bar=True)
    assert "sentence" in capsys.readouterr().err


@pytest.mark.parametrize("option, value, message", [
    ("prompt", "query: ", "prompt: not supported: the kit embeds the sentences as given"),
    ("prompt_name", "query", "prompt_name: not supported"),
    ("device", "cuda", "device: not supported: the kit runs on its backend"),
    ("pool", {}, "pool: not supported: spread batches with Encoder"),
    ("chunk_size", 4, "chunk_size: not supported"),
    ("output_value", "cls", "output_value: expected 'sentence_embedding', 'token_embeddings' or None"),
    ("precision", "int4", "precision: expected one of float32, int8, uint8, binary, ubinary, got 'int4'"),
    ("truncate_dim", 33, "truncate_dim: expected an integer from 1 to 32, got 33"),
    ("normalize_embeddings", "yes", "normalize_embeddings: expected True or False"),
])
def test_options_without_a_meaning_here_are_one_line(kit, option, value, message):
    with pytest.raises(ValueError, match=message) as e:
        kit.encode(WORDS[:2], **{option: value})
    assert "\n" not in str(e.value)


def test_without_torch_the_answers_are_numpy(kit, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(ValueError, match=r"^convert_to_tensor=True needs torch: python3 -m pip install torch$"):
        kit.encode(WORDS, convert_to_tensor=True)
    tokens = kit.encode(WORDS[:2], output_value="token_embeddings")
    assert all(type(t) is np.ndarray and t.dtype == np.float32 for t in tokens)
    rows = kit.encode(WORDS[:2], convert_to_numpy=False)
    assert all(type(r) is np.ndarray and r.shape == (32,) for r in rows)
    sim = kit.similarity(kit.encode(WORDS[:2]), kit.encode(WORDS[:3]))
    assert type(sim) is np.ndarray and sim.shape == (2, 3)
