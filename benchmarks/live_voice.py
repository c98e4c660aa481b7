"""The live-vocal analyser against Gentle's alignment of real speech, and its cost per hop.

    python benchmarks/live_voice.py [--block N] [--fit]

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
(given the text). The analyser's classifier is fitted on the first half of the file
(`--fit` prints its weights for livesync/lipsync/live_voice.py); both halves are reported, the
second half being the held-out check, and as a cross-check the first half scored by the same
analyser with its classifier fitted on the second half instead.

The lag is also measured at 1 ms resolution (the file fed again 1..9 ms later, so hops fall
on every millisecond); live_voice.ANALYSIS_DELAY holds that figure, and the pipeline latency
adds it to the input buffer (512 frames at 48 kHz on JACK) and one 60 Hz frame.

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
from livesync.lipsync.live_voice import ANALYSIS_DELAY, LiveVoice, VoiceHop
from livesync.lipsync.visemes import SILENCE_PHONES, Viseme

FRAME = 0.010
CLASSES = ("closed", "open", "narrow")
CLOSED_PHONES = frozenset({"P", "B", "M"})
OPEN_PHONES = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "OW", "OY"})
OPEN_VISEMES = frozenset({Viseme.AA, Viseme.EH, Viseme.OH})
CLOSED_VISEMES = frozenset({Viseme.SIL, Viseme.PP})
MAX_LAG_FRAMES = 5
FIT_LEAD = 2  # hops: --fit teaches the classifier the phone this many hops ahead
FIT_L2 = 0.03  # --fit's L2 penalty on the (standardised) weights
FIT_MS = 15  # the parabola for the 1 ms lag is fitted this far either side of the maximum
INPUT_BUFFER = 512 / 48000  # the live input's block on JACK at 48 kHz
FRAME_60HZ = 1 / 60  # the frame the result is drawn in
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


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


def fine_lag(
    samples: npt.NDArray[np.float32], rate: int, phones: Sequence[tuple[str, float, float]]
) -> tuple[float, float]:
    """The lag at 1 ms resolution (seconds) and the balanced agreement there, over the whole
    file. The signal is fed again delayed by 1..9 ms, so the hops fall on every millisecond;
    each hop is scored against the reference 5 ms (half a frame, as in the 10 ms scoring) plus
    the lag before its newest sample arrived. The agreement is flat near its top (within 0.2
    points over ~15 ms), so the lag is the vertex of a parabola fitted to the curve within
    FIT_MS of its maximum rather than the noisy maximum itself."""
    times, classes = [], []
    for delay_ms in range(10):
        pad = round(delay_ms * rate / 1000)
        hops, _ = analyse(np.concatenate((np.zeros(pad, np.float32), samples)), rate, 4096)
        times += [hop.time - pad / rate for hop in hops]
        classes += [viseme_class(hop.viseme) for hop in hops]
    at, pred = np.array(times), np.array(classes, dtype=np.int64)
    starts = np.array([start for _, start, _ in phones])
    ends = np.array([end for _, _, end in phones])
    kinds = np.array([phone_class(phone) for phone, _, _ in phones], dtype=np.int64)
    end = len(samples) / rate
    lags = np.arange(-10 * MAX_LAG_FRAMES, 10 * MAX_LAG_FRAMES + 1)
    scores = np.zeros(len(lags))
    for k, lag_ms in enumerate(lags):
        t = at - 0.005 - lag_ms / 1000
        keep = (t >= 0) & (t < end)
        i = np.clip(np.searchsorted(starts, t[keep], side="right") - 1, 0, len(starts) - 1)
        inside = (t[keep] >= starts[i]) & (t[keep] < ends[i])
        scores[k] = balanced(np.where(inside, kinds[i], 0), pred[keep])[0]
    top = int(np.argmax(scores))
    near = np.abs(lags - lags[top]) <= FIT_MS
    a, b, _ = np.polyfit(lags[near], scores[near], 2)
    vertex = -b / (2 * a) if a < 0 else float(lags[top])
    vertex = float(np.clip(vertex, lags[near].min(), lags[near].max()))
    return vertex / 1000, float(np.interp(vertex, lags, scores))


def classifier_inputs(samples: npt.NDArray[np.float32], rate: int) -> FloatArray:
    """The classifier's inputs at every hop (rows), fed one hop at a time."""
    voice = LiveVoice(rate)
    rows = []
    for i in range(0, len(samples), voice.hop_samples):
        if voice.push(samples[i : i + voice.hop_samples]):
            rows.append(voice.inputs.copy())
    return np.array(rows)


