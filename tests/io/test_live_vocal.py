"""The live vocal, end to end on a real input: speech played into livesync's input port on the
JACK server (a JACK client of the test's own stands in for the singer's microphone), analysed
by the input stream's callback, read the way the frame loop reads it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livesync.audio.decode import decode, resample
from livesync.devices.voice_input import STALE_SECONDS, VoiceInput
from livesync.lipsync.live_voice import HeardVoice

pytestmark = pytest.mark.audio
SPEECH = Path(__file__).parent.parent / "data" / "harvard-sentences-list30.mp3"
LEAD_IN = 0.6  # seconds of silence before the singer starts
SUNG = 4.0  # seconds of speech played


def _jack() -> Any:
    try:
        import jack  # type: ignore[import-untyped]

        return jack.Client("livesync test singer", no_start_server=True)
    except Exception as exc:  # the package, libjack or a server missing
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"needs a running JACK server and JACK-Client: {exc}")


class PortPlayer:
    """Plays `track` into one output port of `client`, from JACK's own thread (a singer's
    microphone here, the band in the room in test_room_input)."""

    def __init__(self, client: Any, name: str, track: np.ndarray) -> None:
        self.track = track.astype(np.float32)
        self.rate = client.samplerate
        self.pos = 0
        self.started = threading.Event()
        self.port = client.outports.register(name)
        client.set_process_callback(self._process)

    def _process(self, frames: int) -> None:
        out = self.port.get_array()
        chunk = self.track[self.pos : self.pos + frames]
        out[: len(chunk)] = chunk
        out[len(chunk) :] = 0.0
        self.pos += frames
        self.started.set()


def singing(client: Any) -> PortPlayer:
    """Silence, then the speech."""
    rate = client.samplerate
    audio = resample(decode(SPEECH), rate)
    speech = audio.samples.mean(axis=1)[: int(SUNG * rate)]
    return PortPlayer(client, "voice", np.concatenate([np.zeros(int(LEAD_IN * rate)), speech]))


def test_speech_into_the_input_moves_the_mouth_and_silence_rests_it() -> None:
    client = _jack()
    before = {p.name for p in client.get_ports(is_audio=True, is_input=True)}
    voice = VoiceInput(None, time.monotonic)  # the default input: JACK's, in the test command
    try:
        ours = [
            p.name for p in client.get_ports(is_audio=True, is_input=True) if p.name not in before
        ]
        assert len(ours) == 1, f"livesync's input port not found among {ours}"
        singer = singing(client)
        client.activate()
        client.connect(singer.port, ours[0])
        assert singer.started.wait(10)
        seen: list[tuple[float, HeardVoice]] = []
        deadline = time.monotonic() + 60  # a generous bound; the loop ends on song position
        while singer.pos < len(singer.track) and time.monotonic() < deadline:
            heard = voice.heard(time.monotonic())
            if heard is not None:
                seen.append((singer.pos / singer.rate, heard))
            time.sleep(0.005)
        client.deactivate()
    finally:
        voice.close()
        client.close()
    quiet = [h for at, h in seen if at < LEAD_IN - 0.1]
    sung = [h for at, h in seen if at > LEAD_IN + 0.3]
    assert quiet and sung, "no results read from the input"
    assert not any(h.singing for h in quiet)
    assert max(h.pose.open for h in quiet) < 0.1
    assert np.mean([h.singing for h in sung]) > 0.8  # sentences with short gaps: held
    opens = [h.pose.open for h in sung]
    assert max(opens) > 0.5 and min(opens) < 0.2  # it opens on vowels and closes between
    assert all(0.0 < h.latency < 0.5 for h in sung)


def test_an_input_that_stops_is_not_followed() -> None:
    _jack().close()
    now = [100.0]
    voice = VoiceInput(None, lambda: now[0])
    try:
        deadline = time.monotonic() + 10
        while voice.heard(now[0]) is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the dummy driver's silence arrives at the wall time 100
        assert voice.heard(now[0]) is not None
        voice.close()  # the stream stops: nothing renews the result
        now[0] += STALE_SECONDS + 0.1
        assert voice.heard(now[0]) is None
    finally:
        voice.close()


def test_a_device_that_is_not_there_is_one_clear_error() -> None:
    from livesync.errors import DeviceError

    with pytest.raises(DeviceError, match="cannot open input 'no such microphone'"):
        VoiceInput("no such microphone", time.monotonic)
