"""Papagayo's project file (`.pgo`, "lipsync version 1"), as Papagayo and Papagayo-NG save it.

    lipsync version 1            (deeper levels are indented with tabs)
    song.wav                     sound file
    24                           frames per second
    120                          length of the sound, in frames
    1                            number of voices
      Voice 1                    per voice: name,
      the quick brown fox        its text (lines joined with '|'),
      1                          number of phrases;
        the quick brown fox      per phrase: text, start frame, end frame, word count;
        10
        50
        4
          the 10 15 2            per word: text, start frame, end frame, phoneme count;
            10 etc               per phoneme: frame, Preston Blair shape
            12 E

Frames are 0-based (frame f starts at f / fps). As Papagayo plays it, a phoneme holds until
the next phoneme of its word, the last one until the word's end frame (inclusive), and the
mouth rests between words. The result is mouth cues (covering the whole sound, rest in the
gaps) plus the words.

Several voices are several characters, but livesync draws one mouth: the first voice is
read unless `Options.speaker` names another, and every voice is named in the timeline's
source (`voices`). Papagayo saves in the system's 8-bit code page, so accented lyrics arrive
as Latin-1 bytes; the registry decodes them (`registry.decode`).
"""

from __future__ import annotations

from dataclasses import dataclass

from livesync.errors import InputError
from livesync.formats import shapes
from livesync.formats._common import Source, build, merge_cues, parse_frame_rate
from livesync.formats.spec import Format
from livesync.lipsync.timeline import Cue, Timeline, Word
from livesync.values import parse_whole

HEADER = "lipsync version 1"


def looks_like(first_line: str) -> bool:
    return first_line.strip().lower() == HEADER


@dataclass
class _Phoneme:
    frame: int
    name: str
    where: str


@dataclass
class _Word:
    text: str
    start: int
    end: int
    phonemes: list[_Phoneme]
    where: str


class _Lines:
    """The file's lines, read in order the way Papagayo's own loader reads them."""

    def __init__(self, text: str, source: Source) -> None:
        self.lines = text.splitlines()
        self.i = 0
        self.source = source

    def next(self, what: str) -> tuple[str, str]:
        if self.i >= len(self.lines):
            raise InputError(
                self.source, f"the file ends early: expected {what} at line {self.i + 1}"
            )
        self.i += 1
        return self.lines[self.i - 1].strip(), f"line {self.i} ({what})"

    def integer(self, what: str) -> int:
        line, where = self.next(what)
        return parse_whole(line, where, self.source, minimum=0)


def parse(text: str, source: Source, speaker: str | None = None) -> Timeline:
    lines = _Lines(text, source)
    sound, fps, sound_frames = _header(lines)
    voices = [_voice(lines) for _ in range(lines.integer("the number of voices"))]
    if not voices:
        raise InputError(source, "the project has no voices")
    name, words = _pick(voices, speaker, source)
    out_words, cues, end = _play(words, fps, source)
    duration = max(sound_frames, end) / fps
    extra = {"fps": f"{fps:g}", "voice": name, "sound_file": sound}
    if len(voices) > 1:
        extra["voices"] = ", ".join(v[0] for v in voices)
    if len(voices) > 1 or speaker is not None:
        extra["speakers"] = name
        extra["speakers_in_file"] = ", ".join(v[0] for v in voices)
    return build(
        source,
        "papagayo",
        words=out_words,
        cues=merge_cues(cues, fill_to=duration),
        duration=duration,
        extra=extra,
    )


def _pick(
    voices: list[tuple[str, list[_Word]]], speaker: str | None, source: Source
) -> tuple[str, list[_Word]]:
    """The first voice, or the one `speaker` names (any case)."""
    if speaker is None:
        return voices[0]
    for voice in voices:
        if voice[0].strip().lower() == speaker.strip().lower():
            return voice
    names = ", ".join(repr(v[0]) for v in voices)
    raise InputError(source, f"no voice {speaker!r} in the project (it holds {names})")


