"""Edge: plays a decoded track on the sound card (sounddevice) as the show's clock."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from livesync.audio.decode import Audio, resample
from livesync.errors import DeviceError
from livesync.sync.clock import DevicePosition

PORTAUDIO_ERROR = ""
try:
    import sounddevice as sounddevice  # re-exported: `livesync devices` lists its outputs
except OSError as _missing:  # the Python package is there but libportaudio is not
    sounddevice = None
    PORTAUDIO_ERROR = str(_missing)

PORTAUDIO_FIX = (
    "install PortAudio (Debian/Ubuntu: sudo apt-get install libportaudio2) and "
    "check a sound card or sound server is present"
)


class AudioPlayer:
    """Plays a decoded track on the default output and is the show's clock while it does.

    The callback reports, for each buffer, which sample will reach the speaker and when
    (PortAudio's DAC time, which includes the output latency); `now()` extrapolates from the
    last report with the stream's own clock. Pause freezes time at what was last heard.
    """

    def __init__(self, audio: Audio, device: int | str | None = None) -> None:
        if sounddevice is None:
            raise DeviceError(
                f"no audio output: PortAudio is not installed "
                f"({PORTAUDIO_ERROR}); {PORTAUDIO_FIX}, or run with --silent"
            )
        self._lock = threading.Lock()
        self._cursor = 0
        self._playing = False
        try:
            self.audio, self._stream = _open_stream(sounddevice, audio, device, self._callback)
        except Exception as exc:  # PortAudioError, ValueError: no device, bad rate...
            raise DeviceError(
                f"no usable audio output device ({exc}); {PORTAUDIO_FIX}, "
                f"or run with --silent to play on the wall clock"
            ) from None
        self._position = DevicePosition(self.audio.samplerate)
        self._stream.start()

    @property
    def output_latency(self) -> float:
        return float(self._stream.latency)

    def _callback(self, out: npt.NDArray[np.float32], frames: int, time: Any, status: Any) -> None:
        with self._lock:
            start = self._cursor
            dac = time.outputBufferDacTime or (time.currentTime + self._stream.latency)
            self._position.report(start, dac, self._playing)
            if not self._playing:
                out.fill(0.0)
                return
            chunk = self.audio.samples[start : start + frames]
            out[: len(chunk)] = chunk
            out[len(chunk) :] = 0.0
            self._cursor = start + frames

    def now(self) -> float:
        with self._lock:
            return self._position.heard(self._stream.time)

    @property
    def in_flight(self) -> float:
        """Seconds of audio handed to the device but not heard yet: the output latency the
        clock compensates (what a naive 'samples written' clock would be ahead by)."""
        with self._lock:
            return self._cursor / self.audio.samplerate - self._position.heard(self._stream.time)

    @property
    def playing(self) -> bool:
        return self._playing

    def pause(self) -> None:
        with self._lock:
            heard = self._position.heard(self._stream.time)
            self._playing = False
            self._cursor = int(heard * self.audio.samplerate)
            self._position.report(self._cursor, self._stream.time, False)

    def resume(self) -> None:
        with self._lock:
            self._playing = True

    def seek(self, t: float) -> None:
        with self._lock:
            self._cursor = max(0, int(t * self.audio.samplerate))
            self._position.report(
                self._cursor, self._stream.time + self._stream.latency, self._playing
            )

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


def _open_stream(
    sd: Any, audio: Audio, device: int | str | None, callback: Any
) -> tuple[Audio, Any]:
    """An output stream at the track's rate if the device takes it, else at the device's own
    rate with the track resampled (JACK, for one, runs at a single rate)."""
    channels = audio.samples.shape[1]
    try:
        stream = sd.OutputStream(
            samplerate=audio.samplerate,
            channels=channels,
            dtype="float32",
            device=device,
            callback=callback,
            latency="low",
        )
        return audio, stream
    except sd.PortAudioError:
        rate = int(sd.query_devices(device, "output")["default_samplerate"])
        if rate == audio.samplerate:
            raise
    resampled = resample(audio, rate)
    stream = sd.OutputStream(
        samplerate=rate,
        channels=channels,
        dtype="float32",
        device=device,
        callback=callback,
        latency="low",
    )
    return resampled, stream
