"""Build generations: every output of one build in one folder, switched in by one rename.

    build/generations/<name>/      one build: geokg.ttl, geokg.nt..., store/, labels.sqlite,
                                   geokg.stamp.json, and .parts/ (kg.parse_cache), which
                                   is not linked into build/
    build/current                  -> generations/<name>, the generation in force
    build/geokg.ttl, geokg.nt, store, geokg.stamp.json
                                   -> current/<the same name>: the documented paths

A build writes a new generation, then replaces the `current` link by renaming a new link over it:
whoever follows `current` finds the previous generation or the new one, whole, never a mix
(a build killed half-way leaves `current` as it was). The documented paths are links through
`current`, so a file opened by one of them is always one generation's.

A directory (the store) is opened file by file, so its readers first resolve `current` to a
generation (`open_current`) and hold a shared lock (flock) on that generation's folder while
they use it. A build removes, after switching, every generation that is not current and that no
reader holds: the previous ones, and the leftovers of builds that were killed. A reader that
finds its generation removed between reading `current` and locking it reads `current` again,
once. Writers take an exclusive lock on `build/generations/` itself, so builds run one at a time
from the first write to the clean-up.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from kg.atomic import fsync_dir, umask
from kg.errors import KgError

GENERATIONS = "generations"
CURRENT = "current"
_LEFTOVERS = ("store.tmp-*", "store.old-*", ".export-*", ".*.tmp")  # of killed writes


def _open_dir(path: Path) -> int:
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


class Generation:
    """A generation held open for reading: `path` stays on disk until `close` (or the end of
    the process), whatever builds run meanwhile."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def current_path(build_dir: Path) -> Path | None:
    """The generation `build/current` leads to, or None when there is none."""
    try:
        target = os.readlink(build_dir / CURRENT)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # `current` is not a link: not a folder kg build wrote
        raise KgError(f"{build_dir / CURRENT}: {exc.strerror or exc}; remove build/ and run "
                      "kg build again") from None
    return build_dir / target


def open_current(build_dir: Path) -> Generation | None:
    """The current generation, locked for reading; None when nothing was built yet.

    Between reading `current` and locking the folder it names, a build may have switched to a
    newer generation and removed that one: then `current` is read again (once; twice in a row
    would take two builds finishing within microseconds).
    """
    for _attempt in range(2):
        path = current_path(build_dir)
        if path is None:
            return None
        try:
            fd = _open_dir(path)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a build removes it
        if os.fstat(fd).st_nlink > 0:  # still there (a removed folder has no links left)
            return Generation(path, fd)
        os.close(fd)
    raise KgError(f"{build_dir}: rebuilt twice while being opened; try again")


@contextmanager
def _writer_lock(folder: Path) -> Iterator[None]:
    fd = _open_dir(folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another build writing: wait for it
        yield
    finally:
        os.close(fd)


def _replace_by_link(path: Path, target: str) -> None:
    """Make `path` a symbolic link to `target`, in one rename (a folder left by an older kg is
    moved into the generations first, to be removed with them)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        os.rename(path, tempfile.mkdtemp(prefix="legacy-", dir=path.parent / GENERATIONS))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _link_outputs(build_dir: Path, generation: Path) -> None:
    """`build/<name>` -> `current/<name>` for each output of `generation`; links of outputs it
    no longer has are removed."""
    names = {entry.name for entry in generation.iterdir() if not entry.name.startswith(".")}
    for name in sorted(names):
        _replace_by_link(build_dir / name, f"{CURRENT}/{name}")
    for entry in build_dir.iterdir():
        if (entry.is_symlink() and os.readlink(entry).startswith(f"{CURRENT}/")
                and entry.name not in names):
            entry.unlink()


def _remove_unused(build_dir: Path, keep: Path) -> None:
    """Remove the generations other than `keep` that no reader holds, and what killed builds of
    older versions left in build/."""
    for entry in (build_dir / GENERATIONS).iterdir():
        if entry == keep or not entry.is_dir() or entry.is_symlink():
            continue
        fd = _open_dir(entry)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)  # a reader holds it: a later build removes it
            continue
        try:
            shutil.rmtree(entry, ignore_errors=True)
        finally:
            os.close(fd)
    for pattern in _LEFTOVERS:
        for leftover in build_dir.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


@contextmanager
def new_generation(build_dir: Path) -> Iterator[Path]:
    """A new, empty generation folder to write the outputs of a build into.

    When the block ends normally, the generation becomes current (one rename), the documented
    paths lead to its outputs, and unused generations are removed. When it raises, the folder
    is removed and `build/` is as it was.
    """
    folder = build_dir / GENERATIONS
    folder.mkdir(parents=True, exist_ok=True)
    with _writer_lock(folder):
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        generation = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=folder))
        generation.chmod(0o777 & ~umask())  # mkdtemp makes it private; outputs are not
        try:
            yield generation
            fsync_dir(generation)
            _replace_by_link(build_dir / CURRENT, f"{GENERATIONS}/{generation.name}")
            fsync_dir(build_dir)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _link_outputs(build_dir, generation)
        fsync_dir(build_dir)
        _remove_unused(build_dir, generation)
