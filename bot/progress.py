"""A progress bar on stderr for long command-line work (import, export, replay)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from handlers import texts

WIDTH = 24


class Progress:
    """Redraw one line on a terminal; elsewhere (logs, CI) print a line every tenth of the way.

    Use as a context manager: `with Progress(total, "export") as bar: ... bar.advance(n)`.
    """

    def __init__(self, total: int, kind: str, stream: TextIO | None = None,
                 interval: float = 0.1):
        self.total = max(0, total)
        self.label = texts.PROGRESS_LABELS.get(kind, kind)
        self.stream = stream or sys.stderr
        self.done = 0
        self.interval = interval
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn_at = 0.0
        self._tenth = -1

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        elif self._tty:
            self.stream.write("\n")  # leave the bar where it stopped; the error follows

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def close(self) -> None:
        self.done = min(self.done, self.total) if self.total else self.done
        self._draw(force=True)
        if self._tty:
            self.stream.write("\n")
        self.stream.flush()

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = round(WIDTH * min(share, 1.0))
        return texts.PROGRESS_LINE.format(label=self.label,
                                          bar="[" + "#" * filled + "." * (WIDTH - filled) + "]",
                                          percent=100 * min(share, 1.0),
                                          done=f"{self.done:,}", total=f"{self.total:,}")

    def _draw(self, force: bool = False) -> None:
        if self._tty:
            moment = time.monotonic()
            if force or moment - self._drawn_at >= self.interval:
                self._drawn_at = moment
                self.stream.write("\r" + self.line())
                self.stream.flush()
            return
        tenth = int(10 * self.done / self.total) if self.total else 10
        if force and self._tenth == tenth:
            return
        if force or tenth > self._tenth:
            self._tenth = tenth
            self.stream.write(self.line() + "\n")
