"""Lyrics as people write them, turned into words an aligner can look up (pure).

Handles punctuation, numbers ("24/7" -> twenty four seven), "(x2)" repeat marks (expanded),
section labels ([Chorus], Verse 1:) (dropped), blank lines (stanza breaks) and LRC files
(line and word time stamps, [ar:]/[ti:]/[offset:] tags). Every word keeps the text the user
wrote (for the timeline and Gentle output) next to its normalized dictionary tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from livesync.align.numbers import number_words


@dataclass(frozen=True, slots=True)
class LyricWord:
    """A word as written (`text`) and what is looked up in the dictionary (`tokens`).

    `tokens` is usually one lower-case word; "24/7" gives three, pure punctuation gives none.
    `offset`/`end_offset` index the transcript; `time` is an LRC <mm:ss.xx> word stamp.
    """

    text: str
    tokens: tuple[str, ...]
    offset: int = 0
    end_offset: int = 0
    time: float | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One sung line; `stanza` counts blank-line breaks. From LRC: `time` is the line's stamp,
    `end_time` the next stamp in the file (the next line, or an empty line closing this one)."""

    words: tuple[LyricWord, ...]
    stanza: int = 0
    time: float | None = None
    end_time: float | None = None
    continued: bool = False  # the rest of a long written line (split for alignment)


@dataclass(frozen=True)
class Lyrics:
    lines: tuple[Line, ...]
    transcript: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> list[LyricWord]:
        return [w for line in self.lines for w in line.words]

    @property
    def timed(self) -> bool:
        return any(line.time is not None for line in self.lines)


