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
from typing import Any

import numpy as np
import numpy.typing as npt

from livesync.devices import audio_out
from livesync.errors import DeviceError, one_line
from livesync.lipsync.live_voice import ANALYSIS_DELAY, HeardVoice, LiveVoice, VoiceHold

log = logging.getLogger("livesync")
STALE_SECONDS = 0.25  # a result older than this: the input has stopped


class VoiceInput:
    """An input device (PortAudio: ALSA, JACK, CoreAudio, WASAPI) analysed live."""

    def __init__(self, device: int | str | None, wall: Callable[[], float]) -> None:
        sounddevice = audio_out.sounddevice
        if sounddevice is None:
            raise DeviceError(
                f"no audio input: PortAudio is not installed ({audio_out.PORTAUDIO_ERROR}); "
                f"{audio_out.PORTAUDIO_FIX}"
            )
        self._wall = wall
        self._latest: tuple[HeardVoice, float] | None = None  # (result, wall time it came)
        self._stale_said = False
        self.overflows = 0
        self.name = "the input"
        self.input_latency = 0.0  # PortAudio's figure for the device, once it is open
        self.buffer_seconds = 0.0  # that plus the latest block's length
        self._stream: Any = None
        try:
            info = sounddevice.query_devices(device, "input")
            rate = int(info["default_samplerate"])
            self.voice = LiveVoice(rate)
            self._hold = VoiceHold()
            self._stream = sounddevice.InputStream(
                device=device,
                channels=1,
                samplerate=rate,
                blocksize=0,  # whatever the device delivers: no extra buffering here
                latency="low",
                dtype="float32",
                callback=self._callback,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError, ValueError: no such device, no input
            self.close()
            name = "the default input" if device is None else f"input {device!r}"
            raise DeviceError(
                f"cannot open {name} for the live vocal ({one_line(exc)}); "
                "`livesync devices` lists the inputs"
            ) from None
        self.name = str(info["name"])
        self.input_latency = float(self._stream.latency)
        log.info(
            "live vocal: listening to %s (%d Hz, input latency %.0f ms)",
            self.name,
            rate,
            self.input_latency * 1000,
        )

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: analyse, publish, never raise."""
        if status and status.input_overflow:
            self.overflows += 1
        try:
            self.feed(indata[:, 0])
        except Exception:  # a bad block must not stop the input
            log.debug("live vocal: a block could not be analysed", exc_info=True)

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
        if self._stream is None:
            return
        stream, self._stream = self._stream, None
        try:
            stream.stop()
            stream.close()
        except Exception:
            log.debug("live vocal: closing the input failed", exc_info=True)