def fit(inputs: FloatArray, ref: IntArray, l2: float = 0.01, steps: int = 400) -> FloatArray:
    """Multinomial logistic regression with balanced class weights (each class counts alike,
    as the balanced agreement does) and a little L2, by gradient descent with momentum on
    standardised inputs; returns weights (classes x inputs) and biases (last column) for the
    raw inputs."""
    mean, std = inputs.mean(axis=0), inputs.std(axis=0) + 1e-9
    z = np.hstack(((inputs - mean) / std, np.ones((len(inputs), 1))))
    onehot = np.eye(3)[ref]
    weight = (1.0 / onehot.mean(axis=0))[ref]
    weight /= weight.mean()
    w = np.zeros((z.shape[1], 3))
    velocity = np.zeros_like(w)
    for _ in range(steps):
        logits = z @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = z.T @ ((p - onehot) * weight[:, None]) / len(z)
        grad[:-1] += l2 * w[:-1]
        velocity = 0.9 * velocity - 0.5 * grad
        w += velocity
    raw = w[:-1] / std[:, None]
    bias = w[-1] - (mean[:, None] * raw).sum(axis=0)
    return np.vstack((raw, bias)).T


def fit_half(inputs: FloatArray, ref: IntArray, lo: int, hi: int) -> FloatArray:
    """The classifier fitted on frames lo..hi, each hop to the phone FIT_LEAD hops after it:
    it learns to call a class on its first evidence (a rising level, a spectrum turning), which
    takes the lag from ~23 ms (fitted to its own hop) to ~15 ms for ~1 point of agreement."""
    target = np.concatenate((ref[FIT_LEAD:], np.zeros(FIT_LEAD, dtype=np.int64)))
    hi = min(hi, len(ref) - FIT_LEAD)
    return fit(inputs[lo:hi], target[lo:hi], l2=FIT_L2)


def print_fit(samples: npt.NDArray[np.float32], rate: int, ref: IntArray, half: int) -> None:
    """Fit the classifier on the first half and print its constants for live_voice.py."""
    fitted = fit_half(classifier_inputs(samples, rate)[: len(ref)], ref, 0, half)
    print("_WEIGHTS: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]] = (")
    for row in fitted[:, :-1]:
        print("    (" + ", ".join(f"{v:.4g}" for v in row) + "),")
    print(")")
    print("_BIASES = (" + ", ".join(f"{v:.4g}" for v in fitted[:, -1]) + ")")


def cross_check(samples: npt.NDArray[np.float32], rate: int, ref: IntArray, half: int) -> IntArray:
    """Classes per frame from the analyser with its classifier fitted on the second half
    instead (the first half is then the held-out one): how much the fit depends on its half."""
    fitted = fit_half(classifier_inputs(samples, rate)[: len(ref)], ref, half, len(ref))
    voice = LiveVoice(rate)
    voice._w, voice._b = fitted[:, :-1].copy(), fitted[:, -1].copy()
    return predicted_classes(voice.push(samples), len(ref))


def espeak_speech() -> tuple[npt.NDArray[np.float32], int, list[tuple[str, float, float]]] | None:
    """The Harvard sentences spoken by libespeak-ng (tools/make_demo.py's binding, 120 words a
    minute, wide pitch range), 0.6 s apart, with espeak's own phone times: a reference with
    exact timing, where Gentle's alignment of the recording has its own errors. None when
    libespeak-ng is not installed."""
    import sys
    from pathlib import Path

    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
        import make_demo

        engine = make_demo.ESpeak("en-us")
    except (ImportError, OSError, SystemExit):
        return None
    strict = make_demo.espeak_to_arpabet

    def lenient(name: str) -> tuple[str, ...]:
        try:
            return tuple(strict(name))
        except KeyError:  # a modifier such as ';' (palatal): no phone of its own
            return ()

    make_demo.espeak_to_arpabet = lenient
    text = Path(__file__).resolve().parent.parent / "tests/data/harvard-sentences-list30.txt"
    sentences = [line for line in text.read_text().splitlines() if line.strip()]
    pieces: list[npt.NDArray[np.float32]] = []
    phones: list[tuple[str, float, float]] = []
    t, rate = 0.5, 0
    for sentence in sentences:
        utt = engine.synth(sentence, 120, 50, 70)
        rate = utt.sample_rate
        if not pieces:
            pieces.append(np.zeros(int(0.5 * rate), np.float32))
        _, sentence_phones = make_demo.utterance_to_alignment(utt)
        phones += [(p.phone, t + p.start, t + p.end) for p in sentence_phones]
        audio = utt.audio.astype(np.float32) / 32768.0
        pieces += [audio, np.zeros(int(0.6 * rate), np.float32)]
        t += (len(audio) + int(0.6 * rate)) / rate
    samples = np.concatenate(pieces)
    samples += np.random.default_rng(5).normal(0, 1e-3, len(samples)).astype(np.float32)
    return samples, rate, phones


