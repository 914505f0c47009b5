"""The project's files by name: repository-relative names for messages, exact UTF-8 text.

Without RDF libraries, so that commands which only name or read files (`kg query` reading a
query file) do not import them.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError


def rel_path(path: Path, root: Path | None) -> str:
    """`path` relative to `root` in POSIX form when it lies inside it, else the path as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def decode_utf8(data: bytes, name: str) -> str:
    """`data` decoded as UTF-8 exactly; KgError naming `name` and the line otherwise."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KgError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 file exactly (no newline translation); KgError naming the file otherwise."""
    name = rel_path(path, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KgError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise KgError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise KgError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return decode_utf8(data, name)
