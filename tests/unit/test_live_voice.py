"""The live-vocal analyser on synthetic signals: silence, a vowel, noise, a plosive, streaming."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from livesync.control.state import LiveView
from livesync.frame.performance import Performance
from livesync.lipsync.live_voice import HOLD_SECONDS, HeardVoice, LiveVoice, VoiceHold, VoiceHop
from livesync.lipsync.timeline import Phone, Timeline, Word
from livesync.lipsync.visemes import POSES, MouthPose, Viseme

REST = POSES[Viseme.SIL]

RATE = 16000
OPEN = {Viseme.AA, Viseme.EH, Viseme.OH}
CLOSED = {Viseme.SIL, Viseme.PP}
Signal = npt.NDArray[np.float64]


def vowel(
    seconds: float,
    f0: float = 150.0,
    formants: tuple[float, ...] = (700.0, 1200.0),
    rate: int = RATE,
) -> Signal:
    """A harmonic tone whose harmonics are shaped by resonances: an 'ah'-like vowel."""
    t = np.arange(int(seconds * rate)) / rate
    out = np.zeros_like(t)
    for k in range(1, int(3800 / f0)):
        f = k * f0
        gain = sum(1.0 / (1.0 + ((f - fc) / 90.0) ** 2) for fc in formants) + 0.02
        out += gain * np.sin(2 * np.pi * f * t + k)
    peak = float(np.max(np.abs(out)))
    return 0.3 * out / peak


def hiss(seconds: float, seed: int = 1, rate: int = RATE) -> Signal:
    """White noise high-passed by a first difference: energy above 2.5 kHz, like S."""
    noise = np.random.default_rng(seed).standard_normal(int(seconds * rate) + 1)
    return 0.1 * np.diff(noise)


def silence(seconds: float, rate: int = RATE) -> Signal:
    return np.zeros(int(seconds * rate))


def run(signal: Signal, block: int = 160, rate: int = RATE) -> list[VoiceHop]:
    voice = LiveVoice(rate)
    hops: list[VoiceHop] = []
    for i in range(0, len(signal), block):
        hops.extend(voice.push(signal[i : i + block]))
    return hops


def during(hops: list[VoiceHop], start: float, end: float) -> list[VoiceHop]:
    return [h for h in hops if start <= h.time < end]


def test_one_hop_per_ten_ms() -> None:
    hops = run(silence(1.0))
    assert len(hops) == 100
    assert hops[0].time == pytest.approx(0.01)
    assert hops[-1].time == pytest.approx(1.0)


def test_silence_is_closed() -> None:
    hops = run(silence(0.5) + 1e-5 * np.random.default_rng(0).standard_normal(int(0.5 * RATE)))
    assert all(h.viseme in CLOSED for h in hops)
    assert all(h.voice < 0.5 and h.pose.open < 0.05 for h in hops)


def test_vowel_opens_the_mouth() -> None:
    hops = run(np.concatenate((silence(0.3), vowel(0.6), silence(0.3))))
    middle = during(hops, 0.45, 0.85)
    assert all(h.viseme in OPEN for h in middle)
    assert min(h.pose.open for h in middle) > 0.4
    # before the vowel and once it has died away, the mouth rests
    assert all(h.viseme in CLOSED for h in during(hops, 0.0, 0.3))
    assert all(h.viseme in CLOSED for h in during(hops, 1.0, 1.2))


def test_close_vowel_is_narrow() -> None:
    """An 'ee' (formants ~280/2250 Hz): voiced, but the jaw barely opens."""
    hops = run(np.concatenate((silence(0.3), vowel(0.6, formants=(280.0, 2250.0)))))
    middle = during(hops, 0.45, 0.85)
    assert all(h.viseme not in OPEN and h.viseme not in CLOSED for h in middle)
    assert all(h.voice > 0.5 and h.open < 0.4 and h.pose.open < 0.35 for h in middle)
    assert np.mean([h.round for h in middle]) < 0.2


def test_noise_burst_is_frication() -> None:
    hops = run(np.concatenate((silence(0.3), vowel(0.3), hiss(0.3))))
    fric = during(hops, 0.68, 0.9)  # the jaw closes within ~40 ms of the vowel
    assert all(h.frication > 0.5 for h in fric)
    assert all(h.viseme in {Viseme.SS, Viseme.CH} for h in fric)
    assert all(h.pose.teeth > 0.5 and h.pose.open < 0.3 for h in fric)
    vowel_part = during(hops, 0.45, 0.6)
    assert all(h.frication < 0.2 for h in vowel_part)


def test_plosive_closes_then_opens() -> None:
    """'pa': a vowel, the lips shut (silence), a short burst, then the vowel again."""
    burst = 0.3 * np.random.default_rng(2).standard_normal(int(0.01 * RATE))
    signal = np.concatenate((silence(0.2), vowel(0.3), silence(0.08), burst, vowel(0.3)))
    hops = run(signal)
    closure = during(hops, 0.54, 0.58)
    assert closure and all(h.viseme in CLOSED for h in closure)
    assert all(h.pose.press > 0.5 for h in closure)  # a closure inside speech, not rest
    after = during(hops, 0.65, 0.88)
    assert all(h.viseme in OPEN for h in after)


def test_the_mouth_follows_an_onset_and_a_stop_within_one_hop() -> None:
    """The timing cues read the newest 8 ms: the first hop whose newest 10 ms are voiced opens,
    the first one after the voice stops is shut (no 16 ms of window looking back)."""
    hops = run(np.concatenate((silence(0.3), vowel(0.3), silence(0.3))))
    assert all(h.viseme in CLOSED for h in during(hops, 0.0, 0.305))
    assert all(h.viseme in OPEN for h in during(hops, 0.305, 0.605))
    assert all(h.viseme in CLOSED for h in during(hops, 0.605, 0.9))
    assert all(h.closure > 0.5 for h in during(hops, 0.605, 0.8))  # inside speech: PP, not rest


def test_nasal_murmur_is_narrow() -> None:
    """'ama': the murmur of M/N (80 ms, 12 dB under the vowel, its energy under ~400 Hz and
    nothing in the F1 band) must not keep the jaw open after the vowel, nor read as silence;
    the jaw opens again on the next vowel."""
    murmur = 0.25 * vowel(0.08, formants=(250.0,))
    hops = run(np.concatenate((silence(0.3), vowel(0.3), murmur, vowel(0.3))))
    inside = during(hops, 0.635, 0.685)
    assert all(h.viseme not in OPEN and h.viseme not in CLOSED for h in inside)
    assert all(h.voice > 0.5 and h.open < 0.5 for h in inside)
    assert all(h.viseme in OPEN for h in during(hops, 0.695, 0.98))


def test_quiet_fricative_is_not_silence() -> None:
    """A soft S (30 dB under the vowels, as on a telephone line) still shows the teeth: it is
    speech, not rest, though quiet enough to fail a plain loudness gate."""
    soft = 0.03 * hiss(0.2)
    hops = run(np.concatenate((silence(0.3), vowel(0.3), soft, vowel(0.3))))
    inside = during(hops, 0.64, 0.8)
    assert all(h.viseme not in OPEN and h.viseme not in CLOSED for h in inside)


@pytest.mark.parametrize("block", [1, 37, 160, 441, 4000])
def test_chunk_size_does_not_change_the_answer(block: int) -> None:
    signal = np.concatenate((silence(0.2), vowel(0.3), hiss(0.2), vowel(0.2)))
    whole = LiveVoice(RATE).push(signal)
    assert run(signal, block) == whole


def test_stereo_blocks_and_other_rates() -> None:
    mono = np.concatenate((silence(0.2), vowel(0.3)))
    stereo = np.stack((mono, mono), axis=1)
    assert LiveVoice(RATE).push(stereo) == LiveVoice(RATE).push(mono)
    hops = LiveVoice(8000).push(mono[::2])  # the same vowel at telephone rate
    assert any(h.viseme in OPEN for h in hops)


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_the_same_shapes_at_every_sample_rate(rate: int) -> None:
    """Telephone audio, a CD-rate file, a 48 kHz desk channel: an 'ah' opens, an 'ee' stays
    narrow, an S (loud or soft, its energy up to the top of the band) shows the teeth, and a
    closure between two vowels shuts the lips."""
    quiet = silence(0.3, rate)
    ah, ee = vowel(0.3, rate=rate), vowel(0.3, formants=(280.0, 2250.0), rate=rate)
    gap = silence(0.08, rate)
    parts = [quiet, ah, hiss(0.2, rate=rate), ah, 0.03 * hiss(0.2, rate=rate), ee, gap, ah]
    hops = run(np.concatenate(parts), block=rate // 100, rate=rate)
    assert all(h.viseme in OPEN for h in during(hops, 0.35, 0.6))  # ah
    assert all(h.viseme in {Viseme.SS, Viseme.CH} for h in during(hops, 0.65, 0.8))  # S
    assert all(h.viseme in OPEN for h in during(hops, 0.85, 1.1))  # ah
    soft = during(hops, 1.15, 1.3)  # a soft S
    assert all(h.viseme not in OPEN and h.viseme not in CLOSED for h in soft)
    ee_ = during(hops, 1.4, 1.6)  # the 'ee' (its first ~50 ms after the S may flash open)
    assert all(h.viseme not in OPEN and h.viseme not in CLOSED for h in ee_)
    assert all(h.viseme is Viseme.PP for h in during(hops, 1.615, 1.68))  # the closure
    assert all(h.viseme in OPEN for h in during(hops, 1.72, 1.95))  # ah


def test_reset_forgets_the_signal() -> None:
    voice = LiveVoice(RATE)
    first = voice.push(vowel(0.3))
    voice.reset()
    assert voice.push(vowel(0.3)) == first


def test_bad_settings() -> None:
    with pytest.raises(ValueError):
        LiveVoice(0)
    with pytest.raises(ValueError):
        LiveVoice(RATE, hop=0.05, window=0.02)


def test_the_hold_keeps_the_singer_in_charge_through_short_gaps() -> None:
    signal = np.concatenate([silence(0.2), vowel(0.5), silence(0.3), vowel(0.3), silence(1.5)])
    hold = VoiceHold()
    singing = [(h.time, hold.singing(h)) for h in run(signal)]
    assert not any(s for t, s in singing if t < 0.2)  # nothing heard yet
    assert all(s for t, s in singing if 0.22 <= t < 1.3 + HOLD_SECONDS - 0.05)  # gap held
    assert not any(s for t, s in singing if t > 1.3 + HOLD_SECONDS + 0.1)  # then let go


def voice_view(pose: MouthPose, viseme: Viseme, singing: bool) -> LiveView:
    return LiveView(voice=HeardVoice(pose, viseme, singing, 0.04))


def test_the_live_singer_wins_over_the_timeline_only_while_singing() -> None:
    """A show with a backing-track vocal on its timeline and the singer on the input."""
    words = (Word("ma", 1.0, 2.0),)
    perf = Performance(Timeline(words, (Phone("AA", 1.0, 2.0, 0),), 4.0), None)
    sung = MouthPose(open=0.9, width=0.5, round=0.0, teeth=0.0, tongue=0.0, bite=0.0, press=0.0)
    timeline = perf.state_at(1.5)
    assert timeline.viseme is Viseme.AA
    live = perf.state_at(1.5, live=voice_view(sung, Viseme.OH, singing=True))
    assert (live.pose, live.viseme) == (sung, Viseme.OH)
    assert perf.state_at(1.02).shape_switches  # the timeline's planned cross-fade...
    assert perf.state_at(1.02, live=voice_view(sung, Viseme.OH, True)).shape_switches == ()
    backing = perf.state_at(1.5, live=voice_view(REST, Viseme.SIL, singing=False))
    assert (backing.pose, backing.viseme) == (timeline.pose, timeline.viseme)
    between = perf.state_at(3.0, live=voice_view(REST, Viseme.SIL, singing=False))
    assert between.pose == REST  # no backing vocal here: the live (resting) mouth


def test_a_pause_in_a_noisy_room_is_closed() -> None:
    """A microphone's hiss between phrases is silence, not an S: after a vowel, 0.6 s of
    the room's noise alone (55 dB under the voice) closes the mouth within 150 ms."""
    noise = 0.3 * 10 ** (-55 / 20) * np.random.default_rng(2).standard_normal(int(1.4 * RATE))
    signal = noise.copy()
    signal[int(0.3 * RATE) : int(0.8 * RATE)] += vowel(0.5)
    hops = run(signal)
    pause = during(hops, 0.8 + 0.15 + 0.05, 1.35)
    assert pause and all(h.viseme in CLOSED for h in pause)
    assert all(h.open < 0.5 for h in pause)
