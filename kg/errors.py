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
