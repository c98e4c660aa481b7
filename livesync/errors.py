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


def read_user_text(path: Path, what: str) -> str:
    """A text file the user named, or one InputError saying it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(path, f"is a folder, not a {what}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            path, f"cannot read the {what} ({exc.__class__.__name__}: {exc})"
        ) from None
