"""Sentence -> token ids with the checkpoint's own tokenizer, unpadded, at most MAX_TOKENS.

A folder's ``tokenizer.json`` is used as it is. A folder with only ``vocab.txt`` (as many published
BERT folders are) gets the ``tokenizers`` library's BERT WordPiece over that vocabulary, with the
casing, accent stripping and CJK splitting its ``tokenizer_config.json`` states (BERT's defaults
where it says nothing: lower-cased, accents stripped with the lower-casing)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

#: The longest sequence the kit runs: the accelerator's softmax rows and mm's M are sized for it.
MAX_TOKENS = 128

#: The tokens a BERT input is built of: the vocabulary must hold them.
SPECIAL = ("[CLS]", "[SEP]", "[UNK]")


def _settings(folder: Path) -> dict:
    """The WordPiece options of ``tokenizer_config.json`` (BERT's defaults when it is absent)."""
    path = folder / "tokenizer_config.json"
    cfg = {}
    if path.is_file():
        try:
            cfg = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: not valid JSON ({e})") from None
        if not isinstance(cfg, dict):
            raise ValueError(f"{path}: expected a JSON object")
    lower = cfg.get("do_lower_case", True)
    strip = cfg.get("strip_accents")
    chinese = cfg.get("tokenize_chinese_chars", True)
    for key, value in (("do_lower_case", lower), ("strip_accents", strip), ("tokenize_chinese_chars", chinese)):
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"{path}: {key} must be true, false or null, got {value!r}")
    return {"lowercase": lower, "strip_accents": strip, "handle_chinese_chars": chinese,
            **{k: cfg[k] for k in ("unk_token", "cls_token", "sep_token") if isinstance(cfg.get(k), str)}}


class Tokenizer:
    """The checkpoint's WordPiece tokenizer with padding off (the shipped tokenizer.json pads every
    sequence to 128, which would make mean pooling and attention see [PAD] tokens)."""

    def __init__(self, folder: str | Path):
        from tokenizers import Tokenizer as HFTokenizer

        folder = Path(folder)
        path, vocab = folder / "tokenizer.json", folder / "vocab.txt"
        if path.is_file():
            try:
                self._tok = HFTokenizer.from_file(str(path))
            except Exception as e:  # noqa: BLE001  (tokenizers raises its own exception type)
                raise ValueError(f"{path}: not a tokenizers file ({str(e).splitlines()[0]})") from None
        elif vocab.is_file():
            self._tok = self._from_vocab(folder, vocab)
        else:
            raise ValueError(f"{folder}: no tokenizer.json or vocab.txt (expected a BERT tokenizer)")
        self._tok.no_padding()
        self._tok.no_truncation()
        self.source = path if path.is_file() else vocab

    @staticmethod
    def _from_vocab(folder: Path, vocab: Path):
        from tokenizers.implementations import BertWordPieceTokenizer

        settings = _settings(folder)
        try:
            words = vocab.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as e:
            raise ValueError(f"{vocab}: not UTF-8 text ({e})") from None
        names = {"[UNK]": settings.pop("unk_token", "[UNK]"), "[CLS]": settings.pop("cls_token", "[CLS]"),
                 "[SEP]": settings.pop("sep_token", "[SEP]")}
        missing = [names[s] for s in SPECIAL if names[s] not in words]
        if missing:
            raise ValueError(f"{vocab}: no {', '.join(missing)} in the vocabulary (expected a BERT WordPiece vocabulary)")
        tok = BertWordPieceTokenizer(str(vocab), unk_token=names["[UNK]"], cls_token=names["[CLS]"],
                                     sep_token=names["[SEP]"], **settings)
        return tok._tokenizer  # the plain tokenizers.Tokenizer under the implementation wrapper

    @property
    def vocab_size(self) -> int:
        return self._tok.get_vocab_size()

    def unk_id(self) -> int | None:
        """The id of [UNK], or None when the vocabulary has none."""
        return self._tok.token_to_id("[UNK]")

    def encode(self, sentence: str, max_length: int = MAX_TOKENS) -> list[int]:
        """Token ids, [CLS] ... [SEP]; longer than ``max_length`` (at most MAX_TOKENS): truncated
        (keeping [SEP]) with a warning."""
        if not isinstance(sentence, str):
            raise TypeError(f"sentence: expected str, got {type(sentence).__name__}")
        ids = self._tok.encode(sentence).ids
        if len(ids) > max_length:
            warnings.warn(f"sentence of {len(ids)} tokens truncated to {max_length}", stacklevel=2)
            ids = ids[: max_length - 1] + ids[-1:]
        return ids
