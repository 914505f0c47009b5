"""User-facing errors: the CLI prints them as `kg: error: <message>`, never as a traceback."""

from __future__ import annotations

EXIT_FAILURE = 1  # validation failed: the input is well-formed but wrong
EXIT_USAGE = 2  # bad usage or unreadable input


class KgError(Exception):
    """An error to report to the user as a message with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


_CONTROLS = {code: f"\\x{code:02x}" for code in range(0x20)} | {
    0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x7F: "\\x7f"}


def one_line(text: str) -> str:
    """`text` with control characters escaped (a newline as \\n): a library's message that quotes
    the input it choked on stays on the one line of `kg: error: ...`."""
    return text.translate(_CONTROLS)
