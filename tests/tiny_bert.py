"""A tiny synthetic HuggingFace BERT checkpoint (random weights, a 24-word WordPiece vocabulary),
written to a folder for the host tests: loads in milliseconds, exercises every code path of the
real one."""

import json

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer as HFTokenizer
from tokenizers import models, pre_tokenizers, processors

WORDS = "the a cat dog sat on mat ran fast slow red blue big small house tree river sun moon".split()
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + WORDS
D, H, F, L, P = 32, 4, 64, 2, 160


def write_checkpoint(folder, drop=None, config=None, reshape=None):
    rng = np.random.default_rng(0)
    cfg = dict(model_type="bert", architectures=["BertModel"], hidden_size=D, num_attention_heads=H,
               num_hidden_layers=L, intermediate_size=F, vocab_size=len(VOCAB), max_position_embeddings=P,
               type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12, _name_or_path="tiny-bert")
    cfg.update(config or {})
    t = {"embeddings.word_embeddings.weight": rng.normal(0, 0.5, (len(VOCAB), D)),
         "embeddings.position_embeddings.weight": rng.normal(0, 0.1, (P, D)),
         "embeddings.token_type_embeddings.weight": rng.normal(0, 0.1, (2, D)),
         "embeddings.LayerNorm.weight": rng.uniform(0.8, 1.2, D), "embeddings.LayerNorm.bias": rng.normal(0, 0.1, D)}
    for i in range(L):
        p = f"encoder.layer.{i}"
        for name, (o, n) in {"attention.self.query": (D, D), "attention.self.key": (D, D),
                             "attention.self.value": (D, D), "attention.output.dense": (D, D),
                             "intermediate.dense": (F, D), "output.dense": (D, F)}.items():
            t[f"{p}.{name}.weight"] = rng.normal(0, 0.15, (o, n))
            t[f"{p}.{name}.bias"] = rng.normal(0, 0.02, o)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[f"{p}.{ln}.weight"] = rng.uniform(0.8, 1.2, D)
            t[f"{p}.{ln}.bias"] = rng.normal(0, 0.1, D)
    if drop:
        del t[drop]
    if reshape:
        t[reshape] = t[reshape][:-1]
    save_file({k: v.astype(np.float32) for k, v in t.items()}, str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(cfg))
    tok = HFTokenizer(models.WordPiece({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.enable_padding(length=16)  # like the shipped all-MiniLM tokenizer: the kit must turn it off
    tok.save(str(folder / "tokenizer.json"))
    return folder


def tiny_int_bert():
    """The tiny checkpoint quantized (host.model.bert.quantize on a few of its own sentences): an IntBert
    of two layers, D 32, 4 heads, F 64."""
    import tempfile
    from pathlib import Path

    from host.model import bert
    from host.model.checkpoint import load_checkpoint
    from host.model.tokenize import Tokenizer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_checkpoint(folder)
        model, tok = load_checkpoint(folder), Tokenizer(folder)
        calib = [tok.encode(s) for s in ("the cat sat on the mat", "a big dog ran fast", "the red sun and the blue moon")]
        return bert.quantize(model, calib)


def vocab_only(folder, lower=True):
    """The folder's tokenizer as many published BERT folders carry it: vocab.txt and
    tokenizer_config.json, no tokenizer.json."""
    (folder / "tokenizer.json").unlink()
    words = VOCAB[:-3] + ["##s", "The", "Cat"]  # "river sun moon" make way for a suffix and two cased words
    (folder / "vocab.txt").write_text("\n".join(words) + "\n")
    (folder / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": lower, "tokenizer_class": "BertTokenizer"}))
    return folder


def st_modules(folder, mode, normalize, legacy=False):
    """sentence-transformers' modules.json and pooling config: pooling by ``mode``, then Normalize
    or not. ``legacy``: the pooling_mode_* flags of sentence-transformers before 5."""
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
        (folder / "2_Normalize").mkdir(exist_ok=True)
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "1_Pooling").mkdir(exist_ok=True)
    if legacy:
        config = {"word_embedding_dimension": D, "pooling_mode_cls_token": mode == "cls",
                  "pooling_mode_mean_tokens": mode == "mean", "pooling_mode_max_tokens": mode == "max",
                  "pooling_mode_mean_sqrt_len_tokens": False}
    else:
        config = {"embedding_dimension": D, "pooling_mode": mode, "include_prompt": True}
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(config))
    return folder