SECTION_NAMES = (
    "chorus",
    "verse",
    "bridge",
    "intro",
    "outro",
    "hook",
    "pre-chorus",
    "prechorus",
    "post-chorus",
    "refrain",
    "interlude",
    "instrumental",
    "breakdown",
    "break",
    "solo",
    "drop",
    "tag",
    "coda",
    "spoken",
    "rap",
)
# Words that are also sung ("break", "drop", "solo"...) count as labels only in brackets.
PLAIN_SECTION_NAMES = (
    "chorus",
    "verse",
    "bridge",
    "intro",
    "outro",
    "hook",
    "pre-chorus",
    "prechorus",
    "post-chorus",
    "refrain",
    "interlude",
    "instrumental",
)
_NAMES = "|".join(re.escape(n) for n in SECTION_NAMES)
_PLAIN_NAMES = "|".join(re.escape(n) for n in PLAIN_SECTION_NAMES)
_SECTION = re.compile(rf"^(?:{_PLAIN_NAMES})(?:\s*\d+|\s+[ivx]+)?\s*(?::.*)?$", re.IGNORECASE)
_PAREN_SECTION = re.compile(rf"^\(\s*(?:{_NAMES})\b[^)]*\)$", re.IGNORECASE)
_BRACKETED = re.compile(r"^\s*\[[^\]]*\]\s*$")
_REPEAT = re.compile(r"[\[(]?\s*(?:[x×]\s*(\d+)|(\d+)\s*[x×])\s*[\])]?\s*$", re.IGNORECASE)
_LRC_TIME = re.compile(r"\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]")
_LRC_TAG = re.compile(r"^\s*\[([a-zA-Z#]+):([^\]]*)\]\s*$")
_LRC_WORD = re.compile(r"<(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)>")
_TOKEN = re.compile(r"\S+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_SYMBOLS = {"&": "and", "+": "plus", "%": "percent", "@": "at", "=": "equals", "$": "dollars"}
MAX_REPEAT = 16


def parse_lyrics(text: str) -> Lyrics:
    """Plain lyrics or an LRC file (detected from its time stamps)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_lrc(text):
        return parse_lrc(text)
    lines: list[Line] = []
    stanza = 0
    pending_break = False
    offset = 0
    for raw in text.split("\n"):
        start = offset
        offset += len(raw) + 1
        if not raw.strip():
            pending_break = bool(lines)
            continue
        if is_section_label(raw):
            pending_break = bool(lines)
            continue
        body, repeat = split_repeat(raw)
        if not body.strip():  # "(x2)" on its own line repeats the line before it
            if lines and repeat > 1:
                lines.extend(lines[-1] for _ in range(repeat - 1))
            continue
        words = tuple(tokenize(body, start))
        if not words:
            continue
        if pending_break:
            stanza += 1
            pending_break = False
        lines.extend(Line(words, stanza) for _ in range(repeat))
    return Lyrics(tuple(lines), text)


def is_lrc(text: str) -> bool:
    return any(_LRC_TIME.match(line.strip()) for line in text.split("\n"))


def parse_lrc(text: str) -> Lyrics:
    """[mm:ss.xx]line text, several stamps per line allowed, <mm:ss.xx> word stamps, tags.

    `[offset:+N]` (milliseconds) makes the lyrics come N ms sooner, as in the LRC convention.
    The transcript is the lyric text without stamps and tags, lines in time order.
    """
    tags: dict[str, str] = {}
    entries: list[tuple[float, int, str]] = []
    for n, raw in enumerate(text.split("\n")):
        line = raw.strip()
        tag = _LRC_TAG.match(line)
        if tag and not _LRC_TIME.match(line):
            tags[tag.group(1).lower()] = tag.group(2).strip()
            continue
        times: list[float] = []
        while (m := _LRC_TIME.match(line)) is not None:
            times.append(_stamp(m.group(1), m.group(2)))
            line = line[m.end() :].lstrip()
        for t in times:
            entries.append((t, n, line))
    shift = _offset_seconds(tags.get("offset", ""))
    entries.sort(key=lambda e: (e[0], e[1]))
    lines: list[Line] = []
    transcript: list[str] = []
    stanza = 0
    pos = 0
    stamps = sorted({t for t, _, _ in entries})
    for t, _, body in entries:
        later = [u for u in stamps if u > t]
        end = max(0.0, later[0] - shift) if later else None
        plain = _LRC_WORD.sub(" ", body)
        plain = " ".join(plain.split())
        if not plain or is_section_label(plain):
            # An empty stamped line marks the end of the previous line (an instrumental gap).
            if lines:
                stanza += 1
            continue
        words = tuple(_lrc_words(body, pos, shift))
        transcript.append(plain)
        pos += len(plain) + 1
        if words:
            lines.append(Line(words, stanza, max(0.0, t - shift), end))
    return Lyrics(tuple(lines), "\n".join(transcript), tags)


def _lrc_words(body: str, pos: int, shift: float) -> list[LyricWord]:
    """Words of one LRC line; a <mm:ss.xx> stamp times the word right after it."""
    words: list[LyricWord] = []
    stamp: float | None = None
    cursor = pos
    for piece in re.split(r"(<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>)", body):
        m = _LRC_WORD.fullmatch(piece)
        if m:
            stamp = max(0.0, _stamp(m.group(1), m.group(2)) - shift)
            continue
        for w in tokenize(" ".join(piece.split()), cursor):
            words.append(LyricWord(w.text, w.tokens, w.offset, w.end_offset, stamp))
            stamp = None
        if piece.strip():
            cursor += len(" ".join(piece.split())) + 1
    return words


def _stamp(minutes: str, seconds: str) -> float:
    return int(minutes) * 60 + float(seconds.replace(":", "."))


def _offset_seconds(value: str) -> float:
    try:
        return int(value) / 1000.0
    except ValueError:
        return 0.0


def is_section_label(line: str) -> bool:
    """[Chorus], [Verse 1: Artist], (Bridge), Chorus:, Verse 2 -- not sung."""
    stripped = line.strip()
    if _BRACKETED.match(stripped) or _PAREN_SECTION.match(stripped):
        return True
    # "Chorus", "Verse 2", "Chorus: Artist Name" are labels; a longer line after a colon
    # ("Chorus: sing along with me now") is taken as sung words.
    return bool(_SECTION.match(stripped)) and (":" not in stripped or len(stripped.split()) <= 4)


def split_repeat(line: str) -> tuple[str, int]:
    """'Oh yeah (x2)' -> ('Oh yeah', 2); a line without a repeat mark repeats once."""
    m = _REPEAT.search(line)
    if m is None:
        return line, 1
    if not line[: m.start()].strip():  # a line that is only "(x2)": body is empty
        return "", max(1, min(int(m.group(1) or m.group(2)), MAX_REPEAT))
    before = line[: m.start()]
    # "x2" must stand apart from the words ("Max2" is not a repeat mark).
    if (
        before
        and not before[-1].isspace()
        and not m.group(0)[0].isspace()
        and not m.group(0).startswith(("(", "["))
    ):
        return line, 1
    count = int(m.group(1) or m.group(2))
    return before.rstrip(), max(1, min(count, MAX_REPEAT))


def tokenize(line: str, offset: int = 0) -> list[LyricWord]:
    """Split a line into words, keeping each word's text and its character offsets."""
    words = []
    for m in _TOKEN.finditer(line):
        raw = m.group(0)
        text = _strip_punctuation(raw)
        if not text:
            continue
        tokens = normalize(text)
        if not tokens:
            continue
        start = offset + m.start() + raw.find(text)
        words.append(LyricWord(text, tokens, start, start + len(text)))
    return words


def _strip_punctuation(raw: str) -> str:
    """Drop quotes, brackets and sentence punctuation around a word; keep '24/7', 'rock'n'roll',
    "goin'" (a trailing apostrophe after 'in' is part of the word)."""
    text = raw.translate(_APOSTROPHES)
    text = text.strip('"()[]{}<>.,;:!?¡¿…-–—*_~|/\\')
    if text.endswith("'") and not text.lower().endswith("in'"):
        text = text.rstrip("'")
    text = (
        text.lstrip("'")
        if not re.match(r"^'(til|cause|em|bout|round|cos|n)\b", text.lower())
        else text
    )
    return text


def normalize(word: str) -> tuple[str, ...]:
    """The dictionary tokens for a written word: lower case, numbers spelled out, symbols read."""
    w = word.translate(_APOSTROPHES).lower()
    out: list[str] = []
    for part in re.split(r"[/\-–—_]+", w):
        out.extend(_normalize_part(part))
    return tuple(t for t in out if t)


def _normalize_part(part: str) -> list[str]:
    if not part:
        return []
    tokens: list[str] = []
    # Split digits from letters ("2nite" -> 2 nite, "90s" -> 90 s) and symbols from both.
    for piece in re.findall(
        r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?|[a-z\u00c0-\u024f']+|[&+%@=$]", part
    ):
        if piece in _SYMBOLS:
            tokens.append(_SYMBOLS[piece])
        elif piece[0].isdigit():
            tokens.extend(number_words(piece))
        elif piece.strip("'"):
            tokens.append(piece)
    return tokens
