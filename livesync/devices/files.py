"""Edge: writing the files a user names with `-o`, so that no output is ever destroyed.

Every command that writes a file (import, export, align, landmarks, learn, snapshot, render)
goes through here. A regular file is written whole to a temporary file beside it, flushed to
the disk (fsync) and renamed over the old one: a full disk, a read-only place, Ctrl-C or a
SIGTERM leaves the old file exactly as it was and no half-written new one. Temporary names are
unique (two renders to the same file do not share one), start with a dot, and are removed on
every failure.

`-o` may also name something that is not a file. A symlink is written through (its target is
replaced, the link stays); a character device (/dev/null, /dev/full) or a FIFO is written into
as a stream, never replaced by a regular file; a folder, a block device or a socket is refused.
Every problem is one InputError naming the path, so the command line prints one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from livesync.errors import InputError

NAME_MAX = 255  # bytes in one file name on every file system livesync runs on
_CHUNK = 1 << 20

Kind = Literal["new", "file", "stream"]


@dataclass(frozen=True)
class Target:
    """Where the bytes for `-o PATH` really go: `path` is the file to replace (a symlink's
    target), or the device or FIFO to write into."""

    path: Path
    kind: Kind
    st: os.stat_result | None = None


def target_of(path: Path) -> Target:
    """What `path` is, following symlinks; InputError for what no one can write to (a
    folder, a block device, a socket, a name too long, a symlink loop)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        real = Path(os.path.realpath(path))  # a dangling symlink: its target is created
        try:
            _check_folder(path, real.parent)
        except InputError as exc:
            if os.path.islink(path):
                raise InputError(path, f"is a symlink to {real}: {exc.problem}") from None
            raise
        return Target(real, "new")
    except (OSError, ValueError) as exc:
        raise InputError(path, _unreachable(path, exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder; give the name of a file to write")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(path, "stream", st)
    if not stat.S_ISREG(mode):
        what = "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket"
        raise InputError(
            path, f"is {what}: livesync writes files, character devices and pipes only"
        )
    return Target(Path(os.path.realpath(path)), "file", st)


def check_output(path: Path, force: bool) -> None:
    """Before any work starts: can `path` be written, and may it be? An existing file needs
    `force`; a folder, a read-only file or a place nobody can write in is one InputError."""
    target = target_of(path)
    if target.kind == "stream":
        return  # a device or a FIFO holds nothing that writing could destroy
    if target.st is not None:
        if not force:
            raise InputError(path, "already exists; use --force to overwrite it")
        if not target.st.st_mode & 0o222:
            raise InputError(path, "is read-only; make it writable to overwrite it")
    _probe(path, target.path.parent)


def write_bytes(path: Path, data: bytes) -> None:
    """`data` as the whole content of `path`, all or nothing (see the module's docstring)."""
    target = target_of(path)
    if target.kind == "stream":
        with _opened(target.path, os.O_WRONLY, path) as fd:
            _write_all(fd, data, path, target)
        return
    with _replacing(path, target, "") as (fd, _):
        _write_all(fd, data, path, target)
        _sync(fd, path, target)
        if os.fstat(fd).st_size != len(data):  # the disk must hold every byte we wrote
            raise InputError(path, _failed("it was not written completely", target))


def write_text(path: Path, text: str) -> None:
    """`text` as UTF-8, all or nothing."""
    write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def staged(path: Path, suffix: str = "") -> Iterator[Path]:
    """A fresh temporary file for another program (ffmpeg) to write `path`'s whole content
    to; when the block ends without an error it becomes `path` (or is copied into the device
    or FIFO), otherwise it is removed. `suffix` keeps the extension a muxer chooses by."""
    target = target_of(path)
    if target.kind != "stream":
        with _replacing(path, target, suffix) as (_, temp):
            yield temp
            with _opened(temp, os.O_RDONLY, path) as written:
                _sync(written, path, target)  # what the other program wrote, on the disk
        return
    fd, name = _create(path, Path(tempfile.gettempdir()) / path.name, suffix)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with _opened(target.path, os.O_WRONLY, path) as out, open(temp, "rb") as f:
            while chunk := f.read(_CHUNK):
                _write_all(out, chunk, path, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def open_log(path: Path) -> TextIO:
    """A log file written line by line while a show plays (`--frame-log`): opened for
    writing (also into a device or FIFO), or one InputError saying why it cannot be."""
    target_of(path)
    try:
        return open(path, "w", encoding="utf-8", buffering=1)
    except OSError as exc:
        raise InputError(path, f"cannot write it ({_reason(exc)})") from None


@contextlib.contextmanager
def _replacing(path: Path, target: Target, suffix: str) -> Iterator[tuple[int, Path]]:
    """An open, new temporary file beside `target.path`, renamed over it when the block ends
    well (keeping the old file's permissions and owner), removed otherwise."""
    fd, temp = _create(path, target.path, suffix)
    try:
        try:
            yield fd, temp
        finally:
            os.close(fd)
        if target.st is not None:
            _keep_owner(temp, target.st)
        try:
            os.replace(temp, target.path)
        except OSError as exc:
            raise InputError(path, _failed(_reason(exc), target)) from None
        _sync_folder(target.path.parent)
    finally:
        with contextlib.suppress(OSError):  # gone after the rename; EROFS must not hide why
            os.unlink(temp)


def _create(path: Path, beside: Path, suffix: str) -> tuple[int, Path]:
    """A new file with a unique name starting with a dot, created with the umask's
    permissions (as the output itself would be)."""
    stem = beside.name.removesuffix(suffix) if suffix else beside.name
    room = NAME_MAX - len(f"..{'0' * 16}.partial{suffix}".encode())
    stem = stem.encode()[: max(0, room)].decode("utf-8", "ignore")
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = beside.with_name(f".{stem}.{secrets.token_hex(8)}.partial{suffix}")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(path, f"cannot write in {beside.parent} ({_reason(exc)})") from None
    raise InputError(path, f"cannot create a temporary file in {beside.parent}")


@contextlib.contextmanager
def _opened(file: Path, flags: int, path: Path) -> Iterator[int]:
    try:
        fd = os.open(file, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(path, f"cannot write it ({_reason(exc)})") from None
    try:
        yield fd
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, path: Path, target: Target) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view[:_CHUNK]) :]
    except OSError as exc:
        raise InputError(path, _failed(_reason(exc), target)) from None


def _sync(fd: int, path: Path, target: Target) -> None:
    """Flush to the disk: a full disk or an I/O error shows here, before the rename."""
    try:
        os.fsync(fd)
    except OSError as exc:
        raise InputError(path, _failed(_reason(exc), target)) from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot fsync a folder: fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _keep_owner(temp: Path, old: os.stat_result) -> None:
    """The new file gets the old one's permissions (and owner, when root replaces a file)."""
    os.chmod(temp, stat.S_IMODE(old.st_mode))
    if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.chown(temp, old.st_uid, old.st_gid)


def _failed(reason: str, target: Target) -> str:
    kept = "; the old file is unchanged" if target.kind == "file" else ""
    return f"cannot write it ({reason}){kept}"


def _check_folder(path: Path, folder: Path) -> None:
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise InputError(path, f"folder {folder} does not exist") from None
    except (OSError, ValueError) as exc:
        raise InputError(path, _unreachable(path, exc)) from None
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(path, f"{folder} is not a folder")


def _probe(path: Path, folder: Path) -> None:
    """Create and remove a file where the output will go: permissions, a read-only file
    system and quota show now, before an hour of work, not after it."""
    fd, temp = _create(path, folder / ".livesync-probe", "")
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _unreachable(path: Path, exc: OSError | ValueError) -> str:
    if isinstance(exc, ValueError):
        return "is not a usable file name"
    if exc.errno == errno.ENAMETOOLONG:
        longest = max(len(part.encode()) for part in Path(path).parts)
        return f"the name is too long ({longest} bytes; a file name may have {NAME_MAX})"
    if exc.errno == errno.ELOOP:
        return "is a symlink loop"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return f"cannot reach it ({_reason(exc)})"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
