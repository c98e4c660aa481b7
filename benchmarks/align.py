"""The built-in aligner against Gentle's own alignment, and against a plain whole-file run.

    python benchmarks/align.py [--quick]

1. Harvard list 30 (real speech, 8 kHz MP3, Gentle's alignment as reference): word-start and
   phone-start error (median, p90), words aligned, real-time factor; for livesync's chunked
   aligner (the `livesync align` path) and the plain whole-file two-pass baseline.
2. The same speech made song-like: long instrumental gaps between sentences (the sentences are
   cut apart at the pauses, so Gentle's times, shifted, stay the reference), once as a clean
   vocal stem (quiet between sentences) and once as a mix with a synthetic backing track
   under the voice and in the gaps. This is where a whole-file alignment drifts.
3. (unless --quick) Exact references: espeak-ng synthesised sentences (libespeak-ng reports
   the sample each word starts at), spaced by gaps, alone and over the backing track.

Prints markdown tables; the README's "Aligner" section holds one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from _common import GENTLE_JSON, HARVARD_MP3, machine, table

from livesync.align import align_pcm, load_pcm, parse_lyrics
from livesync.align.lyrics import Lyrics
from livesync.formats import load
from livesync.lipsync.timeline import Timeline

RATE = 16000
LYRICS = GENTLE_JSON.parent / "harvard-sentences-list30.txt"
METHODS = (("livesync (chunked)", "chunked"), ("whole-file two-pass", "whole"))


@dataclass(frozen=True)
class Reference:
    """Word starts (None when the reference has none) and phones per word."""

    word_starts: list[float | None]
    phones: list[list[tuple[str, float]]]


def reference_from(timeline: Timeline, shift: Callable[[float], float] = lambda t: t) -> Reference:
    phones: list[list[tuple[str, float]]] = [[] for _ in timeline.words]
    for p in timeline.phones:
        if p.word is not None:
            phones[p.word].append((p.phone, shift(p.start)))
    return Reference([None if w.start is None else shift(w.start) for w in timeline.words], phones)


def errors(ours: Timeline, ref: Reference) -> tuple[list[float], list[float], int]:
    """|word start error|, |phone start error| (words whose phone counts agree), aligned."""
    ours_ref = reference_from(ours)
    word_err: list[float] = []
    phone_err: list[float] = []
    for a, b, pa, pb in zip(
        ours_ref.word_starts, ref.word_starts, ours_ref.phones, ref.phones, strict=True
    ):
        if a is None or b is None:
            continue
        word_err.append(abs(a - b))
        if len(pa) == len(pb):
            phone_err.extend(abs(x[1] - y[1]) for x, y in zip(pa, pb, strict=True))
    return word_err, phone_err, len(ours.aligned_words())


def ms(values: Sequence[float], q: float) -> str:
    return f"{np.percentile(np.asarray(values) * 1e3, q):.1f}" if len(values) else "-"


def run_case(
    name: str,
    pcm: npt.NDArray[np.int16],
    lyrics: Lyrics,
    ref: Reference,
    rows: list[list[object]],
    repeat: int = 1,
) -> None:
    duration = len(pcm) / RATE
    for label, method in METHODS:
        took = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = align_pcm(pcm, duration, lyrics, method=method)
            took.append(time.perf_counter() - started)
        word_err, phone_err, aligned = errors(result.timeline, ref)
        rows.append(
            [
                name,
                label,
                f"{aligned}/{len(ref.word_starts)}",
                f"{len(word_err)}",
                ms(word_err, 50),
                ms(word_err, 90),
                ms(phone_err, 50),
                ms(phone_err, 90),
                f"{min(took) / duration:.3f}",
            ]
        )
        print(f"  {name}: {label} done", file=sys.stderr)


# --- song-like variants of the Harvard recording --------------------------------------------


def backing_track(seconds: float, seed: int = 7, bpm: float = 96.0) -> npt.NDArray[np.float64]:
    """A plain synthetic backing: bass and chord pad on a I-vi-IV-V loop, kick and hi-hat."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    beat = 60.0 / bpm
    out = np.zeros(n)
    roots = [110.0, 92.5, 73.4, 82.4]  # A, F#, D, E
    bar = 4 * beat
    for k in range(int(seconds / bar) + 1):
        a, b = int(k * bar * RATE), min(n, int((k + 1) * bar * RATE))
        if a >= n:
            break
        tt = t[a:b]
        root = roots[k % 4]
        out[a:b] += 0.25 * np.sin(2 * np.pi * root * tt)
        for ratio in (2.0, 2.52, 3.0):
            out[a:b] += 0.06 * np.sin(2 * np.pi * root * ratio * tt + ratio)
    for k in range(int(seconds / beat)):
        a = int(k * beat * RATE)
        m = min(n - a, int(0.15 * RATE))
        env = np.exp(-np.arange(m) / (0.03 * RATE))
        out[a : a + m] += 0.5 * env * np.sin(2 * np.pi * 55 * np.arange(m) / RATE)  # kick
        h = int((k + 0.5) * beat * RATE)
        mh = min(n - h, int(0.05 * RATE))
        if mh > 0:
            out[h : h + mh] += 0.08 * rng.normal(0, 1, mh) * np.exp(-np.arange(mh) / (0.01 * RATE))
    return out


