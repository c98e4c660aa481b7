"""The one error type the CLI turns into a single clear line and exit status 2, and the one
place that reads the text files a user names.

Every bad input a user can hand us (a malformed timeline, a missing audio file, a broken
show file) is raised as `InputError`, which names the file and the problem, so the command
line can print exactly one line instead of a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1024 * 1024

# The largest file of each kind livesync reads (README: "Size limits"). Far above any real
# file, far below what exhausts memory: /dev/zero or a runaway export is refused at once.
SIZE_LIMITS = {
    "timing file": 64 * MB,  # a timeline of a very long song is a few MB
    "landmark file": 256 * MB,  # RunwayML JSON of a 30 fps video: about 4 MB a minute
    "show file": 1 * MB,
    "shader file": 4 * MB,
    "lyrics file": 4 * MB,
    "MIDI mapping": 1 * MB,
    "controller preset": 1 * MB,
}
DEFAULT_LIMIT = 64 * MB


class InputError(Exception):
    """A problem with something the user gave us, named by its file (and key or line)."""

    def __init__(self, source: str | Path | None, problem: str) -> None:
        self.source = str(source) if source is not None else None
        self.problem = problem
        super().__init__(f"{self.source}: {problem}" if self.source else problem)


class DeviceError(Exception):
    """A piece of hardware (sound card, display) is missing; the message says what to do."""


def one_line(exc: BaseException) -> str:
    """A library's exception as one line of a message (PortAudio's span several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def read_user_text(path: Path, what: str, limit: int | None = None) -> str:
    """A text file the user named, or one InputError saying why it cannot be read.

    UTF-8 (with or without a BOM), or UTF-16 with its BOM (Praat saves TextGrids holding IPA
    as UTF-16, Windows editors save "Unicode" text so). Only a regular file up to `limit`
    bytes (by default the limit of its kind, `SIZE_LIMITS[what]`) is read: a device, a FIFO
    or a folder is refused without blocking, a larger file without reading it.
    """
    data = read_user_bytes(path, what, limit)
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"cannot read the {what} (not UTF-8 text: {exc.reason})") from None


def check_user_file(path: Path, what: str) -> None:
    """That `path` is a regular file that can be opened, or one InputError, without blocking
    or reading it: for files a library reads itself (audio, pictures), which would wait
    forever on a FIFO or read a device without end."""
    fd = _open_regular(path, what)
    os.close(fd)


def read_user_bytes(path: Path, what: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or one InputError."""
    limit = SIZE_LIMITS.get(what, DEFAULT_LIMIT) if limit is None else limit
    fd = _open_regular(path, what)
    try:
        st = os.fstat(fd)
        if st.st_size > limit:
            raise InputError(path, _too_big(what, limit))
        data = _read(fd, limit + 1)  # the file may have grown since
    except OSError as exc:
        raise InputError(path, f"cannot read the {what} ({_why(exc)})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(path, _too_big(what, limit))
    return data


def _open_regular(path: Path, what: str) -> int:
    """An open descriptor of a regular file, or one InputError (the descriptor is closed)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(path, f"is a folder, not a {what}") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the {what} ({_why(exc)})") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise InputError(path, f"cannot read the {what} ({_why(exc)})") from None
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise InputError(path, f"is a folder, not a {what}")
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(path, f"is {_kind(mode)}, not a {what} (livesync reads files only)")
    return fd


def _read(fd: int, most: int) -> bytes:
    chunks: list[bytes] = []
    while most > 0 and (chunk := os.read(fd, min(most, 1 << 20))):
        chunks.append(chunk)
        most -= len(chunk)
    return b"".join(chunks)


def _too_big(what: str, limit: int) -> str:
    return f"is too large for a {what} (the limit is {limit // MB} MB)"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def _why(exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{exc.__class__.__name__}: {exc}"
