"""The command line as a user runs it: real files in, real files out, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ..conftest import GENTLE_JSON, HARVARD_MP3

pytestmark = pytest.mark.e2e


def livesync(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "livesync", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_import_gentle_writes_a_timeline_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "song.timeline.json"
    result = livesync("import", GENTLE_JSON, "-o", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["livesync_timeline"] == 1 and len(data["words"]) == 86
    out.write_text("mine")
    again = livesync("import", GENTLE_JSON, "-o", out)
    assert again.returncode == 2
    assert again.stderr.strip().count("\n") == 0 and "--force" in again.stderr
    assert out.read_text() == "mine"
    assert livesync("import", GENTLE_JSON, "-o", out, "--force").returncode == 0
    assert out.read_text() != "mine"


@pytest.mark.parametrize(
    "content, needle",
    [
        ('{"transcript": "x", "words": [{"case": "succ', "malformed JSON"),
        (
            '{"livesync_timeline": 1, "words": [], '
            '"phones": [{"phone": "AA", "start": 2, "end": 1}]}',
            "negative duration",
        ),
    ],
)
def test_bad_timeline_gives_one_line_and_exit_2(tmp_path: Path, content: str, needle: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = livesync("import", bad, "-o", tmp_path / "out.json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and needle in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.json").exists()


def test_missing_audio_and_unreadable_image(tmp_path: Path) -> None:
    result = livesync(
        "snapshot", tmp_path / "nope.wav", "--timeline", GENTLE_JSON, "-o", tmp_path / "f.png"
    )
    assert result.returncode == 2 and "nope.wav: audio file not found" in result.stderr
    junk = tmp_path / "face.png"
    junk.write_text("this is not an image")
    result = livesync(
        "snapshot",
        HARVARD_MP3,
        "--timeline",
        GENTLE_JSON,
        "--image",
        junk,
        "-o",
        tmp_path / "f.png",
    )
    assert result.returncode == 2 and "face.png: cannot read the image" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "f.png").exists()


def test_snapshot_demo_writes_the_frame(tmp_path: Path) -> None:
    out = tmp_path / "frame.png"
    result = livesync("snapshot", "--demo", "--at", "4.0", "-o", out, "--size", "320x180")
    assert result.returncode == 0, result.stderr
    import pygame

    img = pygame.image.load(str(out))
    assert img.get_size() == (320, 180)
    pixels = np.frombuffer(pygame.image.tobytes(img, "RGB"), np.uint8)
    assert pixels.std() > 20


LANDMARKS = Path(__file__).parents[1] / "data" / "landmarks" / "astronaut-runway.json"


def test_snapshot_draws_a_puppet_from_landmarks_alone(tmp_path: Path) -> None:
    import pygame

    frames = []
    extras: list[list[str | Path]] = [[], ["--timeline", GENTLE_JSON]]
    for extra in extras:
        out = tmp_path / f"puppet{len(extra)}.png"
        args: list[str | Path] = ["snapshot", "--landmarks", LANDMARKS, *extra, "--at", "1.7"]
        args += ["-o", out]
        result = livesync(*args, "--size", "320x240")
        assert result.returncode == 0, result.stderr
        img = pygame.image.load(str(out))
        assert img.get_size() == (320, 240)
        frames.append(
            np.frombuffer(pygame.image.tobytes(img, "RGB"), np.uint8).reshape(240, 320, 3)
        )
    recorded, synced = frames
    skin = (np.abs(recorded.astype(int) - (242, 201, 160)).sum(axis=2) < 24).sum()
    assert skin > 3000  # a face, filled, not a scatter of points
    assert (recorded != synced).any(axis=2).sum() > 50  # the timeline's mouth is drawn


def test_snapshot_with_bad_landmarks_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "face.json"
    bad.write_text('[{"time": 0.0, "landmarks": [{"chin": [[1, 2]]}]}]')
    result = livesync("snapshot", "--landmarks", bad, "--at", "0", "-o", tmp_path / "f.png")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0], result.stderr
    assert not (tmp_path / "f.png").exists()


def _durations(path: Path) -> tuple[float, float]:
    """(video, audio) stream durations in seconds, read with the bundled ffmpeg."""
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    meta = subprocess.run([ffmpeg, "-i", str(path)], capture_output=True, text=True).stderr
    fps = float(meta.split(" fps")[0].rsplit(",", 1)[-1])
    pcm = subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            "48000",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return frames / fps, len(pcm) / 2 / 48000


def test_demo_render_video_and_audio_match_the_song(tmp_path: Path) -> None:
    import soundfile

    from livesync.resources import data_dir

    out = tmp_path / "demo.mp4"
    result = livesync("demo", "--render", out, "--size", "320x180", "--fps", "24")
    assert result.returncode == 0, result.stderr
    song = soundfile.info(str(data_dir("configs") / "demo" / "demo.ogg")).duration
    video, audio = _durations(out)
    assert abs(video - song) <= 1 / 24
    assert abs(audio - song) <= 1 / 24
    assert not list(tmp_path.glob(".*partial*"))


def test_play_runs_headless_in_a_window_on_the_wall_clock(tmp_path: Path) -> None:
    """SDL's offscreen driver gives pygame a real GL context without a display."""
    import soundfile

    audio = tmp_path / "short.wav"
    soundfile.write(str(audio), np.zeros(24000, np.float32), 24000)  # 1 s
    timeline = tmp_path / "t.json"
    timeline.write_text(
        json.dumps(
            {
                "livesync_timeline": 1,
                "duration": 1.0,
                "words": [{"word": "ma", "start": 0.2, "end": 0.6}],
                "phones": [
                    {"phone": "M", "start": 0.2, "end": 0.3, "word": 0},
                    {"phone": "AA", "start": 0.3, "end": 0.6, "word": 0},
                ],
            }
        )
    )
    result = livesync(
        "play",
        audio,
        "--timeline",
        timeline,
        "--silent",
        "--exit-at-end",
        env={"SDL_VIDEODRIVER": "offscreen"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_demo_without_a_display_says_how_to_render() -> None:
    result = livesync(
        "demo", "--silent", env={"SDL_VIDEODRIVER": "dummy", "DISPLAY": ""}, timeout=60
    )
    assert result.returncode == 3
    assert "livesync demo --render demo.mp4" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_loads_the_show_landmarks(tmp_path: Path) -> None:
    """`livesync check` reads [character] landmarks: a good file is checked, a malformed one
    is one error line naming it."""
    import shutil

    from livesync.resources import data_dir

    folder = tmp_path / "show"
    shutil.copytree(data_dir("configs") / "demo", folder)
    show = folder / "demo.toml"
    show.write_text(
        show.read_text().replace("[character]\n", '[character]\nlandmarks = "face.json"\n', 1)
    )
    shutil.copy(LANDMARKS, folder / "face.json")
    result = livesync("check", show)
    assert result.returncode == 0, result.stderr
    assert f"face landmarks: {folder / 'face.json'}" in result.stderr
    (folder / "face.json").write_text('[{"time": 0.0, "landmarks": [{"chin": "no"}]}]')
    result = livesync("check", show)
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert result.returncode == 2 and len(errors) == 1, result.stderr
    assert str(folder / "face.json") in errors[0]


def test_sigterm_stops_play_as_ctrl_c_does() -> None:
    """A service manager's SIGTERM runs the player's cleanup (window, OSC, audio) and exits
    143, instead of killing Python mid-frame."""
    import signal

    child = subprocess.Popen(
        [sys.executable, "-m", "livesync", "play", "--demo", "--silent"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SDL_VIDEODRIVER": "offscreen"},
    )
    assert child.stderr is not None
    try:
        for line in child.stderr:
            if "first frame shown" in line:
                child.send_signal(signal.SIGTERM)
                break
        rest = child.stderr.read()
        assert child.wait(timeout=60) == 143, rest
        assert "Traceback" not in rest
    finally:
        if child.poll() is None:
            child.kill()


def test_sound_and_midi_library_chatter_shows_only_with_verbose() -> None:
    """Where ALSA has no sequencer (this machine, CI) it prints `ALSA lib seq_hw.c ...
    failed` when MIDI is probed, and SDL complains of XDG_RUNTIME_DIR looking for a display:
    kept off the console, shown as debug lines with -v (before or after the command)."""
    quiet = livesync("devices")
    assert quiet.returncode == 0, quiet.stderr
    assert "ALSA lib" not in quiet.stderr and "MIDI inputs:" in quiet.stdout
    assert "XDG_RUNTIME_DIR" not in quiet.stderr  # SDL looking for a display
    for heading in ("Audio outputs:", "Audio inputs", "Displays:", "MIDI inputs:"):
        assert heading in quiet.stdout
    for args in (("-v", "devices"), ("devices", "--verbose")):
        loud = livesync(*args)
        assert loud.returncode == 0, loud.stderr
        if not Path("/dev/snd/seq").exists():
            assert "livesync: MIDI (ALSA, JACK): ALSA lib" in loud.stderr


@pytest.mark.audio
def test_play_live_vocal_listens_to_the_input_and_plays_through(tmp_path: Path) -> None:
    """`play --live-vocal` opens the default input (JACK's, in the test command) and plays
    the show to its end; `--input` alone, or an input that is not there, is one line."""
    if os.environ.get("LIVESYNC_REQUIRE_AUDIO") != "1":
        pytest.skip("needs the test command's JACK server (LIVESYNC_REQUIRE_AUDIO=1)")
    frames = tmp_path / "frames.txt"
    args = ("play", "--demo", "--silent", "--exit-at-end", "--size", "160x90")
    offscreen = {"SDL_VIDEODRIVER": "offscreen"}
    result = livesync(*args, "--live-vocal", "--frame-log", frames, env=offscreen, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "live vocal: listening to" in result.stderr and "Traceback" not in result.stderr
    assert len(frames.read_text().splitlines()) > 10
    alone = livesync(*args, "--input", "0", env=offscreen, timeout=60)
    assert alone.returncode == 2 and "add --live-vocal" in alone.stderr
    missing = livesync(*args, "--live-vocal", "--input", "no such mic", env=offscreen, timeout=60)
    assert missing.returncode == 3 and missing.stderr.strip().count("\n") == 0
    assert "cannot open input 'no such mic' for the live vocal" in missing.stderr


def test_snapshot_of_a_transition_shows_it_half_way(tmp_path: Path) -> None:
    from livesync.resources import shader_path

    out = tmp_path / "wipe.png"
    result = livesync(
        "snapshot",
        "--shader",
        shader_path("transitions/wipe.fs"),
        "-o",
        out,
        "--size",
        "64x36",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wipe.fs is an ISF transition: shown half way (progress 0.5)" in result.stderr
    import pygame

    picture = pygame.surfarray.array3d(pygame.image.load(str(out))).astype(int)  # (x, y, rgb)
    left, right = picture[:20].mean(axis=(0, 1)), picture[-20:].mean(axis=(0, 1))
    assert np.abs(left - right).max() > 30  # two different backgrounds either side


@pytest.mark.parametrize(
    ("command", "verb"), [(("play", "--silent"), "plays"), (("render", "-o", "x.mp4"), "renders")]
)
def test_a_set_list_refuses_a_shows_own_options(
    tmp_path: Path, command: tuple[str, ...], verb: str
) -> None:
    (tmp_path / "set.toml").write_text('[[songs]]\nshow = "a/show.toml"\n')
    result = livesync(command[0], tmp_path / "set.toml", *command[1:], "--background", "x.glsl")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"a set list {verb} its songs' own shows" in lines[0], lines
