"""Nothing a command writes destroys a file: a full disk, a read-only place, a device, a FIFO,
a symlink, a folder, a name too long or a SIGTERM in the middle of a render each end in the
old file unchanged (or the device untouched) and one line with exit status 2.

A full disk and a read-only file system are real: a tiny tmpfs mounted for the test (root
only; elsewhere those tests skip, and tests/unit/test_safe_write.py fails os.write and
os.fsync at the edge instead). Character devices are made with mknod in the test's own
folder (the same devices as /dev/null and /dev/full), so a regression cannot replace the
machine's /dev/null.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from ..conftest import GENTLE_JSON
from .test_cli import livesync

pytestmark = pytest.mark.e2e

Mount = Callable[[str], Path]
PROGRESS = re.compile(r"^render: \d+/\d+ \(\d+%\)$")  # the progress bar's lines in a log


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Mount]:
    """`mount("size=8k")`: a fresh tmpfs folder with those options, unmounted afterwards."""
    made: list[Path] = []

    def make(options: str) -> Path:
        folder = tmp_path / f"tmpfs{len(made)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        made.append(folder)
        return folder

    yield make
    for folder in made:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def song(tmp_path: Path) -> tuple[Path, Path]:
    """A one-second song and its mouth cues, in a folder of their own."""
    import soundfile

    folder = tmp_path / "song"
    folder.mkdir()
    audio, cues = folder / "s.wav", folder / "t.tsv"
    t = np.arange(48000, dtype=np.float32) / 48000
    soundfile.write(str(audio), 0.2 * np.sin(2 * np.pi * 220 * t), 48000)
    cues.write_text("0.00\tX\n0.30\tB\n0.60\tX\n")
    return audio, cues


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7)."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("cannot make a device node here (needs root)")
    return path


def one_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if not PROGRESS.match(line)]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_a_full_disk_leaves_the_old_file_for_every_writer(
    mount: Mount, song: tuple[Path, Path]
) -> None:
    audio, cues = song
    disk = mount("size=8k")  # two pages: the old file takes one, no output fits in the other
    out = disk / "out"
    runs: list[list[str | Path]] = [
        ["import", GENTLE_JSON],
        ["export", GENTLE_JSON, "--format", "rhubarb-json"],
        ["snapshot", "--demo", "--at", "3", "--size", "320x180"],
        ["render", audio, "--timeline", cues, "--size", "64x36"],
    ]
    for run in runs:
        out.write_text("the old file")
        result = livesync(*run, "-o", out, "--force")
        one_line(result, str(out), "No space left on device")
        assert out.read_text() == "the old file", run
        assert leftovers(disk, "out") == [], run  # no partial file either


def test_a_read_only_place_is_one_line_before_any_work(
    mount: Mount, song: tuple[Path, Path], tmp_path: Path
) -> None:
    audio, cues = song
    place = mount("size=64k")
    (place / "old.json").write_text("mine")
    subprocess.run(["mount", "-o", "remount,ro", str(place)], check=True)
    runs: list[list[str | Path]] = [
        ["import", GENTLE_JSON, "-o", place / "old.json", "--force"],
        ["render", audio, "--timeline", cues, "--size", "64x36", "-o", place / "v.mp4"],
        ["snapshot", "--demo", "-o", place / "f.png"],
    ]
    for run in runs:
        one_line(livesync(*run), "Read-only file system")  # not EROFS from a cleanup
    # align checks where it writes before it aligns: the missing song is never reached
    missing = tmp_path / "no-such-song.wav"
    line = one_line(livesync("align", missing, GENTLE_JSON, "-o", place / "t.json"))
    assert "Read-only file system" in line and "no-such-song" not in line
    assert (place / "old.json").read_text() == "mine"


def test_devices_are_written_into_never_replaced(tmp_path: Path, song: tuple[Path, Path]) -> None:
    audio, cues = song
    null, full = device(tmp_path, "null", 3), device(tmp_path, "full", 7)
    result = livesync("render", audio, "--timeline", cues, "--size", "64x36", "-o", null)
    assert result.returncode == 0, result.stderr  # how people benchmark a render
    assert livesync("import", GENTLE_JSON, "-o", null, "--force").returncode == 0
    one_line(livesync("import", GENTLE_JSON, "-o", full, "--force"), "No space left on device")
    one_line(livesync("snapshot", "--demo", "-o", full), "No space left on device")
    for node in (null, full):
        assert stat.S_ISCHR(os.lstat(node).st_mode), node  # still the device
    assert leftovers(tmp_path, "null", "full", "song") == []


def test_a_fifo_receives_the_output(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = livesync("import", GENTLE_JSON, "-o", fifo)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["livesync_timeline"] == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old")
    real.chmod(0o640)
    link.symlink_to(real.name)
    one_line(livesync("import", GENTLE_JSON, "-o", link), "--force")
    assert livesync("import", GENTLE_JSON, "-o", link, "--force").returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["livesync_timeline"] == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file's permissions are kept
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("made.json")  # a link to a file not made yet: it is made
    assert livesync("import", GENTLE_JSON, "-o", dangling).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "made.json").is_file()
    nowhere = tmp_path / "nowhere.json"
    nowhere.symlink_to("no-such-folder/x.json")
    one_line(livesync("import", GENTLE_JSON, "-o", nowhere), "is a symlink to", "does not exist")


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: (p.write_text("mine"), p.chmod(0o444)), "is read-only"),
        (lambda p: p.symlink_to(p.name), "symlink loop"),
    ],
)
def test_what_cannot_be_an_output_is_one_line(
    tmp_path: Path, make: Callable[[Path], object], needle: str
) -> None:
    out = tmp_path / "out.json"
    make(out)
    before = leftovers(tmp_path)
    one_line(livesync("import", GENTLE_JSON, "-o", out, "--force"), str(out), needle)
    assert leftovers(tmp_path) == before


def test_names_and_folders_that_cannot_exist_are_one_line(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 300 + ".json")
    one_line(livesync("import", GENTLE_JSON, "-o", long), "too long (305 bytes")
    one_line(livesync("import", GENTLE_JSON, "-o", tmp_path / "no" / "t.json"), "does not exist")
    (tmp_path / "file").write_text("")
    one_line(livesync("export", GENTLE_JSON, "--format", "gentle", "-o", tmp_path / "file" / "x"))
    # a name of 250 bytes is fine, though its temporary file's name must be shorter
    fits = tmp_path / ("b" * 245 + ".json")
    assert livesync("import", GENTLE_JSON, "-o", fits).returncode == 0
    assert leftovers(tmp_path, fits.name) == ["file"]


def test_a_frame_log_in_a_bad_place_is_one_line_before_the_window(tmp_path: Path) -> None:
    for log in (tmp_path / "no" / "frames.log", tmp_path):
        result = livesync("play", "--demo", "--silent", "--frame-log", log, timeout=60)
        one_line(result, str(log))


STOP_AT_FRAME_5 = """
import os, signal, sys
import livesync.api as api
frames = api.render_frames
def stopping(*args, **kwargs):
    for n, frame in enumerate(frames(*args, **kwargs)):
        if n == 5:
            os.kill(os.getpid(), getattr(signal, sys.argv[1]))
        yield frame