def with_gaps(
    pcm: npt.NDArray[np.int16],
    gentle: Timeline,
    lyrics: Lyrics,
    gaps: Sequence[float],
    backing_db: float | None,
) -> tuple[npt.NDArray[np.int16], Reference]:
    """Cut the recording at the pause before each sentence and insert the given gaps; the
    backing (if any) plays under everything `backing_db` relative to the voice's RMS."""
    counts = [len(line.words) for line in lyrics.lines]
    cuts = [0.0]
    k = 0
    for c in counts[:-1]:
        k += c
        prev_end, next_start = gentle.words[k - 1].end, gentle.words[k].start
        assert prev_end is not None and next_start is not None
        cuts.append((prev_end + next_start) / 2)
    cuts.append(len(pcm) / RATE)
    voice = pcm.astype(np.float64) / 32768.0
    pieces, inserted = [], [0.0]
    for i in range(len(cuts) - 1):
        pieces.append(voice[int(cuts[i] * RATE) : int(cuts[i + 1] * RATE)])
        if i < len(cuts) - 2:
            gap = gaps[i % len(gaps)]
            pieces.append(np.zeros(int(gap * RATE)))
            inserted.append(inserted[-1] + int(gap * RATE) / RATE)
    song = np.concatenate(pieces)
    rng = np.random.default_rng(3)
    song += rng.normal(0, 10 ** (-60 / 20), len(song))  # a stem is never digital silence
    if backing_db is not None:
        backing = backing_track(len(song) / RATE)
        voiced = np.abs(voice) > 0.02
        voice_rms = float(np.sqrt(np.mean(voice[voiced] ** 2)))
        backing *= voice_rms * 10 ** (backing_db / 20) / float(np.sqrt(np.mean(backing**2)))
        song += backing
    song *= 0.9 / float(np.max(np.abs(song)))

    def shift(t: float) -> float:
        i = int(np.searchsorted(cuts, t, side="right")) - 1
        return t + inserted[min(max(i, 0), len(inserted) - 1)]

    return (song * 32767).astype(np.int16), reference_from(gentle, shift)


# --- espeak-ng references (exact word and phoneme times) -------------------------------------


