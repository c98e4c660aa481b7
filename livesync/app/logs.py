"""Console logging for the command line: one plain line per event on stderr.

A performer watches the console during a show, so applied actions and milestones are INFO
lines without timestamps or module paths; library users configure logging themselves.
"""

from __future__ import annotations

import logging
import sys

from livesync.quiet import write_console


class ConsoleHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Lines to stderr; while a C library's chatter is being kept off descriptor 2 (on any
    thread: livesync.quiet), to the real console, so no INFO line is lost to the capture."""

    def emit(self, record: logging.LogRecord) -> None:
        if not self._on_descriptor_2():
            super().emit(record)
            return
        try:
            line = self.format(record) + self.terminator
            write_console(line, lambda: super(ConsoleHandler, self).emit(record))
        except Exception:
            self.handleError(record)

    def _on_descriptor_2(self) -> bool:
        try:
            return bool(self.stream.fileno() == 2)
        except (AttributeError, OSError, ValueError):  # a test's capture, a closed stream
            return False


def configure(verbose: bool = False) -> None:
    handler = ConsoleHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("livesync: %(message)s"))
    root = logging.getLogger("livesync")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    # Some libraries (python-osc) warn on the root logger for every bad packet; a flood of
    # garbage must not flood the performer's console: they are counted and logged at debug.
    logging.getLogger().addHandler(logging.NullHandler())


class Throttle:
    """Lets through at most `burst` lines in each `window` seconds of the injected time, and
    counts the rest, so a flood of control messages is a few lines and a count, not one INFO
    line each (300,000 lines in 30 s of OSC flood would bury everything else)."""

    def __init__(self, burst: int = 20, window: float = 1.0) -> None:
        self.burst, self.window = burst, window
        self._start: float | None = None
        self._shown = 0
        self.dropped = 0

    def allow(self, now: float) -> bool:
        if self._start is None or now - self._start >= self.window:
            self._start, self._shown = now, 0
        self._shown += 1
        if self._shown <= self.burst:
            return True
        self.dropped += 1
        return False

    def summary(self, now: float) -> str | None:
        """Once the window with dropped lines has passed: one line saying how many (call it
        before the next lines, so the count comes in order)."""
        if not self.dropped or self._start is None or now - self._start < self.window:
            return None
        line = f"... and {self.dropped} more control messages applied (not each logged)"
        self.dropped = 0
        return line
