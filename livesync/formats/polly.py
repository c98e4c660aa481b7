"""Amazon Polly speech marks: the line-delimited JSON `synthesize-speech --output-format json
--speech-mark-types '["word", "viseme", ...]'` writes, one mark per line:

    {"time":373,"type":"word","start":5,"end":8,"value":"had"}
    {"time":373,"type":"viseme","value":"k"}

`time` is milliseconds into the audio; `start`/`end` are byte offsets into the input text (not
times). Words come from "word" marks, mouth cues from "viseme" marks; "sentence" and "ssml"
marks carry no mouth information and are skipped. Marks carry only a start: a viseme holds
until the next viseme, a word until the next word or the next "sil" viseme, whichever comes
first. The last viseme holds `FINAL_HOLD` seconds (Polly's own example ends on a "p" with
nothing after it), unless it is "sil", which just marks the end.

SSML input adds "word" marks for its pause tags: Polly's own example (Developer Guide,
"Speech marks with SSML example") has `{"type":"word","value":"<break time=\"300ms\"/>"}`.
A word mark whose value is a tag is a pause: it ends the word before it and is no word. The
last word has no next mark to end it; with viseme marks it ends with them, without (a file of
sentence, word and ssml marks only) it holds as long as the file's other words do (their
median, `LAST_WORD` if there are none), within `LAST_WORD_RANGE`, not zero seconds.

Polly's visemes (its phoneme/viseme tables, e.g. "English (US)") map onto ours like this:

| Polly | sounds (en-US)       | livesync |
|-------|----------------------|----------|
| p     | p b m                | PP       |
| t     | t d n                | DD       |
| S     | sh zh ch j           | CH       |
| T     | th (thin, then)      | TH       |
| f     | f v                  | FF       |
| k     | k g ng h             | kk       |
| i     | ee, ih, y            | ih       |
| r     | r                    | RR       |
| s     | s z                  | SS       |
| u     | oo, w                | ou       |
| @     | schwa (arena, reader)| aa       |
| a     | father, trap, price  | aa       |
| e     | face                 | E        |
| E     | dress, nurse         | E        |
| o     | goat                 | oh       |
| O     | thought, choice      | oh       |
| l     | l (en-US voices)     | L        |
| sil   | silence              | sil      |

Polly's "@" is the schwa, which ARPAbet spells AH and which we already show as an open `aa`.
"""

from __future__ import annotations

import bisect
import json
from typing import Any

from livesync.errors import InputError
from livesync.formats._common import Source, build, cues_from_starts, line_of, merge_cues
from livesync.formats.spec import Content, Format
from livesync.lipsync.timeline import Timeline, Word
from livesync.lipsync.visemes import Viseme
from livesync.values import finite

FINAL_HOLD = 0.1
LAST_WORD = 0.3
LAST_WORD_RANGE = (0.15, 1.0)

POLLY_TO_VISEME: dict[str, Viseme] = {
    "p": Viseme.PP,
    "t": Viseme.DD,
    "S": Viseme.CH,
    "T": Viseme.TH,
    "f": Viseme.FF,
    "k": Viseme.KK,
    "i": Viseme.IH,
    "r": Viseme.RR,
    "s": Viseme.SS,
    "u": Viseme.OU,
    "@": Viseme.AA,
    "a": Viseme.AA,
    "e": Viseme.EH,
    "E": Viseme.EH,
    "o": Viseme.OH,
    "O": Viseme.OH,
    "l": Viseme.LL,
    "sil": Viseme.SIL,
}
MARK_TYPES = frozenset({"word", "viseme", "sentence", "ssml"})


def looks_like(text: str) -> bool:
    """The first JSON object in the text is a speech mark (has "time" and "type")."""
    try:
        first, _ = json.JSONDecoder().raw_decode(text.lstrip())
    except (ValueError, RecursionError):
        return False
    return isinstance(first, dict) and "time" in first and "type" in first


