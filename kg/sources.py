"""Stored source texts: the only files a `kg:textFile` value may lead to.

A `kg:textFile` value comes from data, and data may come from anyone (a contributor's Turtle
given to `kg validate`), so the value is checked before anything is opened: it must be a
relative path under `data/sources/` without `..`, and lead, once symbolic links are followed, to
a regular file inside `data/sources/` (not a directory, a device, a FIFO or a socket). Every
reader of `kg:textFile` goes through `read_source`: the evidence check of `kg build` and
`kg validate`, `kg locate` and `kg anchor`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from kg.errors import KgError
from kg.files import decode_utf8

SOURCES = PurePosixPath("data", "sources")


class RefusedSource(KgError):
    """A kg:textFile value that is not a stored text of the project; nothing was read."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def source_path(root: Path, text_file: str) -> Path:
    """The file `text_file` names under `root`, resolved; RefusedSource saying why it cannot be
    a stored text otherwise. Nothing is opened."""
    def refuse(reason: str) -> RefusedSource:
        return RefusedSource(f'kg:textFile "{text_file}" refused: {reason}; a stored text is a '
                             f"file under {SOURCES}/, named relative to the repository root")

    if any(ch == "\x00" or ch == "\\" for ch in text_file):
        raise refuse("it contains a NUL character or a backslash")
    path = PurePosixPath(text_file)
    if path.is_absolute():
        raise refuse("an absolute path")
    if ".." in path.parts:
        raise refuse('it contains ".."')
    if len(path.parts) <= len(SOURCES.parts) or not path.is_relative_to(SOURCES):
        raise refuse(f"not under {SOURCES}/")
    folder = (root / SOURCES).resolve()
    try:
        target = (root / path).resolve(strict=True)
    except FileNotFoundError:
        raise RefusedSource(f"{text_file}: no such file") from None
    except (OSError, RuntimeError):  # a loop of symbolic links (RuntimeError on 3.11)
        raise refuse("a loop of symbolic links") from None
    if not target.is_relative_to(folder):
        raise refuse(f"a symbolic link that leads out of {SOURCES}/")
    mode = target.stat().st_mode
    if not stat.S_ISREG(mode):
        raise refuse(_kind(mode))
    return target


def read_source(root: Path, text_file: str) -> str:
    """The stored text that `text_file` (a kg:textFile value) names, exactly as stored.

    RefusedSource if the value does not lead to a regular file in data/sources/ (see
    `source_path`); KgError for a file that cannot be read or is not UTF-8. The file is opened
    without following a link and without blocking, and checked again once open, so that a file
    swapped after the check is not read either.
    """
    path = source_path(root, text_file)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise KgError(f"{text_file}: cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedSource(f'kg:textFile "{text_file}" refused: {_kind(mode)}')
        data = handle.read()
    return decode_utf8(data, text_file)