# The five viseme classes, for per-class agreement (phones and shapes outside them --
# T D K G N NG L HH, and the analyser's DD kk nn L -- are not scored here).
SHAPES = ("closed", "open", "rounded", "spread", "frication")
SHAPE_OF_PHONE = {
    **dict.fromkeys(("P", "B", "M"), 0),
    **dict.fromkeys(("AA", "AE", "AH", "AW", "AY", "EH", "ER"), 1),
    **dict.fromkeys(("AO", "OW", "OY", "UW", "UH", "W", "R"), 2),
    **dict.fromkeys(("IY", "IH", "EY", "Y"), 3),
    **dict.fromkeys(("S", "Z", "SH", "ZH", "F", "V", "TH", "DH", "CH", "JH"), 4),
}
SHAPE_OF_VISEME = {
    Viseme.SIL: 0,
    Viseme.PP: 0,
    Viseme.AA: 1,
    Viseme.EH: 1,
    Viseme.OH: 2,
    Viseme.OU: 2,
    Viseme.RR: 2,
    Viseme.IH: 3,
    Viseme.SS: 4,
    Viseme.CH: 4,
    Viseme.FF: 4,
    Viseme.TH: 4,
}


def shape_agreement(
    phones: Sequence[tuple[str, float, float]], hops: Sequence[VoiceHop], n: int, lag: int
) -> list[str]:
    """Per class of the five, the share of the reference's frames of that class where the
    analyser (at `lag` frames) shows the same class; silence counts as closed."""
    ref = np.full(n, -1, dtype=np.int64)
    centres = (np.arange(n) + 0.5) * FRAME
    ref[:] = 0  # no phone: silence
    for phone, start, end in phones:
        key = phone.upper().rstrip("012")
        cls = 0 if key in SILENCE_PHONES else SHAPE_OF_PHONE.get(key, -1)
        ref[(centres >= start) & (centres < end)] = cls
    pred = np.full(n, -1, dtype=np.int64)
    for hop in hops:
        i = round(hop.time / FRAME) - 1
        if 0 <= i < n:
            pred[i] = SHAPE_OF_VISEME.get(hop.viseme, -1)
    r, p = shifted(ref, pred, lag)
    return [
        f"{100 * float(np.mean(p[r == c] == c)):.1f}%" if (r == c).any() else "-"
        for c in range(len(SHAPES))
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=0, help="samples per push (default 10 ms)")
    parser.add_argument(
        "--fit", action="store_true", help="fit the classifier on the first half, print it"
    )
    args = parser.parse_args(argv)

    audio = decode(HARVARD_MP3)
    rate = audio.samplerate
    samples = audio.samples.mean(axis=1)
    timeline = load(GENTLE_JSON)
    phones = [(p.phone, p.start, p.end) for p in timeline.phones]
    block = args.block or round(FRAME * rate)
    n = int(len(samples) / rate / FRAME)
    ref = reference_classes(phones, n)
    half = n // 2
    if args.fit:
        print_fit(samples, rate, ref, half)
        return
    hops, _ = analyse(samples, rate, block)
    pred = predicted_classes(hops, n)

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
        report(
            "cross-check: first half, fitted on the second",
            ref[:half],
            cross_check(samples, rate, ref, half)[:half],
        ),
    ]
    synthetic = espeak_speech()
    if synthetic is not None:
        speech, speech_rate, speech_phones = synthetic
        m = int(len(speech) / speech_rate / FRAME)
        speech_hops, _ = analyse(speech, speech_rate, round(FRAME * speech_rate))
        rows.append(
            report(
                f"espeak-ng, exact phone times ({len(speech) / speech_rate:.0f} s)",
                reference_classes(speech_phones, m),
                predicted_classes(speech_hops, m),
            )
        )
    print(table(["audio", "balanced", "lag", *[f"{c} recall" for c in CLASSES], "frames"], rows))
    shape_rows = [["Harvard (Gentle)", *shape_agreement(phones, hops, n, lag)]]
    if synthetic is not None:
        shape_rows.append(["espeak-ng", *shape_agreement(speech_phones, speech_hops, m, 0)])
    print("\nAgreement per viseme class (frames of the class shown as that class):\n")
    print(table(["audio", *SHAPES], shape_rows))
    print(f"\nConfusion at lag {lag * 10:+d} ms (rows Gentle, columns analyser):\n")
    print(table(["Gentle \\ analyser", *CLASSES, "total"], confusion_rows(ref, pred, lag)))

    lag_s, fine_score = fine_lag(samples, rate, phones)
    print(
        f"\nLag at 1 ms resolution: {1e3 * lag_s:+.0f} ms, balanced {100 * fine_score:.1f}% "
        f"there (live_voice.ANALYSIS_DELAY = {1e3 * ANALYSIS_DELAY:.0f} ms)\n"
    )
    parts = [
        ("input buffer (JACK, 512 frames at 48 kHz)", INPUT_BUFFER),
        ("analyser (lag above)", lag_s),
        ("one frame at 60 Hz", FRAME_60HZ),
    ]
    total = sum(seconds for _, seconds in parts)
    rows = [[name, f"{1e3 * seconds:.1f} ms"] for name, seconds in parts]
    rows.append(
        ["sound in to mouth on screen (plus the display's own lag)", f"{1e3 * total:.1f} ms"]
    )
    print(table(["pipeline latency", "ms"], rows))

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
