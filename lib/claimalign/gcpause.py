"""Pause Python's cyclic garbage collector around bulk work that creates many objects and no cycles.

With hundreds of thousands of claims alive, every full collection rescans them all, which makes
a linear pipeline grow faster than linearly; reference counting still frees memory meanwhile.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, restoring its previous state after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
