"""Reading the files a user names (livesync.errors.read_user_text): only regular files, each
kind with a size limit, never blocking on a FIFO, one InputError otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from livesync.errors import MB, SIZE_LIMITS, InputError, read_user_bytes, read_user_text
from livesync.formats import read_timeline
from livesync.show.show_file import load_show


def test_a_file_is_read_as_utf8_with_or_without_bom_or_utf16(tmp_path: Path) -> None:
    plain, bom, wide = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    plain.write_bytes("naïve".encode())
    bom.write_bytes("\ufeffnaïve".encode())
    wide.write_bytes("naïve ɑː".encode("utf-16"))  # with its BOM, as Praat writes it
    assert read_user_text(plain, "lyrics file") == "naïve"
    assert read_user_text(bom, "lyrics file") == "naïve"
    assert read_user_text(wide, "timing file") == "naïve ɑː"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "song.json"
    os.mkfifo(fifo)  # opening it for reading the usual way would block until a writer came
    with pytest.raises(InputError, match=r"song\.json: is a pipe \(FIFO\), not a timing file"):
        read_timeline(fifo)


def test_a_device_is_refused_before_reading_a_byte() -> None:
    with pytest.raises(InputError, match="/dev/zero: is a device, not a show file"):
        load_show(Path("/dev/zero"))  # an endless file: reading it ran out of memory


def test_a_file_over_its_kinds_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.glsl"
    with big.open("wb") as f:  # sparse: the size is there, the disk blocks are not
        f.truncate(SIZE_LIMITS["shader file"] + 1)
    with pytest.raises(InputError, match=r"big\.glsl: is too large for a shader file .*4 MB"):
        read_user_text(big, "shader file")
    small = tmp_path / "small.txt"
    small.write_text("x" * 100)
    with pytest.raises(InputError, match="too large"):
        read_user_bytes(small, "lyrics file", limit=99)
    assert read_user_bytes(small, "lyrics file", limit=100) == b"x" * 100


def test_the_limits_are_generous_for_real_files() -> None:
    assert SIZE_LIMITS["timing file"] == 64 * MB
    assert SIZE_LIMITS["show file"] == 1 * MB and SIZE_LIMITS["shader file"] == 4 * MB
    assert SIZE_LIMITS["landmark file"] >= 64 * MB


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p: None, "timing file not found"),
        (lambda p: p.mkdir(), "is a folder, not a timing file"),
        (lambda p: p.write_bytes(b"\xff\xfa broken"), "not UTF-8 text"),
        (lambda p: p.symlink_to(p), "cannot read the timing file (Too many levels"),
    ],
)
def test_every_other_problem_is_one_error_naming_the_file(
    tmp_path: Path, make: object, needle: str
) -> None:
    path = tmp_path / "t.json"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputError) as err:
        read_user_text(path, "timing file")
    assert str(err.value).startswith(f"{path}: ") and needle in str(err.value)
