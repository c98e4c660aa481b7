"""A plain terminal progress bar for long jobs (render, align): no dependency needed."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    """Redraws one line on a terminal; prints a line every 10% when output is a log file."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self._tty = self.stream.isatty()
        self._last_decile = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        if self._tty:
            filled = int(fraction * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done >= total else ""
            self.stream.write(f"\r{self.label} [{bar}] {done}/{total}{end}")
            self.stream.flush()
        elif int(fraction * 10) > self._last_decile:
            self._last_decile = int(fraction * 10)
            self.stream.write(f"{self.label}: {done}/{total} ({fraction:.0%})\n")
            self.stream.flush()
