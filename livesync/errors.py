"""The one error type the CLI turns into a single clear line and exit status 2.

Every bad input a user can hand us (a malformed timeline, a missing audio file, a broken
show file) is raised as `InputError`, which names the file and the problem, so the command
line can print exactly one line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem with something the user gave us, named by its file (and key or line)."""

    def __init__(self, source: str | Path | None, problem: str) -> None:
        self.source = str(source) if source is not None else None
        self.problem = problem
        super().__init__(f"{self.source}: {problem}" if self.source else problem)


class DeviceError(Exception):
    """A piece of hardware (sound card, display) is missing; the message says what to do."""
