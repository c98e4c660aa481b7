"""`livesync play SET.toml`: a set list played in one window, headless, driven over OSC as a
performer's controller would: the interlude, songs started by /livesync/next and
/livesync/song, a song cut short by a pick, a broken song reported at the start and skipped
when its turn comes, and `song -> NAME` on stderr for each switch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from pythonosc.udp_client import SimpleUDPClient

from .test_live_control import free_port

pytestmark = pytest.mark.e2e


def song(folder: Path, name: str, seconds: float, background: str, extra: str = "") -> None:
    d = folder / name
    d.mkdir()
    t = np.arange(int(seconds * 24000)) / 24000
    soundfile.write(str(d / "song.wav"), (0.2 * np.sin(2 * np.pi * 220 * t)), 24000)
    timeline = {
        "livesync_timeline": 1,
        "duration": seconds,
        "words": [{"word": "ma", "start": 0.2, "end": 0.8}],
        "phones": [
            {"phone": "M", "start": 0.2, "end": 0.3, "word": 0},
            {"phone": "AA", "start": 0.3, "end": 0.8, "word": 0},
        ],
    }
    (d / "t.json").write_text(json.dumps(timeline))
    (d / "show.toml").write_text(
        f'[track]\naudio = "song.wav"\ntimeline = "t.json"\n'
        f'[[scenes]]\nname = "{name}-scene"\nbackground = "{background}"\n'
        "[output]\nsize = [160, 90]\n" + extra
    )


class Stderr:
    """The player's stderr lines as they come, to wait for a line with a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._new = threading.Condition()
        assert process.stderr is not None
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            with self._new:
                self.lines.append(line.rstrip("\n"))
                self._new.notify_all()

    def wait_for(self, text: str, times: int = 1, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        with self._new:
            while sum(text in line for line in self.lines) < times:
                left = deadline - time.monotonic()
                assert left > 0, f"no line with {text!r} in:\n" + "\n".join(self.lines)
                self._new.wait(left)


def play(set_list: Path, *options: str) -> tuple[subprocess.Popen[str], Stderr]:
    """`livesync play SET.toml OPTIONS` headless, its stderr read as it comes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "livesync", "play", str(set_list), *options],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    return process, Stderr(process)


def test_a_set_played_over_osc(tmp_path: Path) -> None:
    song(tmp_path, "one", 30.0, "backgrounds/plasma.glsl")  # long: cut short by a pick
    song(tmp_path, "two", 1.5, "backgrounds/neon_grid.glsl")
    (tmp_path / "set.toml").write_text(
        '[[songs]]\nshow = "one/show.toml"\n'
        '[[songs]]\nshow = "two/show.toml"\nname = "Second"\n'
        '[[songs]]\nshow = "gone/show.toml"\nname = "Gone"\n'
        '[interlude]\nbackground = "backgrounds/aurora.glsl"\n'
    )
    port, frames = free_port(), tmp_path / "frames.txt"
    process, err = play(
        tmp_path / "set.toml",
        "-v",
        "--silent",
        "--exit-at-end",
        "--osc-port",
        str(port),
        "--frame-log",
        str(frames),
    )
    osc = SimpleUDPClient("127.0.0.1", port)
    try:
        err.wait_for("song Gone cannot be played")  # reported before the set starts
        err.wait_for("song -> interlude")
        time.sleep(0.3)  # the interlude waits for a trigger: nothing starts by itself
        assert not any("song -> one" in line for line in err.lines)
        osc.send_message("/livesync/next", [])
        err.wait_for("song -> one")
        err.wait_for("song Second loaded")  # while `one` plays (a busy machine takes longer)
        osc.send_message("/livesync/song", ["second"])  # names match case-insensitively
        err.wait_for("song -> Second")  # `one` cut short at once
        err.wait_for("song -> interlude", times=2)  # after Second's 1.5 s
        osc.send_message("/livesync/song", [7])  # no such song: one warning, no switch
        err.wait_for("no song 7 in the set")
        osc.send_message("/livesync/next", [])
        err.wait_for("song Gone skipped")
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in "\n".join(err.lines)
    switches = [line.split("song -> ")[1] for line in err.lines if "song -> " in line]
    assert switches == ["interlude", "one", "Second", "interlude"]
    rows = [line.split() for line in frames.read_text().splitlines()]
    assert [int(r[0]) for r in rows] == list(range(len(rows)))  # numbered on across parts
    scenes = [r[2] for r in rows]
    runs = [s for i, s in enumerate(scenes) if i == 0 or scenes[i - 1] != s]
    assert runs == ["interlude", "one-scene", "two-scene", "interlude"]
    second = [float(r[1]) for r in rows if r[2] == "two-scene"]
    assert second[0] < 0.2 and second[-1] > 1.3  # Second played from its start to its end


def test_check_and_render_a_set(tmp_path: Path) -> None:
    from .test_cli import _durations, livesync

    song(tmp_path, "one", 1.0, "backgrounds/plasma.glsl")
    song(tmp_path, "two", 1.5, "backgrounds/neon_grid.glsl")
    text = (
        "interlude_seconds = 0.5\n"
        '[[songs]]\nshow = "one/show.toml"\n[[songs]]\nshow = "two/show.toml"\n'
        '[interlude]\nbackground = "backgrounds/aurora.glsl"\n'
    )
    set_list = tmp_path / "set.toml"
    set_list.write_text(text)
    checked = livesync("check", set_list)
    assert checked.returncode == 0, checked.stderr
    assert "song one: scene one-scene" in checked.stderr and "interlude:" in checked.stderr
    out = tmp_path / "set.mp4"
    rendered = livesync("render", set_list, "-o", out, "--fps", "20", timeout=300)
    assert rendered.returncode == 0, rendered.stderr
    video, audio = _durations(out)
    # interlude 0.5 + one 1.0 + interlude 0.5 + two 1.5 + interlude 0.5 at 20 fps
    assert video == pytest.approx(4.0, abs=0.06) and audio == pytest.approx(video, abs=0.06)
    (tmp_path / "two" / "show.toml").write_text("[track\n")
    broken = livesync("check", set_list)
    assert broken.returncode == 2 and "song two:" in broken.stderr
    assert "song one: scene one-scene" in broken.stderr  # the other songs are still checked
    refused = livesync("render", set_list, "-o", tmp_path / "again.mp4", timeout=120)
    assert refused.returncode == 2 and "song two:" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0


@pytest.mark.audio
def test_a_pad_on_a_real_midi_port_starts_the_next_song(tmp_path: Path) -> None:
    """The set list's [midi] `next` pad, on a virtual controller through JACK MIDI (jackd
    runs in the test command; there is no ALSA sequencer here)."""
    if os.environ.get("LIVESYNC_REQUIRE_AUDIO") != "1":
        pytest.skip("needs the test command's JACK server (LIVESYNC_REQUIRE_AUDIO=1)")
    import mido

    song(tmp_path, "one", 1.0, "backgrounds/plasma.glsl")
    (tmp_path / "set.toml").write_text(
        '[[songs]]\nshow = "one/show.toml"\n'
        f'[midi]\nport = "set pad {os.getpid()}"\nnext = {{ note = 91 }}\n'
    )
    pad = mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output(
        f"set pad {os.getpid()}", virtual=True
    )

    process, err = play(
        tmp_path / "set.toml", "--silent", "--exit-at-end", "--osc-port", str(free_port())
    )
    try:
        err.wait_for("MIDI controller connected")
        err.wait_for("song -> interlude")
        pad.send(mido.Message("note_on", note=91, velocity=100))
        err.wait_for("song -> one")
        assert process.wait(60) == 0  # the set ends after its only song
    finally:
        if process.poll() is None:
            process.kill()
        pad.close()
    assert "Traceback" not in "\n".join(err.lines)


def test_one_daw_project_for_the_whole_set(tmp_path: Path) -> None:
    """With DAW sync in the first song's show and a daw_start for every song, the DAW's
    playhead (simulated Reaper reports over OSC) picks the song and where in it."""
    sync = '[sync]\nsource = "osc"\ndaw = "reaper"\n'
    song(tmp_path, "one", 1.0, "backgrounds/plasma.glsl", sync)
    song(tmp_path, "two", 1.5, "backgrounds/neon_grid.glsl", sync)
    (tmp_path / "set.toml").write_text(
        # Listed out of the DAW's order: the timeline, not the list, says where each ends.
        '[[songs]]\nshow = "two/show.toml"\ndaw_start = 10.0\n'
        '[[songs]]\nshow = "one/show.toml"\ndaw_start = 2.0\n'
    )
    port, frames = free_port(), tmp_path / "frames.txt"
    process, err = play(tmp_path / "set.toml", "--osc-port", str(port), "--frame-log", str(frames))
    osc = SimpleUDPClient("127.0.0.1", port)

    def playhead(t: float, until: str, hold: float = 0.4) -> None:
        """Report the DAW playing from t (moving on in real time) until the line appears,
        and for `hold` seconds more (frames of that part get drawn)."""
        started = time.monotonic()
        deadline, seen = started + 60, None
        while seen is None or time.monotonic() < seen + hold:
            assert time.monotonic() < deadline, "\n".join(err.lines)
            osc.send_message("/play", [1])
            osc.send_message("/time", [t + time.monotonic() - started])
            time.sleep(0.05)
            if seen is None and any(until in line for line in err.lines):
                seen = time.monotonic()

    try:
        err.wait_for("song -> interlude")
        playhead(10.1, "song -> two")  # a jump straight into the second song
        playhead(2.1, "song -> one")  # and back: a seek in the DAW
        playhead(30.0, "song -> interlude")  # past the last song
    finally:
        process.terminate()
        process.wait(30)
    assert "Traceback" not in "\n".join(err.lines)
    rows = [line.split() for line in frames.read_text().splitlines() if line.strip()]
    two = [float(r[1]) for r in rows if r[2] == "two-scene"]
    one = [float(r[1]) for r in rows if r[2] == "one-scene"]
    # Song time = playhead - daw_start: each starts near where the playhead entered it and
    # never runs past its own end (the last frame is drawn for its flip, a little later).
    assert two and 0.0 <= min(two) < 0.6 and max(two) < 1.6
    assert one and 0.0 <= min(one) < 0.6 and max(one) < 1.1
