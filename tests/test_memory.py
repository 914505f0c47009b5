"""kg.memory: freed memory goes back to the system between build steps."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.memory import _malloc_trim, release_freed_memory

pytestmark = pytest.mark.slow  # allocates and frees hundreds of MB to watch the resident size


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux") or _malloc_trim() is None,
                    reason="glibc's malloc_trim only")
def test_a_released_store_lowers_the_resident_size() -> None:
    """Whether glibc keeps the freed pages (it usually does) or hands some back by itself,
    after release_freed_memory the process is back near where it was before the store."""
    release_freed_memory()
    before = resident_mb()
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"),
                         ox.Literal(f"value {i}")) for i in range(300_000))
    assert resident_mb() > before + 80  # the store is large enough to tell
    del store
    gc.collect()
    release_freed_memory()
    assert resident_mb() < before + 40
