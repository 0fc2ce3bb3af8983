"""Progress of a batch: a bar redrawn in place on a terminal, one plain line per corpus otherwise."""
from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]

WIDTH = 30


class Progress:
    """Counts corpora done, skipped and failed, and shows them as they finish."""

    def __init__(self, total: int, stream: TextIO | None = None, *, bar: bool | None = None):
        self.stream = stream or sys.stdout
        self.bar = self.stream.isatty() if bar is None else bar
        self.total, self.done, self.failed, self.skipped = total, 0, 0, 0
        self.started = time.perf_counter()

    def say(self, line: str) -> None:
        """A line of its own (above the bar on a terminal)."""
        if self.bar:
            self.stream.write("\r\033[K")
        self.stream.write(line + "\n")
        self._draw()

    def skip(self, name: str) -> None:
        self.skipped += 1
        self._step(f"{name}: unchanged, skipped")

    def ok(self, name: str, findings: int, seconds: float) -> None:
        self._step(f"{name}: {findings} findings ({seconds:.1f} s)")

    def fail(self, name: str, error: str) -> None:
        self.failed += 1
        self._step(f"{name}: FAILED {error}", always=True)

    def _step(self, line: str, always: bool = False) -> None:
        self.done += 1
        if self.bar:
            if always:
                self.say(line)
            else:
                self._draw()
        else:
            self.stream.write(f"[{self.done}/{self.total}] {line}\n")
            self.stream.flush()

    def _draw(self) -> None:
        if not self.bar:
            self.stream.flush()
            return
        filled = int(WIDTH * self.done / max(1, self.total))
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} corpora"
                          f"{f', {self.failed} failed' if self.failed else ''} ({elapsed:.0f} s)")
        self.stream.flush()

    def close(self) -> None:
        if self.bar:
            self.stream.write("\n")
            self.stream.flush()