def _header(lines: _Lines) -> tuple[str, float, int]:
    """(sound file, frames per second, sound length in frames)."""
    header, _ = lines.next("the header")
    if header.lstrip("\ufeff").lower() != HEADER:
        raise InputError(lines.source, f"line 1: expected {HEADER!r}")
    sound, _ = lines.next("the sound file")
    fps_text, where = lines.next("the frame rate")
    fps = parse_frame_rate(fps_text, where, lines.source)
    return sound, fps, lines.integer("the sound length in frames")


def _play(words: list[_Word], fps: float, source: Source) -> tuple[list[Word], list[Cue], int]:
    """The words and mouth cues as Papagayo plays them, and the last word's end frame."""
    cues: list[Cue] = []
    out_words: list[Word] = []
    prev_end = 0
    for word in words:
        if word.start < prev_end:
            raise InputError(
                source,
                f"{word.where}: word {word.text!r} starts at frame "
                f"{word.start}, before the previous word ends (frame {prev_end})",
            )
        if word.end < word.start:
            raise InputError(
                source,
                f"{word.where}: word {word.text!r} ends (frame "
                f"{word.end}) before it starts (frame {word.start})",
            )
        prev_end = word.end + 1  # the end frame is the word's last frame
        out_words.append(Word(word.text, word.start / fps, prev_end / fps))
        cues += _word_cues(word, fps, source)
    return out_words, cues, prev_end


def _word_cues(word: _Word, fps: float, source: Source) -> list[Cue]:
    """A phoneme holds until the next phoneme of its word, the last until the word's end;
    Papagayo only shows a word's phonemes inside the word's frames."""
    stop = word.end + 1
    _, shape = shapes.resolver(p.name for p in word.phonemes)
    cues: list[Cue] = []
    for k, ph in enumerate(word.phonemes):
        nxt = stop
        if k + 1 < len(word.phonemes):
            nxt = word.phonemes[k + 1].frame
            if nxt < ph.frame:
                raise InputError(
                    source,
                    f"{word.phonemes[k + 1].where}: phoneme frames "
                    f"go backwards ({ph.frame} then {nxt})",
                )
        begin, finish = max(ph.frame, word.start), min(nxt, stop)
        viseme = shape(ph.name, ph.where, source)
        if finish > begin:
            cues.append(Cue(viseme, begin / fps, finish / fps))
    return cues


def _voice(lines: _Lines) -> tuple[str, list[_Word]]:
    name, _ = lines.next("a voice name")
    lines.next("the voice's text")
    words: list[_Word] = []
    for _ in range(lines.integer("the number of phrases")):
        lines.next("a phrase's text")
        lines.integer("the phrase's start frame")
        lines.integer("the phrase's end frame")
        for _ in range(lines.integer("the number of words")):
            words.append(_word(lines))
    return name, words


def _word(lines: _Lines) -> _Word:
    line, where = lines.next("a word: text, start, end, phoneme count")
    parts = line.split()
    if len(parts) != 4:
        raise InputError(
            lines.source, f"{where}: expected 'word start end count', got {line[:40]!r}"
        )
    start, end, count = (parse_whole(part, where, lines.source, minimum=0) for part in parts[1:])
    phonemes: list[_Phoneme] = []
    for _ in range(count):
        ph_line, ph_where = lines.next("a phoneme: frame and shape")
        ph_parts = ph_line.split()
        if len(ph_parts) != 2:
            raise InputError(
                lines.source, f"{ph_where}: expected 'frame shape', got {ph_line[:40]!r}"
            )
        frame = parse_whole(ph_parts[0], ph_where, lines.source, minimum=0)
        phonemes.append(_Phoneme(frame, ph_parts[1], ph_where))
    return _Word(parts[0], start, end, phonemes, where)


FORMAT = Format(
    "papagayo",
    detect=lambda content: content.kind == "text" and looks_like(content.first_line),
    read=lambda content, options: parse(content.text, content.source, options.speaker),
)
