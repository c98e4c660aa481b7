"""Edge: one mono input stream (PortAudio: ALSA, JACK, CoreAudio, WASAPI) handing its blocks
to a consumer on PortAudio's thread: the live singer (livesync.devices.voice_input) and the
room a set list's interlude listens to (livesync.devices.room_input).

The consumer runs on the audio thread: it must only copy or analyse the block, never wait,
and whatever it raises is logged at DEBUG and the stream goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from livesync.devices import audio_out
from livesync.errors import DeviceError, one_line

log = logging.getLogger("livesync")

Consumer = Callable[[npt.NDArray[np.float32]], None]


class MonoInput:
    """Opened (not started) on construction; `start(consumer)` starts the blocks coming."""

    def __init__(self, device: int | str | None, purpose: str) -> None:
        sounddevice = audio_out.sounddevice
        if sounddevice is None:
            raise DeviceError(
                f"no audio input: PortAudio is not installed ({audio_out.PORTAUDIO_ERROR}); "
                f"{audio_out.PORTAUDIO_FIX}"
            )
        self.purpose = purpose
        self.overflows = 0
        self._consumer: Consumer | None = None
        self._stream: Any = None
        try:
            info = sounddevice.query_devices(device, "input")
            self.samplerate = int(info["default_samplerate"])
            self._stream = sounddevice.InputStream(
                device=device,
                channels=1,
                samplerate=self.samplerate,
                blocksize=0,  # whatever the device delivers: no extra buffering here
                latency="low",
                dtype="float32",
                callback=self._callback,
            )
        except Exception as exc:  # PortAudioError, ValueError: no such device, no input
            name = "the default input" if device is None else f"input {device!r}"
            raise DeviceError(
                f"cannot open {name} for {purpose} ({one_line(exc)}); "
                "`livesync devices` lists the inputs"
            ) from None
        self.name = str(info["name"])
        self.latency = float(self._stream.latency)  # PortAudio's figure for the device

    def start(self, consumer: Consumer) -> None:
        self._consumer = consumer
        try:
            self._stream.start()
        except Exception as exc:
            self.close()
            raise DeviceError(
                f"cannot start {self.name} for {self.purpose} ({one_line(exc)})"
            ) from None

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's thread: hand the block over, never raise."""
        if status and status.input_overflow:
            self.overflows += 1
        consumer = self._consumer
        if consumer is None:
            return
        try:
            consumer(indata[:, 0])
        except Exception:  # a bad block must not stop the input
            log.debug("%s: a block could not be used", self.purpose, exc_info=True)

    def close(self) -> None:
        if self._stream is None:
            return
        stream, self._stream = self._stream, None
        try:
            stream.stop()
            stream.close()
        except Exception:
            log.debug("%s: closing the input failed", self.purpose, exc_info=True)
