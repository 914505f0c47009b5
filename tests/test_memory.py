"""kg.memory: freed memory goes back to the system between build steps."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.memory import _malloc_trim, release_freed_memory


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux") or _malloc_trim() is None,
                    reason="glibc's malloc_trim only")
def test_a_released_store_lowers_the_resident_size() -> None:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"),
                         ox.Literal(f"value {i}")) for i in range(300_000))
    del store
    gc.collect()
    kept = resident_mb()  # glibc keeps the freed pages for the process
    release_freed_memory()
    assert resident_mb() < kept - 30
