"""Edge: plays a decoded track on the sound card as the show's clock.

The samples reach the device from a process of its own (livesync.devices.audio_process), so no
Python in this process has to run on time for the sound to go on: a 35 ms draw holding this
process's GIL, a garbage collection or a shader compile cannot starve the output, and the song
never stutters or slows. This module is the player's side: the transport (pause, resume, seek)
as commands in shared memory, and the clock, extrapolated from the output process's latest
report of which sample reaches the speaker at which monotonic time.
"""

from __future__ import annotations

import logging
import threading
from time import monotonic
from types import TracebackType
from typing import Any

from livesync.audio.channels import fit_channels
from livesync.audio.decode import Audio, resample
from livesync.devices.audio_process import OutputFailed, OutputProcess
from livesync.errors import DeviceError
from livesync.quiet import c_library_output
from livesync.sync.clock import DevicePosition

log = logging.getLogger("livesync")
PORTAUDIO_ERROR = ""
try:
    # PortAudio probes every host API on import; ALSA and JACK print what they lack.
    with c_library_output("sound (PortAudio)"):
        import sounddevice as sounddevice  # re-exported: `livesync devices` lists its outputs
except OSError as _missing:  # the Python package is there but libportaudio is not
    sounddevice = None
    PORTAUDIO_ERROR = str(_missing)

PORTAUDIO_FIX = (
    "install PortAudio (Debian/Ubuntu: sudo apt-get install libportaudio2) and "
    "check a sound card or sound server is present"
)

# The output latency asked for (seconds). The clock compensates whatever the device gives
# from its DAC times, so a deeper buffer costs no sync; it is kept short enough that a pause or
# a seek is heard within 100 ms (this latency plus at most one buffer). JACK ignores it and
# runs at the server's own period.
ASKED_LATENCY = 0.06


class AudioPlayer:
    """Plays a decoded track on an output device and is the show's clock while it does.

    `now()` is what the listener hears: the latest report's sample plus the monotonic time
    since that sample reached the speaker (DevicePosition), with nothing to wait for. Commands
    are applied by the output process at its next buffer; until it reports having applied one,
    the clock runs on the player's own prediction (a seek holds at its target until the new
    place is heard; a pause freezes at what was heard). A dead output process is a DeviceError
    from the next call, and close() leaves no process or shared memory behind.
    """

    def __init__(
        self, audio: Audio, device: int | str | None = None, latency: float = ASKED_LATENCY
    ) -> None:
        if sounddevice is None:
            raise DeviceError(
                f"no audio output: PortAudio is not installed "
                f"({PORTAUDIO_ERROR}); {PORTAUDIO_FIX}, or run with --silent"
            )
        try:
            self.audio = _at_device_rate(sounddevice, audio, device)
            self._output = OutputProcess(self.audio.samples, self.audio.samplerate, device, latency)
        except Exception as exc:  # PortAudioError, ValueError, OutputFailed: no device, bad rate
            raise DeviceError(
                f"no usable audio output device ({_one_line(exc)}); {PORTAUDIO_FIX}, "
                f"or run with --silent to play on the wall clock"
            ) from None
        self._lock = threading.Lock()
        self._position = DevicePosition(self.audio.samplerate)
        self._playing = False
        self._gen = 0  # the latest command: reports from before it are stale
        self._written = 0  # the sample after the last one handed to the device

    @property
    def output_latency(self) -> float:
        """Seconds from a buffer's callback to its first sample at the speaker: the latency the
        clock compensates, as the device's DAC times give it (under JACK, the playback ports'
        latency; PortAudio's own `latency` figure can be a period short of it)."""
        report = self._output.control.report()
        return self._output.latency if report is None else report.ahead

    def now(self) -> float:
        with self._lock:
            self._refresh()
            return self._heard(monotonic())

    def _heard(self, t: float) -> float:
        """Never past what was handed to the device: if its callbacks stall (a sound server
        that stopped), the clock stops with the sound instead of running on alone."""
        return min(self._position.heard(t), max(self._written, 0) / self.audio.samplerate)

    @property
    def in_flight(self) -> float:
        """Seconds of audio handed to the device but not heard yet: the output latency the
        clock compensates (what a naive 'samples written' clock would be ahead by)."""
        with self._lock:
            self._refresh()
            return self._written / self.audio.samplerate - self._heard(monotonic())

    @property
    def playing(self) -> bool:
        return self._playing

    def pause(self) -> None:
        with self._lock:
            self._refresh()
            t = monotonic()
            sample = round(self._heard(t) * self.audio.samplerate)
            self._playing = False
            self._command(sample, t, seek=True)

    def resume(self) -> None:
        with self._lock:
            if self._playing:
                return
            self._refresh()
            t = monotonic()
            sample = round(self._position.heard(t) * self.audio.samplerate)
            self._playing = True
            self._command(sample, t + self.output_latency, seek=False)

    def seek(self, t: float) -> None:
        with self._lock:
            self._check()
            sample = max(0, round(t * self.audio.samplerate))
            self._command(sample, monotonic() + self.output_latency, seek=True)

    def _command(self, sample: int, heard_at: float, seek: bool) -> None:
        """Sends the command and predicts its effect until the output process reports it."""
        self._gen = self._output.control.command(self._playing, sample if seek else None)
        self._position.report(sample, heard_at, self._playing, start=sample)
        self._written = sample

    def _refresh(self) -> None:
        self._check()
        report = self._output.control.report()
        if report is not None and report.gen >= self._gen:
            self._position.report(report.sample, report.dac, report.playing, start=report.start)
            self._written = report.end

    def _check(self) -> None:
        try:
            self._output.check()
        except OutputFailed as exc:
            raise DeviceError(
                f"audio output failed: {_one_line(exc)}; play again, or with --silent to play "
                f"on the wall clock"
            ) from None

    def close(self) -> None:
        self._output.close()

    def __enter__(self) -> AudioPlayer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _at_device_rate(sd: Any, audio: Audio, device: int | str | None) -> Audio:
    """The track at its own rate if the device takes it, else resampled to the device's own
    rate (JACK, for one, runs at a single rate); with more channels than the device has (a
    5.1 mix on a stereo card), mixed down first."""
    most = int(sd.query_devices(device, "output")["max_output_channels"])
    if 0 < most < audio.samples.shape[1]:
        log.info(
            "the track's %d channels are mixed down to %d for this device",
            audio.samples.shape[1],
            min(most, 2),
        )
        audio = fit_channels(audio, most)
    channels = audio.samples.shape[1]
    try:
        sd.check_output_settings(
            device=device, samplerate=audio.samplerate, channels=channels, dtype="float32"
        )
        return audio
    except sd.PortAudioError:
        rate = int(sd.query_devices(device, "output")["default_samplerate"])
        if rate == audio.samplerate:
            raise
    return resample(audio, rate)
