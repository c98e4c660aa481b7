"""livesync.devices.files, the one writer of every output: all or nothing.

A full disk and an I/O error are simulated at the edge by failing os.write and os.fsync
(tests/e2e/test_outputs_safe.py fills a real tmpfs where it may mount one)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from livesync.devices import files
from livesync.errors import InputError


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "out.json"
    path.write_text("the old file")
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def failing(code: int) -> object:
    def fail(*args: object) -> int:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("call, code", [("write", errno.ENOSPC), ("fsync", errno.EIO)])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    old: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    monkeypatch.setattr(f"livesync.devices.files.os.{call}", failing(code))
    with pytest.raises(InputError) as err:
        files.write_text(old, "new content")
    assert str(err.value) == (
        f"{old}: cannot write it ({os.strerror(code)}); the old file is unchanged"
    )
    monkeypatch.undo()
    assert old.read_text() == "the old file" and names(old.parent) == ["out.json"]


def test_short_writes_are_continued(old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write = os.write
    monkeypatch.setattr(
        "livesync.devices.files.os.write", lambda fd, data: write(fd, bytes(data[:3]))
    )
    files.write_text(old, "a longer new content")
    assert old.read_text() == "a longer new content"


def test_permissions_are_the_old_files_or_the_umasks(old: Path) -> None:
    old.chmod(0o600)
    files.write_text(old, "new")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    mask = os.umask(0o027)
    try:
        files.write_bytes(old.parent / "fresh.json", b"{}")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((old.parent / "fresh.json").stat().st_mode) == 0o640


def test_two_writers_to_one_file_never_share_a_temporary_file(old: Path) -> None:
    """Two renders to the same -o: each has its own partial file, both finish whole, the
    last one to finish is the file."""
    first = files.staged(old, ".mp4")
    second = files.staged(old, ".mp4")
    a, b = first.__enter__(), second.__enter__()
    assert a != b and a.name.startswith(".out.json.") and a.name.endswith(".partial.mp4")
    a.write_text("first")
    b.write_text("second")
    second.__exit__(None, None, None)
    assert old.read_text() == "second"
    first.__exit__(None, None, None)
    assert old.read_text() == "first" and names(old.parent) == ["out.json"]


def test_a_failure_inside_a_staged_write_removes_its_file(old: Path) -> None:
    with pytest.raises(RuntimeError), files.staged(old) as temp:
        temp.write_text("half a video")
        raise RuntimeError("ffmpeg failed")
    assert old.read_text() == "the old file" and names(old.parent) == ["out.json"]


def test_an_interruption_inside_a_staged_write_removes_its_file(old: Path) -> None:
    with pytest.raises(KeyboardInterrupt), files.staged(old) as temp:
        temp.write_text("half a video")
        raise KeyboardInterrupt
    assert names(old.parent) == ["out.json"]


def test_a_staged_write_into_a_fifo_is_copied_there(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer opens
    try:
        with files.staged(fifo, ".mp4") as temp:
            assert temp.parent != tmp_path  # never beside a FIFO: in the temporary folder
            temp.write_bytes(b"video bytes")
        assert os.read(reader, 100) == b"video bytes"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and not temp.exists()


def test_check_output_needs_force_for_a_file_but_not_for_a_stream(old: Path) -> None:
    with pytest.raises(InputError, match="already exists; use --force"):
        files.check_output(old, force=False)
    files.check_output(old, force=True)
    files.check_output(Path("/dev/null"), force=False)
    assert names(old.parent) == ["out.json"]  # the probe file is gone


def test_a_long_name_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    out = tmp_path / ("é" * 120 + ".json")  # 245 bytes
    files.write_text(out, "ok")
    assert out.read_text() == "ok"
