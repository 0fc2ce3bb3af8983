"""Sentence embeddings from WordLlama: static 256-dimension token vectors shipped inside the package.

Loaded once, offline (downloads disabled: the weights and tokenizer are files of the wheel).
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np

__all__ = ["load", "MODEL"]

MODEL = "wordllama l2_supercat 256"


@lru_cache(maxsize=1)
def load() -> Callable[[list[str]], "np.ndarray"] | None:
    """A function from texts to unit-length row vectors, or None (with a warning) if wordllama is missing."""
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        warnings.warn("wordllama is not installed: sentence alignment uses lexical similarity only")
        return None
    home = Path(wordllama.__file__).parent
    # The files of the wheel, read directly: WordLlama.load looks for the tokenizer in a folder the
    # wheel does not have and would try to download it.
    tokenizer = Tokenizer.from_file(str(home / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(home / "weights" / "l2_supercat_256.safetensors"), framework="np", device="cpu") as f:
        weights = f.get_tensor("embedding.weight")
    model = WordLlamaInference(weights, tokenizer, binary=False)

    def embed(texts: list[str]) -> "np.ndarray":
        import numpy as np

        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return np.asarray(model.embed(texts, norm=True), dtype=np.float32)

    return embed