api.render_frames = stopping
from livesync.cli import main
sys.exit(main(sys.argv[2:]))
"""


def encoders_writing_to(folder: Path) -> list[int]:
    """Processes (ffmpeg) whose command line names `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile
    return found


@pytest.mark.parametrize("name, status", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_during_render_stops_ffmpeg_and_leaves_nothing(
    tmp_path: Path, song: tuple[Path, Path], name: str, status: int
) -> None:
    """The render sends itself the signal at its sixth frame, with ffmpeg running: nothing is
    timed, and the process really receives the signal."""
    audio, cues = song
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "video.mp4"
    out.write_text("the old video")
    args = ["render", str(audio), "--timeline", str(cues), "--size", "64x36"]
    result = subprocess.run(
        [sys.executable, "-c", STOP_AT_FRAME_5, name, *args, "-o", str(out), "--force"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    assert leftovers(out_dir) == ["video.mp4"] and out.read_text() == "the old video"
    deadline = time.monotonic() + 30  # a killed process leaves /proc soon, not at once
    while encoders_writing_to(out_dir):
        assert time.monotonic() < deadline, "ffmpeg is still running after the render ended"
        time.sleep(0.05)
    assert leftovers(out_dir) == ["video.mp4"]  # nothing came back after the process ended


def test_check_reports_a_symlink_loop_as_one_problem(tmp_path: Path) -> None:
    loop = tmp_path / "t.json"
    loop.symlink_to(loop.name)
    show = tmp_path / "show.toml"
    show.write_text(f'[track]\naudio = "s.wav"\ntimeline = "{loop.name}"\n')
    result = livesync("check", show, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{loop}: cannot read the timing file (Too many levels" in result.stderr
    looped_show = tmp_path / "loop.toml"
    looped_show.symlink_to(looped_show.name)
    one_line(livesync("check", looped_show), str(looped_show), "Too many levels")


def test_endless_and_blocking_inputs_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "t.json"
    os.mkfifo(fifo)
    one_line(livesync("import", fifo, "-o", tmp_path / "x.json", timeout=60), "pipe (FIFO)")
    one_line(livesync("import", "/dev/zero", "-o", tmp_path / "x.json"), "is a device")
    result = livesync("snapshot", "--demo", "--background", "/dev/zero", "-o", tmp_path / "f.png")
    one_line(result, "/dev/zero: is a device, not a shader file")
