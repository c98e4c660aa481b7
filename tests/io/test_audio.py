"""The audio device is the clock: played for real through jackd's dummy driver in CI.

The test command starts `jackd -d dummy` (a real, paced output device). Elsewhere, without a
sound device, these tests skip, unless LIVESYNC_REQUIRE_AUDIO=1 (set by scripts/test.sh)
makes a missing device a failure, so CI cannot pass by skipping them.

Song time is compared with the device's own frame clock (JACK's frame time, through
JACK-Client), never with how long `time.sleep` took, and every wait has a deadline: a busy
machine may slow these tests down, not fail them.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from livesync.audio.decode import Audio, decode, resample
from livesync.devices.audio_out import AudioPlayer
from livesync.errors import DeviceError, InputError

from ..conftest import HARVARD_MP3
from .test_audio_recording import FrameClock, bracketed, paired

pytestmark = pytest.mark.audio

DEADLINE = 20.0  # seconds any wait may take on a loaded machine before it is a failure


def _player(audio: Audio) -> AudioPlayer:
    try:
        return AudioPlayer(audio)
    except DeviceError as exc:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"no audio output device here: {exc}")


@pytest.fixture
def frames() -> Iterator[FrameClock]:
    """JACK's frame clock: the device's own time, to compare the song's with."""
    try:
        clock = FrameClock()
    except Exception as exc:  # JACK-Client, libjack or the server missing
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"needs a running JACK server and JACK-Client: {exc}")
    yield clock
    clock.close()


def tone(seconds: float, rate: int = 48000) -> Audio:
    t = np.arange(int(seconds * rate)) / rate
    wave = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return Audio(np.stack([wave, wave], axis=1), rate)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < end, f"waited {DEADLINE:g} s for {what}"
        time.sleep(0.005)


def wait_frames(clock: FrameClock, seconds: float) -> None:
    """Waits until JACK's frame clock has moved on `seconds`."""
    end = clock.frame() + round(seconds * clock.rate)
    wait_until(lambda: clock.frame() >= end, "JACK's frame clock")


def _playing(player: AudioPlayer) -> None:
    player.resume()
    wait_until(lambda: player.now() > 0.2, "the song to be heard")


def test_audio_clock_keeps_the_device_frame_clocks_time(frames: FrameClock) -> None:
    """Over 2 s of JACK's frame clock the song clock moves as far, within 3 ms plus how wide
    the two readings' brackets were (a loaded machine can preempt the reader between a frame
    reading and the clock's: that is the reading's uncertainty, not a clock error)."""
    player = _player(tone(6.0))
    try:
        _playing(player)
        f0, song0, width0 = bracketed(frames, player.now)
        wait_frames(frames, 2.0)
        f1, song1, width1 = bracketed(frames, player.now)
        slack = 0.003 + (width0 + width1) / frames.rate
        assert song1 - song0 == pytest.approx((f1 - f0) / frames.rate, abs=slack)
    finally:
        player.close()


def test_clock_is_what_is_heard_not_what_was_written(frames: FrameClock) -> None:
    """The device reports when each buffer reaches the speaker; the clock runs behind the
    written samples by that output latency (JACK's playback latency, 1024 frames here)."""
    player = _player(tone(5.0))
    try:
        _playing(player)
        lags = []
        for _ in range(50):
            lags.append(player.in_flight)
            time.sleep(0.007)
        assert min(lags) > 0.0
        assert player.output_latency <= max(lags) < 0.2
    finally:
        player.close()


def test_a_track_at_another_rate_is_resampled_and_keeps_time(frames: FrameClock) -> None:
    """JACK runs at one rate (48 kHz here); a 44.1 kHz song must still play at true speed."""
    player = _player(tone(5.0, rate=44100))
    try:
        assert player.audio.samplerate == frames.rate
        _playing(player)
        f0, song0 = paired(frames, player.now)
        wait_frames(frames, 1.0)
        f1, song1 = paired(frames, player.now)
        assert song1 - song0 == pytest.approx((f1 - f0) / frames.rate, abs=0.003)
    finally:
        player.close()


