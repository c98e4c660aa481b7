"""Edge: the live singer's input (a microphone, or the vocal channel from the desk), analysed
as it arrives, for `play --live-vocal`.

The input stream's callback feeds each block to the pure analyser (livesync.lipsync.live_voice)
and leaves the newest result in a single slot; the frame loop reads that slot when it builds a
frame and never waits for the input, nor the input for it. A result the input has not renewed
lately (the stream stopped, the interface was unplugged) is not used: the mouth then falls back
to the timeline, or rest, and one warning says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from livesync.devices.input_stream import MonoInput
from livesync.lipsync.live_voice import ANALYSIS_DELAY, HeardVoice, LiveVoice, VoiceHold

log = logging.getLogger("livesync")
STALE_SECONDS = 0.25  # a result older than this: the input has stopped


class VoiceInput:
    """An input device (PortAudio: ALSA, JACK, CoreAudio, WASAPI) analysed live."""

    def __init__(self, device: int | str | None, wall: Callable[[], float]) -> None:
        self._wall = wall
        self._latest: tuple[HeardVoice, float] | None = None  # (result, wall time it came)
        self._stale_said = False
        self.buffer_seconds = 0.0  # the input's latency plus the latest block's length
        self._input = MonoInput(device, "the live vocal")
        self.name = self._input.name
        self.input_latency = self._input.latency  # PortAudio's figure for the device
        self.voice = LiveVoice(self._input.samplerate)
        self._hold = VoiceHold()
        self._input.start(self.feed)
        log.info(
            "live vocal: listening to %s (%d Hz, input latency %.0f ms)",
            self.name,
            self._input.samplerate,
            self.input_latency * 1000,
        )

    @property
    def overflows(self) -> int:
        return self._input.overflows

    def feed(self, block: npt.NDArray[np.float32]) -> None:
        """Analyse one block of mono samples and publish the newest hop: the stream's
        callback comes here (and a test, or a file played as if live)."""
        # A block arrives whole: its first sample waited a block longer than its last.
        self.buffer_seconds = self.input_latency + len(block) / self.voice.samplerate
        hops = self.voice.push(block)
        if not hops:
            return
        singing = False
        for hop in hops:
            singing = self._hold.singing(hop)
        newest = hops[-1]
        latency = self.buffer_seconds + ANALYSIS_DELAY
        heard = HeardVoice(newest.pose, newest.viseme, singing, latency)
        self._latest = (heard, self._wall())  # one reference: the reader sees old or new

    def heard(self, now: float) -> HeardVoice | None:
        """The newest result, or None if the input has gone quiet at the device level."""
        latest = self._latest
        if latest is None:
            return None
        heard, at = latest
        if now - at > STALE_SECONDS:
            if not self._stale_said:
                log.warning(
                    "live vocal: no sound from %s for %.1f s (stopped or unplugged?); the "
                    "mouth follows the timeline until it is back",
                    self.name,
                    now - at,
                )
                self._stale_said = True
            return None
        if self._stale_said:
            log.info("live vocal: %s is back", self.name)
            self._stale_said = False
        return heard

    def close(self) -> None:
        self._input.close()
