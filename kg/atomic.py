"""Atomic file output: a reader sees the old file or the whole new one, never a half-written one."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

from kg.errors import KgError


def fsync_dir(path: Path) -> None:
    """Flush a directory entry to disk, so that a rename into it survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def umask() -> int:
    """The process's umask (which the system gives only by setting a new one)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path: Path) -> Iterator[TextIO]:
    """Open `path` for writing UTF-8 text; on a clean exit it replaces the old file in one step.

    The temporary file lives in the same directory so that `os.replace` is a rename on one
    file system. On an exception the temporary file is removed and `path` is left untouched.
    The folder must exist (KgError otherwise: a mistyped folder is not created). The file gets
    the mode of the file it replaces, or for a new file what the umask gives, as `open` would.
    """
    if not path.parent.is_dir():
        raise KgError(f"{path.parent}: no such folder (to write {path.name} in)")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~umask()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_file_set(
    target_dir: Path, names: Sequence[str], write: Callable[[Mapping[str, TextIO]], object]
) -> list[Path]:
    """Write several files as one set: `write` gets a UTF-8 text handle for each of `names`, all
    in a temporary directory (one writer for all, so that the files can share one pass over
    the data).

    Only when the writer has finished (and the files are synced) are they renamed into
    `target_dir`, so a failure leaves all previous files as they were. Returns the final paths
    in the order of `names`.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(prefix=".export-", dir=target_dir))
    try:
        with ExitStack() as stack:
            handles = {name: stack.enter_context(open(tmp_dir / name, "w", encoding="utf-8",
                                                      newline="\n"))
                       for name in names}
            write(handles)
            for handle in handles.values():
                handle.flush()
                os.fsync(handle.fileno())
        fsync_dir(tmp_dir)
        finals = []
        for name in names:
            final = target_dir / name
            os.replace(tmp_dir / name, final)
            finals.append(final)
        fsync_dir(target_dir)
        return finals
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
