"""NDI out on loopback: livesync's own NDI source is received on this machine with the same
library (cyndilib) and the frame compared with what was drawn, pixel by pixel with a
tolerance for NDI's lossy compression.

Discovery: NDI finds sources by mDNS, which on Linux needs an avahi daemon; a container or a
minimal server has none, and then no source is ever listed. The receiver is told to ask
127.0.0.1 directly instead (NDI's "extra IPs": `networks.ips` in ndi-config.v1.json, found
through NDI_CONFIG_DIR), as a receiving machine without mDNS would be. The sender needs
nothing.

cyndilib comes with the test extra, so the test command runs these; elsewhere they skip
when it is missing, unless LIVESYNC_REQUIRE_AUDIO=1 (the test command's full setup).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.devices.video_out import Pacer, Picture
from livesync.errors import DeviceError

# Top-left red, top-right green, bottom-left blue, bottom-right white, as seen on screen: a
# picture sent upside down or mirrored cannot pass.
QUADRANTS = {
    (0, 0): (255, 0, 0),
    (0, 1): (0, 255, 0),
    (1, 0): (0, 0, 255),
    (1, 1): (255, 255, 255),
}
TOLERANCE = 24  # NDI's SpeedHQ codec is lossy; flat colours come back within a few levels


@pytest.fixture(scope="module")
def ndi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """cyndilib, with NDI told to look for sources on 127.0.0.1 (see the module docstring)."""
    try:
        import cyndilib
    except ImportError:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip("needs cyndilib: pip install 'livesync[ndi]'")
    config = tmp_path_factory.mktemp("ndi-config")
    (config / "ndi-config.v1.json").write_text(
        json.dumps({"ndi": {"networks": {"ips": "127.0.0.1"}}})
    )
    before = os.environ.get("NDI_CONFIG_DIR")
    os.environ["NDI_CONFIG_DIR"] = str(config)
    yield cyndilib
    if before is None:
        del os.environ["NDI_CONFIG_DIR"]
    else:
        os.environ["NDI_CONFIG_DIR"] = before


def receive(ndi: Any, name: str, pump: Callable[[], None]) -> tuple[np.ndarray, Fraction]:
    """The first video frame of this machine's NDI source `name`, as rows of RGBA top
    first, and the frame rate it carries. `pump` runs between short waits (a sender in this
    process sends there)."""
    from cyndilib.receiver import ReceiveFrameType

    deadline = time.monotonic() + 60
    finder = ndi.Finder()
    finder.open()
    try:
        source = None
        while source is None:
            assert time.monotonic() < deadline, f"no NDI source {name!r} found in 60 s"
            pump()
            finder.wait_for_sources(0.05)
            names = finder.get_source_names()
            source = next((n for n in names if n.endswith(f"({name})")), None)
        receiver = ndi.Receiver(
            color_format=ndi.RecvColorFormat.RGBX_RGBA, bandwidth=ndi.RecvBandwidth.highest
        )
        frame = ndi.VideoRecvFrame()
        receiver.set_video_frame(frame)
        receiver.set_source(finder.get_source(source))
        try:
            while not receiver.receive(ReceiveFrameType.recv_video, 50) & (
                ReceiveFrameType.recv_video
            ):
                assert time.monotonic() < deadline, f"no frame from {source!r} in 60 s"
                pump()
            width, height = frame.get_resolution()
            data = np.empty(frame.get_data_size(), np.uint8)
            frame.fill_p_data(data)
            rows = data.reshape(height, frame.get_line_stride())[:, : width * 4]
            return rows.reshape(height, width, 4), Fraction(frame.get_frame_rate())
        finally:
            receiver.disconnect()
    finally:
        finder.close()


def assert_quadrants(picture: np.ndarray) -> None:
    height, width = picture.shape[:2]
    for (row, col), colour in QUADRANTS.items():
        # the middle of each quadrant, away from the edges the codec blurs
        y, x = (2 * row + 1) * height // 4, (2 * col + 1) * width // 4
        got = picture[y - 2 : y + 3, x - 2 : x + 3, :3].reshape(-1, 3).astype(int)
        assert np.abs(got - colour).max() <= TOLERANCE, (row, col, got[0], colour)


def quadrant_framebuffer(ctx: Any, size: tuple[int, int]) -> Any:
    """A framebuffer holding QUADRANTS (GL's rows go bottom up, so the top is at high y)."""
    w, h = size
    fbo = ctx.framebuffer([ctx.texture(size, 4)])
    fbo.use()
    for (row, col), colour in QUADRANTS.items():
        fbo.scissor = (col * w // 2, (1 - row) * h // 2, w // 2, h // 2)
        fbo.clear(*(c / 255 for c in colour), 0.25)  # alpha must not reach the receiver
    fbo.scissor = None
    return fbo


@pytest.mark.gl
@pytest.mark.parametrize("window", [(320, 180), (480, 270)], ids=["same-size", "scaled"])
def test_a_frame_drawn_in_gl_is_received_right_way_up(ndi: Any, window: tuple[int, int]) -> None:
    from livesync.devices.ndi_out import NdiOutput
    from livesync.render.renderer import create_headless_context

    ctx = create_headless_context()
    name = f"livesync-test-{os.getpid()}-{window[0]}"
    output = NdiOutput(name, ctx, (320, 180), 30)
    picture = Picture(ctx, quadrant_framebuffer(ctx, window), window)
    try:
        received, rate = receive(ndi, name, lambda: output.send(picture, time.monotonic()))
    finally:
        output.close()
        ctx.release()
    assert received.shape == (180, 320, 4)
    assert rate == 30
    assert_quadrants(received)


FLAT_QUADRANTS = """
void mainImage(out vec4 c, in vec2 p) {
    vec2 q = p / iResolution.xy;  // y up: the top row is q.y near 1
    bool top = q.y > 0.5, left = q.x < 0.5;
    c = vec4(top ? (left ? vec3(1, 0, 0) : vec3(0, 1, 0)) : (left ? vec3(0, 0, 1) : vec3(1)), 0.3);
}
"""
SHOW = """
[track]
audio = "song.wav"
timeline = "song.json"
[[scenes]]
name = "quadrants"
background = "quadrants.glsl"
character = false
[output]
size = [256, 144]
fps = 25
"""


@pytest.mark.e2e
def test_play_with_ndi_sends_the_show_at_its_size_and_rate(ndi: Any, tmp_path: Path) -> None:
    import soundfile

    (tmp_path / "quadrants.glsl").write_text(FLAT_QUADRANTS)
    soundfile.write(str(tmp_path / "song.wav"), np.zeros(16000, np.float32), 16000)
    (tmp_path / "song.json").write_text(
        json.dumps({"livesync_timeline": 1, "words": [], "phones": []})
    )
    (tmp_path / "show.toml").write_text(SHOW)
    name = f"livesync-play-{os.getpid()}"
    err = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", str(tmp_path / "show.toml")]
    command += ["--silent", "--loop", "--osc-port", "0", "--ndi", name]
    with err.open("w") as stderr:
        child = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )

    def alive() -> None:
        assert child.poll() is None, f"the player exited: {err.read_text()}"
        time.sleep(0.05)

    try:
        received, rate = receive(ndi, name, alive)
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert f"({name}), 256x144 at 25 fps" in err.read_text()  # the log line "NDI out: ..."
    assert received.shape == (144, 256, 4)
    assert rate == 25
    assert_quadrants(received)


@pytest.mark.e2e
def test_a_set_list_sends_its_interlude_and_songs(ndi: Any, tmp_path: Path) -> None:
    """`play SET.toml --ndi`: one NDI source for the whole set, from its interlude on (the
    quadrants here), at the first song's size and rate."""
    import soundfile

    (tmp_path / "quadrants.glsl").write_text(FLAT_QUADRANTS)
    soundfile.write(str(tmp_path / "song.wav"), np.zeros(16000, np.float32), 16000)
    (tmp_path / "song.json").write_text(
        json.dumps({"livesync_timeline": 1, "words": [], "phones": []})
    )
    (tmp_path / "show.toml").write_text(SHOW)
    (tmp_path / "set.toml").write_text(
        '[[songs]]\nshow = "show.toml"\n[interlude]\nbackground = "quadrants.glsl"\n'
    )
    name = f"livesync-set-{os.getpid()}"
    err = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "livesync", "play", str(tmp_path / "set.toml")]
    command += ["--silent", "--osc-port", "0", "--ndi", name]
    with err.open("w") as stderr:
        child = subprocess.Popen(
            command, stderr=stderr, env={**os.environ, "SDL_VIDEODRIVER": "offscreen"}
        )

    def alive() -> None:
        assert child.poll() is None, f"the player exited: {err.read_text()}"
        time.sleep(0.05)

    try:
        received, rate = receive(ndi, name, alive)
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert "song -> interlude" in err.read_text()
    assert received.shape == (144, 256, 4) and rate == 25
    assert_quadrants(received)


def test_without_cyndilib_ndi_is_one_error_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from livesync.devices.ndi_out import NdiOutput

    monkeypatch.setitem(sys.modules, "cyndilib", None)  # as if not installed
    with pytest.raises(DeviceError, match=r"pip install 'livesync\[ndi\]'"):
        NdiOutput("livesync", None, (320, 180), 30)


def test_frames_are_sent_at_the_outputs_rate_from_a_faster_loop() -> None:
    def sent(fps: int, loop_hz: float, seconds: float = 10.0) -> int:
        pacer = Pacer(fps)
        jitter = np.random.default_rng(1).uniform(-0.002, 0.002, int(seconds * loop_hz))
        return sum(pacer.due(n / loop_hz + j) for n, j in enumerate(jitter))

    assert sent(30, 60) == 300
    assert sent(60, 60) == 600
    assert sent(25, 60) == 250
    assert sent(30, 20) == 200  # a slower loop: every frame