def parse(text: str, source: Source) -> Timeline:
    words: list[tuple[float, str]] = []  # every word mark; a pause tag's text is ""
    visemes: list[tuple[float, Viseme, str]] = []
    for mark, line in _marks(text, source):
        where = f"line {line}"
        kind, value, t = _read_mark(mark, where, source)
        if kind == "word":
            if words and t < words[-1][0]:
                raise InputError(
                    source,
                    f"{where}: word {value!r} at {mark['time']} ms comes before "
                    "the previous word: marks out of order",
                )
            words.append((t, "" if _is_tag(value) else value))
        elif kind == "viseme":
            visemes.append((t, _viseme(value, where, source), where))
    if not any(text for _, text in words) and not visemes:
        raise InputError(source, "no word or viseme speech marks")
    if visemes:
        end = visemes[-1][0]
        if visemes[-1][1] is not Viseme.SIL:
            end += FINAL_HOLD
    else:
        end = words[-1][0] + (_last_word_hold(words) if words[-1][1] else 0.0)
    cues = cues_from_starts(visemes, end, source)
    out_words = _words(words, [t for t, v, _ in visemes if v is Viseme.SIL], end)
    return build(source, "polly", words=out_words, cues=merge_cues(cues), duration=end)


def _is_tag(value: str) -> bool:
    """An SSML tag Polly reports as a word mark (`<break time="300ms"/>`): a pause."""
    text = value.strip()
    return text.startswith("<") and text.endswith(">")


def _last_word_hold(words: list[tuple[float, str]]) -> float:
    """How long the last word of a file without visemes sounds: as long as its other words
    (from each start to the next mark's), within LAST_WORD_RANGE."""
    lengths = sorted(words[i + 1][0] - start for i, (start, text) in enumerate(words[:-1]) if text)
    typical = lengths[len(lengths) // 2] if lengths else LAST_WORD
    low, high = LAST_WORD_RANGE
    return min(max(typical, low), high)


def _read_mark(mark: dict[str, Any], where: str, source: Source) -> tuple[str, str, float]:
    """(type, value, time in seconds) of one speech mark."""
    kind, value = mark.get("type"), mark.get("value")
    if not isinstance(kind, str) or kind not in MARK_TYPES:
        raise InputError(
            source,
            f"{where}: unknown speech mark type {kind!r} (expected word, viseme, sentence or ssml)",
        )
    ms = finite(mark.get("time"), f"{where} time (milliseconds)", source, minimum=0, maximum=1e12)
    if not isinstance(value, str):
        raise InputError(source, f"{where}: 'value' must be a string")
    return kind, value, ms / 1000.0


def _viseme(value: str, where: str, source: Source) -> Viseme:
    viseme = POLLY_TO_VISEME.get(value)
    if viseme is None:
        raise InputError(
            source,
            f"{where}: unknown Polly viseme {value!r} (expected "
            f"one of {' '.join(POLLY_TO_VISEME)})",
        )
    return viseme


def _words(starts: list[tuple[float, str]], silences: list[float], end: float) -> list[Word]:
    """A word holds until the next word mark (a pause tag too) or the next "sil" viseme,
    whichever comes first; pause tags are left out."""
    out: list[Word] = []
    for i, (start, text) in enumerate(starts):
        if not text:
            continue
        stop = starts[i + 1][0] if i + 1 < len(starts) else max(end, start)
        k = bisect.bisect_right(silences, start)
        if k < len(silences):
            stop = min(stop, silences[k])
        out.append(Word(text, start, max(stop, start)))
    return out


def _marks(text: str, source: Source) -> list[tuple[dict[str, Any], int]]:
    """Every JSON object in the stream with its line; one per line, but any whitespace
    between objects is accepted (the docs show them run together)."""
    decoder = json.JSONDecoder()
    marks: list[tuple[dict[str, Any], int]] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n\ufeff":
            pos += 1
        if pos >= len(text):
            return marks
        line = line_of(text, pos)
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(
                source, f"line {line}: malformed speech mark JSON ({exc.msg})"
            ) from None
        except RecursionError:
            raise InputError(source, f"line {line}: JSON nested too deeply") from None
        except ValueError:  # an integer of thousands of digits (Python's int parsing limit)
            raise InputError(source, f"line {line}: a number too long") from None
        if not isinstance(obj, dict):
            raise InputError(source, f"line {line}: a speech mark must be a JSON object")
        marks.append((obj, line))


def _detect(content: Content) -> bool:
    """One mark parses as a JSON object; several, one per line, do not parse as one value."""
    if content.kind != "json":
        return False
    return content.data_with("time", "type") or (content.json_stream and looks_like(content.text))


FORMAT = Format(
    "polly",
    detect=_detect,
    read=lambda content, _options: parse(content.text, content.source),
)