def test_pause_freezes_and_seek_jumps(frames: FrameClock) -> None:
    player = _player(tone(20.0))
    try:
        _playing(player)
        player.pause()
        frozen = player.now()
        wait_frames(frames, 0.3)
        assert player.now() == pytest.approx(frozen, abs=1e-3)
        player.seek(10.0)
        assert player.now() == pytest.approx(10.0, abs=1e-3)
        start = frames.frame()
        player.resume()
        wait_frames(frames, 0.5)
        f, song = paired(frames, player.now)
        # From 10 s on, less the output latency before the new place was heard.
        assert song == pytest.approx(10.0 + (f - start) / frames.rate, abs=0.05)
        assert song < 10.0 + (f - start) / frames.rate
    finally:
        player.close()


def test_a_seek_while_playing_holds_at_the_target_until_it_is_heard() -> None:
    player = _player(tone(20.0))
    try:
        _playing(player)
        player.seek(12.0)
        assert player.now() == pytest.approx(12.0, abs=1e-3)  # not 12 minus the latency
        wait_until(lambda: player.now() > 12.05, "the new place to be heard")
    finally:
        player.close()


def _shared_memory(player: AudioPlayer) -> list[Path]:
    output = player._output  # what the player leaves behind if close() goes wrong
    return [
        Path("/dev/shm", shm.name.lstrip("/")) for shm in (output.track.shm, output.control.shm)
    ]


def test_close_leaves_no_process_and_no_shared_memory() -> None:
    player = _player(tone(2.0))
    pid, segments = player._output.pid, _shared_memory(player)
    assert pid is not None and all(segment.exists() for segment in segments)
    player.resume()
    player.close()
    player.close()  # twice is harmless
    assert not any(segment.exists() for segment in segments)
    assert not Path(f"/proc/{pid}").exists()
    with pytest.raises(DeviceError, match="closed"):
        player.now()


def test_a_dead_output_process_is_one_clear_error_not_a_hang() -> None:
    player = _player(tone(5.0))
    try:
        _playing(player)
        assert player._output.pid is not None
        os.kill(player._output.pid, signal.SIGKILL)

        def failed() -> bool:
            try:
                player.now()
            except DeviceError as exc:
                assert "audio output" in str(exc) and "\n" not in str(exc)
                return True
            return False

        wait_until(failed, "the player to notice")
    finally:
        player.close()
    assert not any(segment.exists() for segment in _shared_memory(player))


def test_missing_device_is_one_clear_message_pointing_at_silent() -> None:
    with pytest.raises(DeviceError, match="--silent") as err:
        AudioPlayer(tone(1.0), device="no such sound card")
    assert "\n" not in str(err.value)


def test_resample_keeps_duration_and_pitch() -> None:
    out = resample(tone(2.0, rate=44100), 48000)
    assert out.samplerate == 48000 and len(out.samples) == 96000
    spectrum = np.abs(np.fft.rfft(out.samples[:, 0]))
    assert np.fft.rfftfreq(96000, 1 / 48000)[spectrum.argmax()] == pytest.approx(440, abs=1)


def test_decode_keeps_mp3_times_absolute() -> None:
    """libmpg123 honours the encoder delay: the harvard MP3 decodes to its true length."""
    audio = decode(HARVARD_MP3)
    assert audio.samplerate == 8000
    assert audio.duration == pytest.approx(53.646, abs=0.01)


def test_decode_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="audio file not found"):
        decode(tmp_path / "missing.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(InputError, match="cannot decode audio"):
        decode(junk)


def test_a_damaged_or_foreign_file_is_one_line_and_the_decoder_keeps_quiet(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """libmpg123 prints a line per bad frame on descriptor 2 and libsndfile calls a file it
    cannot recognise one that "does not exist": both stay off the console, and the message
    says what is wrong with the file that is there."""
    good = HARVARD_MP3.read_bytes()
    garbled = tmp_path / "garbled.mp3"
    garbled.write_bytes(good[:5000] + bytes(range(256)) * 120 + good[40000:80000])
    noise = tmp_path / "noise.mp3"
    noise.write_bytes(bytes((i * 7919) % 251 for i in range(3000)))
    messages = []
    for path in (garbled, noise):
        with pytest.raises(InputError) as error:
            decode(path)
        messages.append(str(error.value))
    assert "not an audio file livesync can read" in messages[1]
    assert "does not exist" not in " ".join(messages)
    said = capfd.readouterr().err
    assert "libmpg123" not in said and "Illegal Audio-MPEG-Header" not in said
