"""A set list's interlude hearing the room, end to end on a real input: a JACK client of the
test's own plays a band (a bass drum and a chord) into livesync's input port on the JACK
server, the input stream's callback feeds livesync.audio.live_sound, and the interlude's
performance reads the shaders' audio inputs the way the frame loop does."""

from __future__ import annotations

import itertools
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.app.set_interlude import interlude_performance, listen_to_room
from livesync.show.set_list import load_set_list
from tests.io.test_live_vocal import PortPlayer, _jack

pytestmark = pytest.mark.audio
LEAD_IN = 1.5  # seconds of silence before the band starts
PLAYED = 4.0
KICKS = 2.0  # a bass drum a second... twice


def band(client: Any) -> PortPlayer:
    """Silence, then kicks at 120 bpm over a quiet chord."""
    rate = client.samplerate
    t = np.arange(int(PLAYED * rate)) / rate
    music = 0.05 * (np.sin(2 * np.pi * 330 * t) + np.sin(2 * np.pi * 440 * t))
    k = np.arange(int(0.15 * rate)) / rate
    kick = 0.8 * np.sin(2 * np.pi * 60 * k) * np.exp(-k / 0.04)
    for n in range(int(PLAYED * KICKS)):
        i = int((0.25 + n / KICKS) * rate)
        music[i : i + len(kick)] += kick[: len(music) - i]
    return PortPlayer(client, "band", np.concatenate([np.zeros(int(LEAD_IN * rate)), music]))


def set_list(tmp_path: Path, listen: str) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(f'[[songs]]\nshow = "a.toml"\n[interlude]\ninput = {listen}\n')
    return path


def test_the_interlude_hears_the_band_in_the_room(tmp_path: Path) -> None:
    client = _jack()
    before = {p.name for p in client.get_ports(is_audio=True, is_input=True)}
    room = listen_to_room(load_set_list(set_list(tmp_path, "true")))  # the default input
    assert room is not None
    stream, heard = room
    performance = interlude_performance(None, heard)
    try:
        ours = [
            p.name for p in client.get_ports(is_audio=True, is_input=True) if p.name not in before
        ]
        assert len(ours) == 1, f"livesync's input port not found among {ours}"
        playing_band = band(client)
        client.activate()
        client.connect(playing_band.port, ours[0])
        assert playing_band.started.wait(10)
        seen: list[tuple[float, float, float]] = []  # (band's time, level, bass hit)
        start, deadline = time.monotonic(), time.monotonic() + 60
        while playing_band.pos < len(playing_band.track) and time.monotonic() < deadline:
            state = performance.state_at(time.monotonic() - start)  # the interlude's clock
            seen.append(
                (playing_band.pos / playing_band.rate, state.audio.level, state.audio.bass_hits)
            )
            time.sleep(1 / 60)
        client.deactivate()
    finally:
        stream.close()
        client.close()
    quiet = [level for at, level, _ in seen if at < LEAD_IN - 0.2]
    playing = [(level, hit) for at, level, hit in seen if at > LEAD_IN + 0.5]
    assert quiet and playing, "nothing read from the input"
    assert max(quiet) < 0.05
    assert np.median([level for level, _ in playing]) > 0.5
    # Each kick the frames see is a fresh hit (near 1) that decays before the next one.
    fresh = [i for i, (_, hit) in enumerate(playing) if hit > 0.8]
    kicks = 1 + sum(1 for a, b in itertools.pairwise(fresh) if b - a > 5)
    assert kicks >= 6, fresh  # of the 7 kicks after the first half second of music


def test_an_input_that_cannot_be_opened_is_one_line_and_the_set_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _jack().close()
    with caplog.at_level(logging.INFO, logger="livesync"):
        room = listen_to_room(load_set_list(set_list(tmp_path, '"no such input here"')))
    assert room is None
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "no such input here" in errors[0], errors
    assert "without hearing the room" in errors[0]
