"""The live-vocal analyser against Gentle's alignment of real speech, and its cost per hop.

    python benchmarks/live_voice.py [--block N]

The Harvard list 30 recording (8 kHz MP3) is fed to `LiveVoice.push` in blocks of N samples
(default 10 ms), as an input callback would, and each hop is scored at the time its newest
sample arrived (the earliest it could be drawn). The reference is Gentle's alignment of the
same audio, one of three mouth classes per 10 ms frame:

- closed: silence and P B M;
- open: AA AE AH AO AW AY EH ER EY OW OY;
- narrow: every other phone.

The analyser's class comes from its viseme (SIL/PP closed, AA/E/oh open, the rest narrow).
Balanced agreement is the mean of the per-class recalls, at the lag (analyser later than the
reference by 0..50 ms, or earlier) that maximises it; a mouth that never opens scores 33%,
"open while voiced" with a perfect voice detector 67%, Rhubarb 1.14 66% (phonetic) and 71%
(given the text). The thresholds were tuned on the first half of the file; both halves are
reported, the second half being the held-out check.

Prints markdown tables; the README's "Live vocal analyser" section holds one run.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from _common import GENTLE_JSON, HARVARD_MP3, machine, table

from livesync.audio.decode import decode
from livesync.formats import load
from livesync.lipsync.live_voice import LiveVoice, VoiceHop
from livesync.lipsync.visemes import SILENCE_PHONES, Viseme

FRAME = 0.010
CLASSES = ("closed", "open", "narrow")
CLOSED_PHONES = frozenset({"P", "B", "M"})
OPEN_PHONES = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "OW", "OY"})
OPEN_VISEMES = frozenset({Viseme.AA, Viseme.EH, Viseme.OH})
CLOSED_VISEMES = frozenset({Viseme.SIL, Viseme.PP})
MAX_LAG_FRAMES = 5
IntArray = npt.NDArray[np.int64]


def phone_class(phone: str) -> int:
    key = phone.upper().rstrip("012")
    if key in SILENCE_PHONES or key in CLOSED_PHONES:
        return 0
    return 1 if key in OPEN_PHONES else 2


def viseme_class(viseme: Viseme) -> int:
    if viseme in CLOSED_VISEMES:
        return 0
    return 1 if viseme in OPEN_VISEMES else 2


def reference_classes(phones: Sequence[tuple[str, float, float]], n: int) -> IntArray:
    """Class per 10 ms frame (frame i covers [i, i+1) * 10 ms, judged at its centre)."""
    ref = np.zeros(n, dtype=np.int64)
    centres = (np.arange(n) + 0.5) * FRAME
    for phone, start, end in phones:
        ref[(centres >= start) & (centres < end)] = phone_class(phone)
    return ref


def analyse(
    samples: npt.NDArray[np.float32], rate: int, block: int
) -> tuple[list[VoiceHop], float]:
    """Hops of the whole signal fed in blocks; returns them and the CPU seconds per hop."""
    voice = LiveVoice(rate)
    hops: list[VoiceHop] = []
    t0 = time.process_time()
    for i in range(0, len(samples), block):
        hops.extend(voice.push(samples[i : i + block]))
    cost = (time.process_time() - t0) / max(len(hops), 1)
    return hops, cost


def predicted_classes(hops: Sequence[VoiceHop], n: int) -> IntArray:
    """Class per 10 ms frame: the hop whose newest sample arrived in that frame."""
    pred = np.zeros(n, dtype=np.int64)
    for hop in hops:
        i = round(hop.time / FRAME) - 1
        if 0 <= i < n:
            pred[i] = viseme_class(hop.viseme)
    return pred


def balanced(ref: IntArray, pred: IntArray) -> tuple[float, list[float], IntArray]:
    confusion = np.zeros((3, 3), dtype=np.int64)
    np.add.at(confusion, (ref, pred), 1)
    recalls = [
        float(confusion[c, c] / confusion[c].sum()) if confusion[c].sum() else float("nan")
        for c in range(3)
    ]
    return float(np.nanmean(recalls)), recalls, confusion


def shifted(ref: IntArray, pred: IntArray, lag: int) -> tuple[IntArray, IntArray]:
    """Compare pred[i + lag] with ref[i]: a positive lag means the analyser is late."""
    if lag >= 0:
        return ref[: len(ref) - lag], pred[lag:]
    return ref[-lag:], pred[: len(pred) + lag]


def best_lag(ref: IntArray, pred: IntArray) -> int:
    scores = {
        lag: balanced(*shifted(ref, pred, lag))[0]
        for lag in range(-MAX_LAG_FRAMES, MAX_LAG_FRAMES + 1)
    }
    return max(scores, key=lambda k: scores[k])


def report(name: str, ref: IntArray, pred: IntArray, lag: int | None = None) -> list[str]:
    lag = best_lag(ref, pred) if lag is None else lag
    r, p = shifted(ref, pred, lag)
    score, recalls, _ = balanced(r, p)
    return [
        name,
        f"{100 * score:.1f}%",
        f"{lag * 10:+d} ms",
        *(f"{100 * x:.1f}%" for x in recalls),
        str(len(r)),
    ]


def confusion_rows(ref: IntArray, pred: IntArray, lag: int) -> list[list[str]]:
    _, _, confusion = balanced(*shifted(ref, pred, lag))
    return [
        [CLASSES[c], *(str(int(v)) for v in confusion[c]), str(int(confusion[c].sum()))]
        for c in range(3)
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=0, help="samples per push (default 10 ms)")
    args = parser.parse_args(argv)

    audio = decode(HARVARD_MP3)
    rate = audio.samplerate
    samples = audio.samples.mean(axis=1)
    timeline = load(GENTLE_JSON)
    phones = [(p.phone, p.start, p.end) for p in timeline.phones]
    block = args.block or round(FRAME * rate)
    hops, _ = analyse(samples, rate, block)
    n = int(len(samples) / rate / FRAME)
    ref = reference_classes(phones, n)
    pred = predicted_classes(hops, n)
    half = n // 2

    print(machine())
    print(
        f"\nHarvard list 30: {len(samples) / rate:.1f} s at {rate} Hz, {len(hops)} hops, "
        f"pushed in blocks of {block} samples\n"
    )
    lag = best_lag(ref, pred)
    rows = [
        report("whole file", ref, pred),
        report("first half (tuned on)", ref[:half], pred[:half]),
        report("second half (held out)", ref[half:], pred[half:]),
        report("whole file, lag 0", ref, pred, 0),
    ]
    print(table(["audio", "balanced", "lag", *[f"{c} recall" for c in CLASSES], "frames"], rows))
    print(f"\nConfusion at lag {lag * 10:+d} ms (rows Gentle, columns analyser):\n")
    print(table(["Gentle \\ analyser", *CLASSES, "total"], confusion_rows(ref, pred, lag)))

    costs = []
    for rate_hz in (8000, 16000, 48000):
        sig = np.random.default_rng(0).standard_normal(rate_hz * 10).astype(np.float32) * 0.1
        _, c = analyse(sig, rate_hz, round(FRAME * rate_hz))
        costs.append([f"{rate_hz} Hz", f"{1e3 * c:.3f} ms", f"{100 * c / FRAME:.2f}%"])
    print("\nCPU cost per 10 ms hop (one core, blocks of 10 ms):\n")
    print(table(["sample rate", "per hop", "share of real time"], costs))

    print(f"\nload average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