def espeak_case(
    backing_db: float | None, gaps: Sequence[float]
) -> tuple[npt.NDArray[np.int16], Lyrics, Reference] | None:
    """The Harvard sentences spoken by libespeak-ng at 120 words/minute with a wide pitch
    range (tools/make_demo.py's ctypes binding and its event -> phone conversion, which gives
    voiceless stops their closure): word and phone starts exact by construction."""
    from livesync.audio.decode import Audio, resample

    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
        import make_demo

        engine = make_demo.ESpeak("en-us")
    except (ImportError, OSError, SystemExit):
        return None
    strict_map = make_demo.espeak_to_arpabet

    def lenient_map(name: str) -> tuple[str, ...]:
        try:
            return tuple(strict_map(name))
        except KeyError:  # a modifier such as ';' (palatal): no phone of its own
            return ()

    make_demo.espeak_to_arpabet = lenient_map
    sentences = [line for line in LYRICS.read_text().splitlines() if line.strip()]
    song: list[npt.NDArray[np.float64]] = [np.zeros(RATE)]
    t = 1.0
    starts: list[float | None] = []
    phones: list[list[tuple[str, float]]] = []
    for i, sentence in enumerate(sentences):
        utt = engine.synth(sentence, 120, 50, 70)
        words, word_phones = make_demo.utterance_to_alignment(utt)
        # espeak folds some unstressed words ("the", "a") into the next word's phonemes:
        # those words, and the word that swallowed them, get no reference.
        k, after_gap = 0, False
        for lyric in parse_lyrics(sentence).words:
            if k < len(words) and words[k].word == lyric.text.lower() and not after_gap:
                starts.append(t + words[k].start)
                phones.append([(p.phone, t + p.start) for p in word_phones if p.word == k])
                k += 1
            elif k < len(words) and words[k].word == lyric.text.lower():
                starts.append(None)
                phones.append([])
                k += 1
                after_gap = False
            else:
                starts.append(None)
                phones.append([])
                after_gap = True
        audio = (
            resample(Audio(utt.audio.astype(np.float32)[:, None] / 32768.0, utt.sample_rate), RATE)
            .samples[:, 0]
            .astype(np.float64)
        )
        song.append(audio)
        t += len(audio) / RATE
        gap = int(gaps[i % len(gaps)] * RATE)
        song.append(np.zeros(gap))
        t += gap / RATE
    x = np.concatenate(song)
    x += np.random.default_rng(5).normal(0, 1e-3, len(x))
    if backing_db is not None:
        backing = backing_track(len(x) / RATE)
        voiced = np.abs(x) > 0.02
        rms = float(np.sqrt(np.mean(x[voiced] ** 2)))
        x = x + backing * rms * 10 ** (backing_db / 20) / float(np.sqrt(np.mean(backing**2)))
    x *= 0.9 / float(np.max(np.abs(x)))
    lyrics = parse_lyrics("\n".join(sentences) + "\n")
    assert len(starts) == len(lyrics.words)
    return (x * 32767).astype(np.int16), lyrics, Reference(starts, phones)


def lrc_for(lyrics: Lyrics, ref: Reference) -> Lyrics:
    """An LRC file for the lyrics with each line stamped 0.4 s before its first word."""
    out, k = [], 0
    for line in lyrics.lines:
        start = ref.word_starts[k]
        assert start is not None
        t = max(0.0, start - 0.4)
        out.append(f"[{int(t // 60):02d}:{t % 60:05.2f}]" + " ".join(w.text for w in line.words))
        k += len(line.words)
    return parse_lyrics("\n".join(out) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the espeak-ng cases")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    gentle = load(GENTLE_JSON)
    lyrics = parse_lyrics(LYRICS.read_text())
    pcm, duration = load_pcm(HARVARD_MP3)
    header = [
        "audio",
        "method",
        "words aligned",
        "words compared",
        "word start median (ms)",
        "word p90 (ms)",
        "phone start median (ms)",
        "phone p90 (ms)",
        "real-time factor",
    ]
    rows: list[list[object]] = []
    run_case(
        f"Harvard list 30 ({duration:.1f} s)", pcm, lyrics, reference_from(gentle), rows, repeat=3
    )
    gaps = (8.0, 14.0, 5.0, 20.0)
    stem, ref = with_gaps(pcm, gentle, lyrics, gaps, None)
    run_case(f"Harvard + gaps, stem ({len(stem) / RATE:.0f} s)", stem, lyrics, ref, rows)
    mix, ref = with_gaps(pcm, gentle, lyrics, gaps, -6.0)
    run_case(
        f"Harvard + gaps, mix with backing at -6 dB ({len(mix) / RATE:.0f} s)",
        mix,
        lyrics,
        ref,
        rows,
    )
    paragraph = parse_lyrics(" ".join(LYRICS.read_text().split()) + "\n")
    run_case("Harvard + gaps, mix; lyrics pasted as one paragraph", mix, paragraph, ref, rows)
    run_case(
        "Harvard + gaps, mix; LRC lyrics (line stamps 0.4 s early)",
        mix,
        lrc_for(lyrics, ref),
        ref,
        rows,
    )
    if not args.quick:
        for label, db in (("alone", None), ("over backing at -6 dB", -6.0)):
            case = espeak_case(db, gaps)
            if case is None:
                print("(espeak-ng cases skipped: libespeak-ng not available)")
                break
            x, elyrics, eref = case
            run_case(
                f"espeak-ng + gaps, {label} ({len(x) / RATE:.0f} s; exact reference)",
                x,
                elyrics,
                eref,
                rows,
            )
    print(table(header, rows))
    print(
        "\nErrors are absolute differences of start times against the reference (Gentle's "
        "own alignment for the Harvard rows, espeak-ng's word events for the espeak rows). "
        "Real-time factor = processing seconds / audio seconds (decoded 16 kHz audio in "
        "memory; best of 3 for the first row), single process."
    )


if __name__ == "__main__":
    main()
