"""An offline render switches scenes on exactly the frames its cues name."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from .test_cli import livesync

pytestmark = pytest.mark.e2e
FLAT = "void mainImage(out vec4 c, in vec2 p) {{ c = vec4({}, 1.0); }}\n"
SHOW = """
[track]
audio = "song.wav"
timeline = "song.json"
[[scenes]]
name = "red"
background = "red.glsl"
character = false
[[scenes]]
name = "blue"
background = "blue.glsl"
character = false
[[cues]]
at = 0.5
scene = "blue"
[[cues]]
at = 1.0
scene = "red"
fade = 0.4
[output]
size = [64, 64]
fps = 10
"""


def test_cues_switch_on_their_frames(tmp_path: Path) -> None:
    import imageio_ffmpeg

    (tmp_path / "red.glsl").write_text(FLAT.format("1.0, 0.0, 0.0"))
    (tmp_path / "blue.glsl").write_text(FLAT.format("0.0, 0.0, 1.0"))
    soundfile.write(str(tmp_path / "song.wav"), np.zeros(32000, np.float32), 16000)  # 2 s
    (tmp_path / "song.json").write_text(
        json.dumps({"livesync_timeline": 1, "words": [], "phones": []})
    )
    (tmp_path / "show.toml").write_text(SHOW)
    out = tmp_path / "out.mp4"
    result = livesync("render", tmp_path / "show.toml", "-o", out)
    assert result.returncode == 0, result.stderr
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    frames = [
        np.frombuffer(f, np.uint8)
        .reshape(meta["size"][1], meta["size"][0], 3)
        .reshape(-1, 3)
        .mean(axis=0)
        for f in reader
    ]
    assert len(frames) == 20
    red, blue = np.array([255, 0, 0]), np.array([0, 0, 255])
    assert all(np.abs(frames[n] - red).max() < 30 for n in range(5))  # 0.0-0.4 s
    assert all(np.abs(frames[n] - blue).max() < 30 for n in range(5, 10))  # the cut at 0.5
    fading = frames[12]  # 1.2 s: mid-fade
    assert 60 < fading[0] < 200 and 60 < fading[2] < 200
    assert all(np.abs(frames[n] - red).max() < 30 for n in range(14, 20))
