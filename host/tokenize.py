"""Sentence -> token ids with the checkpoint's own tokenizer.json, unpadded, at most MAX_TOKENS."""

from __future__ import annotations

import warnings
from pathlib import Path

#: The longest sequence the kit runs: the accelerator's softmax rows and mm's M are sized for it.
MAX_TOKENS = 128


class Tokenizer:
    """The checkpoint's WordPiece tokenizer with padding off (the shipped tokenizer.json pads every
    sequence to 128, which would make mean pooling and attention see [PAD] tokens)."""

    def __init__(self, folder: str | Path):
        from tokenizers import Tokenizer as HFTokenizer

        path = Path(folder) / "tokenizer.json"
        if not path.is_file():
            raise ValueError(f"{folder}: no tokenizer.json")
        self._tok = HFTokenizer.from_file(str(path))
        self._tok.no_padding()
        self._tok.no_truncation()

    def unk_id(self) -> int | None:
        """The id of [UNK], or None when the vocabulary has none."""
        return self._tok.token_to_id("[UNK]")

    def encode(self, sentence: str) -> list[int]:
        """Token ids, [CLS] ... [SEP]; longer than MAX_TOKENS: truncated (keeping [SEP]) with a warning."""
        if not isinstance(sentence, str):
            raise TypeError(f"sentence: expected str, got {type(sentence).__name__}")
        ids = self._tok.encode(sentence).ids
        if len(ids) > MAX_TOKENS:
            warnings.warn(f"sentence of {len(ids)} tokens truncated to {MAX_TOKENS}", stacklevel=2)
            ids = ids[: MAX_TOKENS - 1] + ids[-1:]
        return ids
