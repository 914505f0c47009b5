"""Progress of long work on stderr: each step of `kg build` as it runs, with what it counted.

`kg build` tells a StepObserver when a step starts and ends (kg.build). `StepPrinter` writes
one line per finished step, e.g. `kg build: rules       0.01 s  337 derived triples`:

- on a terminal, at once, and the running step is shown on a line of its own that the finished
  step's line replaces (on a terminal that takes no cursor control, TERM=dumb, only the
  finished lines);
- on a pipe or a file, only once the work has taken DELAY seconds (the lines held until then
  are written first), so that a quick build in a script or a test stays silent; plain lines,
  no control characters.

Progress goes to stderr only: what a command writes to stdout or to its output files is the
same with or without it. `kg build --quiet` uses SILENT.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Protocol, TextIO

DELAY = 2.0  # seconds of work after which progress is shown on a pipe or a file
_CLEAR_LINE = "\r\x1b[K"  # carriage return, then erase to the end of the line


class StepObserver(Protocol):
    """Told of each step's start and end. `counts` maps a noun, in the singular, to how many of
    it the step found or made (e.g. {"derived triple": 337})."""

    def started(self, step: str) -> None: ...

    def finished(self, step: str, seconds: float, counts: Mapping[str, int]) -> None: ...

    def stopped(self, step: str) -> None:
        """The step ended by an exception (the error is reported by whoever catches it)."""
        ...


class _Silent:
    """Shows nothing (`--quiet`, and every caller that does not ask for progress)."""

    def started(self, step: str) -> None:
        pass

    def finished(self, step: str, seconds: float, counts: Mapping[str, int]) -> None:
        pass

    def stopped(self, step: str) -> None:
        pass


SILENT: StepObserver = _Silent()


def describe(counts: Mapping[str, int]) -> str:
    """`{"triple": 3411, "input": 1}` as `3,411 triples, 1 input`."""
    return ", ".join(f"{number:,} {noun}{'' if number == 1 else 's'}"
                     for noun, number in counts.items())


class StepPrinter:
    """Writes each step of `task` to `stream` (see the module docstring for when and how)."""

    def __init__(self, stream: TextIO, task: str = "kg build", delay: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.task = task
        self.delay = DELAY if delay is None else delay
        self.clock = clock
        self.began = clock()
        terminal = stream.isatty()
        self.showing = terminal
        self.live = terminal and os.environ.get("TERM", "") != "dumb"
        self.held: list[str] = []

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def started(self, step: str) -> None:
        if self.live:
            self._write(f"{_CLEAR_LINE}{self.task}: {step} ...")

    def finished(self, step: str, seconds: float, counts: Mapping[str, int]) -> None:
        line = f"{self.task}: {step:<9}{seconds:7.2f} s" + (f"  {describe(counts)}" if counts
                                                             else "")
        if not self.showing and self.clock() - self.began >= self.delay:
            self.showing = True
            self._write("".join(f"{held}\n" for held in self.held))
            self.held.clear()
        if self.showing:
            self._write(f"{_CLEAR_LINE if self.live else ''}{line}\n")
        else:
            self.held.append(line)

    def stopped(self, step: str) -> None:
        if self.live:
            self._write(_CLEAR_LINE)
