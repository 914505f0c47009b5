"""Giving freed memory back to the operating system between the build's steps.

glibc keeps the memory that Python and Oxigraph free for later allocations, so a step that
frees the dataset's store (a large share of the build's memory) does not lower the process's
resident size, and the next step's own data (pyshacl-turbo's copy of the graph, the on-disk
store's loader) comes on top. `malloc_trim` hands the free pages back. Elsewhere than on glibc
this is a no-op: the figures are then those of the platform's allocator.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_freed_memory() -> None:
    """Collect garbage, then return free heap pages to the system (glibc only)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
