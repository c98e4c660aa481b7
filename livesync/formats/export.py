"""Writers: a timeline out to the files other tools read (After Effects, Spine, Godot and Moho
all take Rhubarb's or Moho's output; Gentle JSON feeds tools built around Gentle).

Mouth-cue formats need one shape per stretch of time. A cue timeline (Rhubarb, Moho, Papagayo,
Polly) writes its cues as they are; a phone timeline writes the targets of its mouth track
(`MouthTrack.for_timeline(t).segments`), which already absorbs flicker consonants, holds P/B/M
closed and holds or relaxes pauses, rather than one shape per phone. Shapes are then mapped
(`TO_RHUBARB`, `TO_PRESTON_BLAIR`), rounded to the format's time step (10 ms for Rhubarb, a
frame for Moho), and equal neighbours merged; silence is written as X / rest.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from livesync.errors import InputError
from livesync.formats._common import merge_cues
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Cue, Timeline
from livesync.lipsync.visemes import SILENCE_PHONES, TO_PRESTON_BLAIR, TO_RHUBARB, Viseme

EXPORT_FORMATS = ["rhubarb-json", "rhubarb-tsv", "rhubarb-xml", "moho-dat", "gentle"]
DEFAULT_FPS = 24.0

Shape = tuple[float, float, str]  # start, end, shape name


def write_timeline(
    timeline: Timeline, fmt: str, *, fps: float = DEFAULT_FPS, sound_file: str = ""
) -> str:
    """The text of `timeline` in format `fmt` (one of EXPORT_FORMATS). `fps` is the frame rate
    of Moho switch data; `sound_file` goes into Rhubarb's metadata. An unknown format or a
    bad frame rate (both come from the command line) is an InputError."""
    if fmt == "rhubarb-json":
        return _rhubarb_json(timeline, sound_file)
    if fmt == "rhubarb-tsv":
        return _rhubarb_tsv(timeline)
    if fmt == "rhubarb-xml":
        return _rhubarb_xml(timeline, sound_file)
    if fmt == "moho-dat":
        return _moho_dat(timeline, fps)
    if fmt == "gentle":
        return _gentle(timeline)
    raise InputError(
        None, f"unknown export format {fmt!r} (expected one of {', '.join(EXPORT_FORMATS)})"
    )


def mouth_cues(timeline: Timeline) -> list[Cue]:
    """One viseme per stretch of time, covering 0..duration (rest where nothing sounds)."""
    if timeline.cues and not timeline.phones:
        cues: Sequence[Cue] = timeline.cues
    else:
        end = timeline.duration
        cues = [
            Cue(s.viseme, max(0.0, s.start), min(end, s.end))
            for s in MouthTrack.for_timeline(timeline).segments
            if s.end > 0 and s.start < end
        ]
    return merge_cues(cues, fill_to=timeline.duration)


def shapes(timeline: Timeline, table: dict[Viseme, str], step: float) -> list[Shape]:
    """Mouth cues as shape names on a time grid of `step` seconds, equal neighbours merged."""
    out: list[Shape] = []
    for cue in mouth_cues(timeline):
        start, end = _snap(cue.start, step), _snap(cue.end, step)
        name = table[cue.viseme]
        if out and out[-1][1] < start:
            out.append((out[-1][1], start, table[Viseme.SIL]))
        if end <= start:
            continue
        if out and out[-1][2] == name:
            out[-1] = (out[-1][0], end, name)
        else:
            out.append((start, end, name))
    return out


def _snap(t: float, step: float) -> float:
    return round(round(t / step) * step, 9)


def _rhubarb_json(timeline: Timeline, sound_file: str) -> str:
    cues = shapes(timeline, TO_RHUBARB, 0.01) or [(0.0, 0.0, "X")]
    lines = [
        "{",
        '  "metadata": {',
        f'    "soundFile": {json.dumps(sound_file)},',
        f'    "duration": {_snap(timeline.duration, 0.01):.2f}',
        "  },",
        '  "mouthCues": [',
        ",\n".join(
            f'    {{ "start": {s:.2f}, "end": {e:.2f}, "value": "{v}" }}' for s, e, v in cues
        ),
        "  ]",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _rhubarb_tsv(timeline: Timeline) -> str:
    cues = shapes(timeline, TO_RHUBARB, 0.01)
    end = cues[-1][1] if cues else 0.0
    return "".join(f"{s:.2f}\t{v}\n" for s, _, v in cues) + f"{end:.2f}\tX\n"


def _rhubarb_xml(timeline: Timeline, sound_file: str) -> str:
    cues = shapes(timeline, TO_RHUBARB, 0.01) or [(0.0, 0.0, "X")]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<rhubarbResult>",
        "  <metadata>",
        f"    <soundFile>{escape(sound_file)}</soundFile>",
        f"    <duration>{_snap(timeline.duration, 0.01):.2f}</duration>",
        "  </metadata>",
        "  <mouthCues>",
    ]
    lines += [
        f"    <mouthCue start={quoteattr(f'{s:.2f}')} end={quoteattr(f'{e:.2f}')}>{v}</mouthCue>"
        for s, e, v in cues
    ]
    lines += ["  </mouthCues>", "</rhubarbResult>"]
    return "\n".join(lines) + "\n"


def _moho_dat(timeline: Timeline, fps: float) -> str:
    if not (math.isfinite(fps) and fps > 0):
        raise InputError(None, f"the frame rate must be a positive number, got {fps}")
    step = 1.0 / fps
    lines = ["MohoSwitch1"]
    last_frame = 0
    for start, _, name in shapes(timeline, TO_PRESTON_BLAIR, step):
        frame = 1 + round(start * fps)
        if frame == last_frame:
            continue
        lines.append(f"{frame} {name}")
        last_frame = frame
    # Like Rhubarb: close the mouth at the end (a frame later if that frame is taken).
    end_frame = max(1 + round(_snap(timeline.duration, step) * fps), last_frame + 1)
    lines.append(f"{end_frame} {TO_PRESTON_BLAIR[Viseme.SIL]}")
    return "\n".join(lines) + "\n"


def _gentle(timeline: Timeline) -> str:
    """Gentle's JSON: phones as durations from the word's start (Gentle has no gaps inside a
    word, so a gap goes to the phone before it, a late first phone starts at the word's
    start), `_B/_I/_E/_S` suffixes, lower case; sorted keys and 4-space indent like Gentle.
    Phones that belong to no word and silence phones are left out, as Gentle has none."""
    transcript = timeline.transcript or " ".join(w.text for w in timeline.words)
    by_word: dict[int, list[tuple[str, float, float]]] = {}
    for p in timeline.phones:
        if p.word is not None and p.phone.upper() not in SILENCE_PHONES:
            by_word.setdefault(p.word, []).append((p.phone, p.start, p.end))
    words: list[dict[str, object]] = []
    cursor = 0
    for i, word in enumerate(timeline.words):
        entry: dict[str, object] = {"word": word.text}
        at = transcript.find(word.text, cursor) if word.text else -1
        if at >= 0:
            entry["startOffset"], entry["endOffset"] = at, at + len(word.text)
            cursor = at + len(word.text)
        if word.start is None or word.end is None:
            entry["case"] = "not-found-in-audio"
            words.append(entry)
            continue
        phones = by_word.get(i, [])
        entry.update(
            case="success",
            start=round(word.start, 6),
            end=round(word.end, 6),
            alignedWord=_aligned_word(word.text, phones),
            phones=_gentle_phones(word.start, phones),
        )
        words.append(entry)
    data = {"transcript": transcript, "words": words}
    return json.dumps(data, sort_keys=True, indent=4, separators=(",", ": ")) + "\n"


def _aligned_word(text: str, phones: list[tuple[str, float, float]]) -> str:
    if [p for p, _, _ in phones] == ["OOV"]:
        return "<unk>"
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch == "'") or text.lower()


def _gentle_phones(start: float, phones: list[tuple[str, float, float]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for k, (name, begin, end) in enumerate(phones):
        if len(phones) == 1:
            suffix = "_S"
        else:
            suffix = "_B" if k == 0 else "_E" if k == len(phones) - 1 else "_I"
        stop = phones[k + 1][1] if k + 1 < len(phones) else end
        since = start if k == 0 else begin
        out.append({"duration": round(max(0.0, stop - since), 6), "phone": name.lower() + suffix})
    return out
