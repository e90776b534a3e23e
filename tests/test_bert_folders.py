"""Any BERT folder embeds: vocab.txt without tokenizer.json (tokenized as transformers' own
BertTokenizer does, in the folder's casing), pooling by CLS, mean or max (sentence-transformers'
current ``pooling_mode`` and its older flags), with and without Normalize, each compared with
sentence-transformers on the same folder where it is installed. A folder that is not a BERT the kit
can run is refused in one line naming what is wrong."""

import json

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.encoder import Encoder, Pooling  # noqa: E402
from host.model.tokenize import Tokenizer  # noqa: E402

from .test_encoder import CACHE, WORDS  # noqa: E402
from .test_st_dropin import TINY_COSINE, cosine  # noqa: E402
from .tiny_bert import st_modules, vocab_only, write_checkpoint  # noqa: E402

MIXED = ["The Cat sat on the mats, très big!", "the cat", "A DOG ran to the river."]


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = tmp_path / "tiny"
    folder.mkdir()
    return write_checkpoint(folder)


def sentence_transformers_of(folder):
    st = pytest.importorskip("sentence_transformers")
    return st.SentenceTransformer(str(folder), device="cpu")


@pytest.mark.parametrize("lower", [True, False])
def test_vocab_txt_alone_tokenizes_as_transformers_bert_tokenizer(tiny, lower):
    vocab_only(tiny, lower)
    ids = [Tokenizer(tiny).encode(s) for s in MIXED]
    assert ids[0][:1] == [2] and ids[0][-1] == 3 and ids[0][6:8] == [10, 20]  # [CLS] ... mat ##s ... [SEP]
    if lower:  # "The Cat" is "the cat", "DOG" is "dog"
        assert ids[0][1:3] == [4, 6] and ids[2][2] == 7
    else:  # cased: "The" and "Cat" are words of their own, "DOG" is unknown
        assert ids[0][1:3] == [21, 22] and ids[2][2] == 1
    transformers = pytest.importorskip("transformers")
    theirs = transformers.AutoTokenizer.from_pretrained(str(tiny))
    assert ids == [theirs(s)["input_ids"] for s in MIXED]
    with Encoder(tiny, "golden", calibration=16) as enc:
        assert enc.encode(MIXED).shape == (3, 32)


@pytest.mark.parametrize("mode, normalize, legacy", [("cls", True, False), ("max", False, False),
                                                     ("max", True, True), ("mean", True, True), ("cls", False, True)])
def test_pooling_modes_embed_as_sentence_transformers_does(tiny, mode, normalize, legacy):
    st_modules(tiny, mode, normalize, legacy)
    assert Pooling.of_checkpoint(tiny) == Pooling(mode, normalize)
    with Encoder(tiny, "golden", calibration=16) as enc:
        got = enc.encode(WORDS)
        tokens = enc.encode(WORDS, output_value="token_embeddings", convert_to_tensor=False)
    pooled = [np.asarray(t, np.float64)[0] if mode == "cls" else np.asarray(t, np.float64).max(0) if mode == "max"
              else np.asarray(t, np.float64).mean(0) for t in tokens]
    if normalize:
        pooled = [p / np.linalg.norm(p) for p in pooled]
    assert np.allclose(got, np.float32(pooled), atol=1e-6)
    assert np.allclose(np.linalg.norm(got, axis=1), 1, atol=1e-6) == normalize
    want = sentence_transformers_of(tiny).encode(WORDS)
    assert np.all(cosine(got, want) > TINY_COSINE)
    if normalize:
        assert np.allclose(np.linalg.norm(want, axis=1), 1, atol=1e-6)


def one_line(tiny, match):
    with pytest.raises(ValueError, match=match) as e:
        Encoder(tiny, "golden", calibration=16)
    assert "\n" not in str(e.value)


def test_a_folder_that_is_not_a_bert_is_one_line(tiny):
    cfg = json.loads((tiny / "config.json").read_text())
    (tiny / "config.json").write_text(json.dumps({**cfg, "model_type": "roberta"}))
    one_line(tiny, r"config.json: unsupported architecture model_type='roberta', expected 'bert'")
    (tiny / "config.json").write_text(json.dumps(cfg))
    (tiny / "model.safetensors").unlink()
    one_line(tiny, "no model.safetensors")


def test_a_missing_weight_or_tokenizer_or_module_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    (tmp_path / "a").mkdir()
    one_line(write_checkpoint(tmp_path / "a", drop="encoder.layer.1.output.dense.weight"),
             "missing tensor 'encoder.layer.1.output.dense.weight'")
    (tmp_path / "b").mkdir()
    folder = write_checkpoint(tmp_path / "b")
    (folder / "tokenizer.json").unlink()
    one_line(folder, "no tokenizer.json or vocab.txt")
    (folder / "vocab.txt").write_text("the\ncat\n")
    one_line(folder, r"vocab.txt: no \[CLS\], \[SEP\], \[UNK\] in the vocabulary")
    (folder / "vocab.txt").write_text("\n".join(["[CLS]", "[SEP]", "[UNK]"] + [f"w{i}" for i in range(40)]))
    one_line(folder, r"vocab.txt: 43 tokens, but the model's vocab_size is 23")
    vocab_only(write_checkpoint(folder))
    st_modules(folder, "weightedmean", False)
    one_line(folder, "the kit pools by exactly one of mean, cls or max")
    modules = json.loads((folder / "modules.json").read_text())
    modules.append({"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    st_modules(folder, "mean", False)
    (folder / "modules.json").write_text(json.dumps(modules))
    one_line(folder, "module Dense is not supported")
