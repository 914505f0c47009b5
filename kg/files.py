"""The project's files by name: repository-relative names for messages, exact UTF-8 text.

Without RDF libraries, so that commands which only name or read files (`kg query` reading a
query file) do not import them.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError

BYTE_ORDER_MARK = "\ufeff"


def real_path(path: Path) -> Path:
    """`path` with symbolic links resolved; made absolute only, when they loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links (Python 3.11)
        return path.absolute()


def rel_path(path: Path, root: Path | None) -> str:
    """`path` relative to `root` in POSIX form when it lies inside it, else the path as given."""
    if root is not None:
        try:
            return real_path(path).relative_to(real_path(root)).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def decode_utf8(data: bytes, name: str) -> str:
    """`data` decoded as UTF-8 exactly; KgError naming `name` and the line otherwise.

    A byte-order mark is refused: it is not part of Turtle, SPARQL or a stored text, and an
    editor that writes one hides it, so the parser's message would name an invisible character.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KgError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if text.startswith(BYTE_ORDER_MARK):
        raise KgError(f"{name}:1: a byte-order mark (U+FEFF) at the start of the file: save it "
                      "as UTF-8 without a byte-order mark")
    return text


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """Read a file's bytes; KgError naming the file otherwise."""
    name = rel_path(path, root)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KgError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise KgError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise KgError(f"{name}: cannot read: {exc.strerror or exc}") from None


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a UTF-8 file exactly (no newline translation); KgError naming the file otherwise."""
    return decode_utf8(read_bytes(path, root), rel_path(path, root))
