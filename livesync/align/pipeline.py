"""The aligner's wiring: files in, a Timeline out (decoding, resampling, chunking, aligning
each chunk with a recogniser, assembling). The decisions live in the pure modules (lyrics,
plan, pronounce, assemble); this module only runs them in order. The recogniser is passed in
(`recogniser.Recogniser`; pocketsphinx, `sphinx.SphinxAligner`, when none is given)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from livesync.align import g2p
from livesync.align.assemble import TimedPhone, WordResult, average_runs, build_timeline
from livesync.align.lyrics import Lyrics, LyricWord, parse_lyrics
from livesync.align.plan import (
    Span,
    Splice,
    Window,
    implausible,
    lrc_spans,
    proportional_spans,
    snap_to_gaps,
    split_long_lines,
    trim_to_voiced,
    voiced_segments,
    window_pieces,
    windows_from_spans,
)
from livesync.align.pronounce import dictionary_name, resolve
from livesync.align.recogniser import RATE, AlignedToken, Recogniser
from livesync.align.sphinx import SphinxAligner
from livesync.errors import InputError, read_user_text
from livesync.lipsync.timeline import Timeline

Progress = Callable[[int, int], None]
# Each chunk is aligned three times, its window starting at these offsets (seconds, earlier
# when positive): a third of a 10 ms frame apart on the frame grid, and ~0.1-0.2 s apart so
# that a run which let a word swallow the backing before it is outvoted by the median.
SHIFTS = (0.0, -0.1033, 0.2067)
PAD = 0.5
SPLICE_GAP = 0.3


@dataclass(frozen=True)
class AlignResult:
    timeline: Timeline
    words: list[LyricWord]
    oov: dict[str, list[str]] = field(default_factory=dict)
    g2p_method: str = ""
    chunks: int = 0
    failed_chunks: int = 0
    seconds: float = 0.0

    @property
    def aligned(self) -> int:
        return len(self.timeline.aligned_words())

    def summary(self) -> str:
        total = len(self.timeline.words)
        missing = total - self.aligned
        text = f"{self.aligned}/{total} words aligned, {missing} not found in audio"
        if self.oov:
            shown = ", ".join(f"{w} ({' '.join(p)})" for w, p in list(self.oov.items())[:8])
            more = f" and {len(self.oov) - 8} more" if len(self.oov) > 8 else ""
            text += (
                f"; {len(self.oov)} word{'s' if len(self.oov) != 1 else ''} not in the "
                f"dictionary, pronounced by {self.g2p_method}: {shown}{more}"
            )
        else:
            text += "; all words in the dictionary"
        duration = self.timeline.duration
        if self.seconds > 0 and duration > 0:
            text += (
                f"; {duration:.1f} s of audio in {self.seconds:.1f} s "
                f"({self.seconds / duration:.2f}x real time)"
            )
        return text


def read_lyrics(path: Path) -> Lyrics:
    """The lyrics file (plain text or LRC); InputError if missing or without any word."""
    text = read_user_text(path, "lyrics file")
    lyrics = parse_lyrics(text)
    if not lyrics.words:
        if any(c.isalpha() for c in text):
            raise InputError(
                path,
                "no lyrics to align: no words in Latin letters outside "
                "section labels (the aligner's model is US English)",
            )
        raise InputError(path, "no lyrics to align (the file has no words)")
    return lyrics


def load_pcm(path: Path) -> tuple[npt.NDArray[np.int16], float]:
    """Decode any supported audio to 16 kHz mono int16 (peak-normalised) and its duration."""
    from livesync.audio.decode import Audio, decode, resample

    with _quiet_native_stderr():
        audio = decode(path)
    mono = audio.samples.mean(axis=1, keepdims=True, dtype=np.float32)
    if audio.samplerate != RATE:
        mono = resample(Audio(mono, audio.samplerate), RATE).samples
    x = mono[:, 0].astype(np.float64)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak > 0:
        x *= 0.9 / peak
    return (x * 32767).astype(np.int16), audio.duration


@contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """libmpg123 prints 'Note: Illegal Audio-MPEG-Header...' straight to file descriptor 2
    while it probes a broken file; the user should see only our one-line error."""
    import os
    import sys

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def align_files(
    audio: Path,
    lyrics_path: Path,
    vocals: Path | None = None,
    progress: Progress | None = None,
    method: str = "chunked",
    recogniser: Recogniser | None = None,
) -> AlignResult:
    """Align the lyrics to the song (or to its vocal stem, whose times are the song's)."""
    lyrics = read_lyrics(lyrics_path)
    started = time.perf_counter()
    pcm, duration = load_pcm(audio)
    if vocals is not None:
        pcm, _ = load_pcm(vocals)
    result = align_pcm(pcm, duration, lyrics, progress, method, recogniser=recogniser)
    return AlignResult(
        result.timeline,
        result.words,
        result.oov,
        result.g2p_method,
        result.chunks,
        result.failed_chunks,
        time.perf_counter() - started,
    )


def align_pcm(
    pcm: npt.NDArray[np.int16],
    duration: float,
    lyrics: Lyrics,
    progress: Progress | None = None,
    method: str = "chunked",
    shifts: Sequence[float] = SHIFTS,
    pad: float = PAD,
    recogniser: Recogniser | None = None,
) -> AlignResult:
    """`method`: "chunked" (the aligner) or "whole" (one two-pass alignment of the whole
    file, the plain baseline the benchmark compares against)."""
    started = time.perf_counter()
    aligner: Recogniser = SphinxAligner() if recogniser is None else recogniser
    if method != "whole":
        lyrics = split_long_lines(lyrics)
    words = lyrics.words
    names, oov, method_used = _dictionary(aligner, words)
    line_tokens = [
        [names[t] for w in line.words for t in w.tokens if t in names] for line in lyrics.lines
    ]
    report = progress or (lambda done, total: None)
    rejected = 0
    if method == "whole":
        report(0, 1)
        tokens = [t for lt in line_tokens for t in lt]
        found = aligner.align(tokens, pcm)
        runs = [[list(_phones(tok, 0.0)) for tok in found]] if found else None
        token_phones = average_runs(runs) if runs else None
        per_line = _split(token_phones, [len(t) for t in line_tokens])
        failed = 0 if found else 1
        chunks = 1
        report(1, 1)
    else:
        per_line, failed, chunks, rejected = _align_chunks(
            aligner, pcm, duration, lyrics, line_tokens, shifts, pad, report
        )
    results = _word_results(lyrics, names, per_line)
    timeline = build_timeline(
        words,
        results,
        duration,
        lyrics.transcript,
        {"format": "livesync-align", "engine": "pocketsphinx", "method": method},
    )
    oov_phones = {t: p for t, p in oov.items()}
    return AlignResult(
        timeline,
        words,
        oov_phones,
        method_used,
        chunks,
        failed + rejected,
        time.perf_counter() - started,
    )


LinePhones = list[list[TimedPhone]] | None


def _align_chunks(
    aligner: Recogniser,
    pcm: npt.NDArray[np.int16],
    duration: float,
    lyrics: Lyrics,
    line_tokens: list[list[str]],
    shifts: Sequence[float],
    pad: float,
    report: Progress,
) -> tuple[list[LinePhones], int, int, int]:
    """Align line by line: (phones per line or None, failed chunks, chunks, lines rejected).

    A line the audio does not contain (lyrics that are not sung) still gets forced somewhere,
    but matches the sound far worse than the lines that are there (`implausible`): such a
    line is reported as not found, and does not hold back where the next line may start."""
    windows, voiced = plan_windows(aligner, pcm, duration, lyrics, line_tokens, pad)
    total = len(windows) + 1
    report(1, total)
    per_line: list[LinePhones] = []
    scores: list[float | None] = []
    failed = 0
    prev_end: float | None = None
    for k, planned in enumerate(windows):
        tokens = line_tokens[k]
        window = _after(planned, prev_end, len(tokens))
        phones, score = _align_window(aligner, pcm, tokens, window, shifts, voiced)
        if phones is None and tokens:
            wider = Window(k, k, max(0.0, window.start - 1.0), min(duration, window.end + 1.0))
            phones, score = _align_window(aligner, pcm, tokens, wider, shifts, voiced)
            failed += phones is None
        scores.append(score)
        if phones is not None and not implausible(score, scores):
            ends = [tok[-1].end for tok in phones if tok]
            prev_end = max(ends) if ends else prev_end
        per_line.append(phones)
        if k + 2 < total:
            report(k + 2, total)
    bad = {
        k
        for k, score in enumerate(scores)
        if per_line[k] is not None and line_tokens[k] and implausible(score, scores)
    }
    for k in bad:
        per_line[k] = None
    report(len(line_tokens) + 1, len(line_tokens) + 1)
    return per_line, failed, len(windows), len(bad)


def _dictionary(
    aligner: Recogniser, words: Sequence[LyricWord]
) -> tuple[dict[str, str], dict[str, list[str]], str]:
    """{token: dictionary name} for every pronounceable token, the new words' pronunciations,
    and the letter-to-sound method used."""
    tokens = [t for w in words for t in w.tokens]
    names, missing = resolve(tokens, aligner.lookup)
    if not missing:
        return names, {}, ""
    pronounced, method_used = g2p.pronounce(missing)
    oov: dict[str, list[str]] = {}
    for token in missing:
        phones = [p for p in pronounced.get(token, []) if p in g2p.PHONES]
        if not phones:
            continue
        name = dictionary_name(token)
        try:
            aligner.add_word(name, phones)
        except RuntimeError:
            continue
        names[token] = name
        oov[token] = phones
    return names, oov, method_used


def plan_windows(
    aligner: Recogniser,
    pcm: npt.NDArray[np.int16],
    duration: float,
    lyrics: Lyrics,
    line_tokens: list[list[str]],
    pad: float,
) -> tuple[list[Window], list[Span]]:
    """Chunk windows: LRC stamps if the lyrics have them, else a coarse word-level alignment
    against the voiced audio only, else the voiced audio shared out by line length."""
    weights = [max(1, len(t)) for t in line_tokens]
    x = pcm.astype(np.float32) / 32768.0
    voiced = voiced_segments(x, RATE) or [(0.0, duration)]
    spans: list[Span | None]
    if lyrics.timed:
        spans = lrc_spans(
            [line.time for line in lyrics.lines],
            [line.end_time for line in lyrics.lines],
            duration,
            weights,
        )
        return [trim_to_voiced(w, voiced) for w in windows_from_spans(spans, duration, pad)], voiced
    splice = Splice(tuple(voiced))
    tokens = [t for lt in line_tokens for t in lt]
    coarse = aligner.align(tokens, splice.splice(pcm, RATE), phones=False)
    if coarse is None:
        spans = list(proportional_spans(weights, voiced))
    else:
        spans = []
        i = 0
        for lt in line_tokens:
            if not lt:
                spans.append(None)
                continue
            first, last = coarse[i], coarse[i + len(lt) - 1]
            spans.append((splice.to_original(first.start), splice.to_original(last.end)))
            i += len(lt)
        spans = snap_to_gaps(spans, voiced, fixed=[line.continued for line in lyrics.lines])
    return [trim_to_voiced(w, voiced) for w in windows_from_spans(spans, duration, pad)], voiced


def _after(window: Window, prev_end: float | None, tokens: int) -> Window:
    """Lines are sung in order: a window that reaches back into the previous line's aligned
    audio starts where that line ends instead (unless that leaves too little room)."""
    if prev_end is None or window.start >= prev_end - 0.02:
        return window
    start = prev_end - 0.02
    if window.end - start < 0.15 * max(tokens, 1) + 0.2:
        return window
    return Window(window.first, window.last, start, window.end)


def _align_window(
    aligner: Recogniser,
    pcm: npt.NDArray[np.int16],
    tokens: list[str],
    window: Window,
    shifts: Sequence[float],
    voiced: Sequence[Span] = (),
) -> tuple[list[list[TimedPhone]] | None, float | None]:
    """Align one chunk in its window once per start offset (`shifts`) and combine the runs
    (mean of two, median of three or more); also the line's acoustic match (median per-frame
    score of its words, see `implausible`).

    Long unvoiced stretches inside the window (an instrumental break within a long line)
    are cut out first, as in the coarse pass, so the words cannot be stretched over them."""
    if not tokens:
        return [], None
    pieces = window_pieces(window, voiced)
    runs = []
    line_scores: list[float] = []
    for shift in shifts:
        first = (max(0.0, pieces[0][0] - shift), pieces[0][1])
        splice = Splice((first, *pieces[1:]), gap=SPLICE_GAP)
        found = aligner.align(tokens, splice.splice(pcm, RATE))
        if found is None:
            continue
        start = round(first[0] * RATE) / RATE
        line_scores.append(float(np.median([tok.score for tok in found])))
        runs.append(
            [
                [
                    TimedPhone(p.phone, _back(splice, p.start, start), _back(splice, p.end, start))
                    for p in tok.phones
                ]
                for tok in found
            ]
        )
    if not runs:
        return None, None
    return average_runs(runs), float(np.median(line_scores))


def _back(splice: Splice, t: float, start: float) -> float:
    """Spliced chunk time -> song time (exact sample offset within the first piece)."""
    first = splice.spans[0]
    if len(splice.spans) == 1 or t <= first[1] - first[0]:
        return start + t
    return splice.to_original(t)


def _phones(token: AlignedToken, offset: float) -> list[TimedPhone]:
    return [TimedPhone(p.phone, p.start + offset, p.end + offset) for p in token.phones]


def _split(
    token_phones: list[list[TimedPhone]] | None, counts: list[int]
) -> list[list[list[TimedPhone]] | None]:
    if token_phones is None:
        return [None] * len(counts)
    out: list[list[list[TimedPhone]] | None] = []
    i = 0
    for n in counts:
        out.append(token_phones[i : i + n])
        i += n
    return out


def _word_results(
    lyrics: Lyrics, names: dict[str, str], per_line: Sequence[list[list[TimedPhone]] | None]
) -> list[WordResult | None]:
    results: list[WordResult | None] = []
    for line, phones in zip(lyrics.lines, per_line, strict=True):
        k = 0
        for word in line.words:
            n = sum(1 for t in word.tokens if t in names)
            if phones is None or n == 0:
                results.append(None)
                k += n
                continue
            merged = [p for tok in phones[k : k + n] for p in tok]
            k += n
            results.append(WordResult(tuple(merged)) if merged else None)
    return results
