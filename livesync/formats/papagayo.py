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

Papagayo-NG also saves `.pg2`, the same project as JSON (`LipsyncDoc.save2`):

    {"version": 2, "sound_path": "song.wav", "fps": 24, "sound_duration": 120,
     "num_voices": 1, "phoneme_set": "preston_blair",
     "voices": [{"name": "Voice 1", "text": "...", "phrases": [{"text": "...",
       "start_frame": 10, "end_frame": 50, "words": [{"text": "the", "start_frame": 10,
       "end_frame": 15, "phonemes": [{"text": "etc", "frame": 10}, ...]}]}]}]}

read by `parse_pg2` the same way. Its `phoneme_set` names the shape names used (Papagayo-NG's
preston_blair, rhubarb, fleming_dobbs or CMU_39); a .pgo does not say, so its names decide
(`shapes.resolver`).

Several voices are several characters, but livesync draws one mouth: the first voice is
read unless `Options.speaker` names another, and every voice is named in the timeline's
source (`voices`). Papagayo saves in the system's 8-bit code page, so accented lyrics arrive
as Latin-1 bytes; the registry decodes them (`registry.decode`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from livesync.errors import InputError
from livesync.formats import shapes
from livesync.formats._common import FRAME_RATES, Source, build, merge_cues, parse_frame_rate
from livesync.formats.spec import Format, Options
from livesync.lipsync.timeline import Cue, Timeline, Word
from livesync.values import describe, finite, parse_whole, whole

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
    _, shape = shapes.resolver(p.name for w in words for p in w.phonemes)
    return _timeline(name, words, voices, speaker, fps, sound_frames, sound, shape, source)


def _timeline(
    name: str,
    words: list[_Word],
    voices: list[tuple[str, list[_Word]]],
    speaker: str | None,
    fps: float,
    sound_frames: int,
    sound: str,
    shape: shapes.ShapeFn,
    source: Source,
    fmt: str = "papagayo",
) -> Timeline:
    out_words, cues, end = _play(words, fps, shape, source)
    duration = max(sound_frames, end) / fps
    extra = {"fps": f"{fps:g}", "voice": name, "sound_file": sound}
    if len(voices) > 1:
        extra["voices"] = ", ".join(v[0] for v in voices)
    if len(voices) > 1 or speaker is not None:
        extra["speakers"] = name
        extra["speakers_in_file"] = ", ".join(v[0] for v in voices)
    return build(
        source,
        fmt,
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


def _play(
    words: list[_Word], fps: float, shape: shapes.ShapeFn, source: Source
) -> tuple[list[Word], list[Cue], int]:
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
        cues += _word_cues(word, fps, shape, source)
    return out_words, cues, prev_end


def _word_cues(word: _Word, fps: float, shape: shapes.ShapeFn, source: Source) -> list[Cue]:
    """A phoneme holds until the next phoneme of its word, the last until the word's end;
    Papagayo only shows a word's phonemes inside the word's frames."""
    stop = word.end + 1
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


# Papagayo-NG's phoneme_set names and the shapes.NAMINGS entries they are.
PG2_SETS = {
    "preston_blair": "preston-blair",
    "rhubarb": "rhubarb",
    "fleming_dobbs": "fleming-dobbs",
    "cmu_39": "cmu-39",
}


def looks_like_pg2(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("voices"), list) and "fps" in data


def parse_pg2(data: dict[str, Any], source: Source, speaker: str | None = None) -> Timeline:
    """A Papagayo-NG `.pg2` project (see the module's docstring)."""
    fps = finite(data.get("fps"), "fps", source, minimum=FRAME_RATES[0], maximum=FRAME_RATES[1])
    sound_frames = _frame(data.get("sound_duration", 0), "sound_duration", source)
    sound = data.get("sound_path", "")
    voices = [_pg2_voice(voice, f"voices[{i}]", source) for i, voice in enumerate(data["voices"])]
    if not voices:
        raise InputError(source, "the project has no voices")
    name, words = _pick(voices, speaker, source)
    names = [p.name for w in words for p in w.phonemes]
    shape = shapes.resolver(names)[1]
    declared = PG2_SETS.get(str(data.get("phoneme_set", "")).lower())
    for naming, _, table in shapes.NAMINGS:
        known = {key.lower() for key in table}
        if naming == declared and all(n.strip().lower() in known for n in names):
            shape = shapes.lookup(naming)
    return _timeline(
        name, words, voices, speaker, fps, sound_frames, str(sound), shape, source, "papagayo-ng"
    )


def _frame(value: Any, where: str, source: Source) -> int:
    """A frame number: a whole number (Papagayo-NG writes ints; an integral float is one)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return whole(value, where, source, minimum=0, maximum=10**9)


def _pg2_voice(voice: Any, where: str, source: Source) -> tuple[str, list[_Word]]:
    if not isinstance(voice, dict) or not isinstance(voice.get("phrases", []), list):
        raise InputError(source, f"{where} must be an object with a 'phrases' list")
    words: list[_Word] = []
    for i, phrase in enumerate(voice.get("phrases", [])):
        at = f"{where}.phrases[{i}]"
        if not isinstance(phrase, dict) or not isinstance(phrase.get("words", []), list):
            raise InputError(source, f"{at} must be an object with a 'words' list")
        for k, word in enumerate(phrase.get("words", [])):
            words.append(_pg2_word(word, f"{at}.words[{k}]", source))
    return str(voice.get("name", "")), words


def _pg2_word(word: Any, where: str, source: Source) -> _Word:
    if not isinstance(word, dict) or not isinstance(word.get("phonemes", []), list):
        raise InputError(source, f"{where} must be an object with a 'phonemes' list")
    text = word.get("text", "")
    if not isinstance(text, str):
        raise InputError(source, f"{where}.text: expected text, got {describe(text)}")
    phonemes = []
    for j, ph in enumerate(word.get("phonemes", [])):
        at = f"{where}.phonemes[{j}]"
        if not isinstance(ph, dict) or not isinstance(ph.get("text"), str):
            raise InputError(source, f"{at} must be an object with a 'text' and a 'frame'")
        phonemes.append(_Phoneme(_frame(ph.get("frame"), f"{at}.frame", source), ph["text"], at))
    start = _frame(word.get("start_frame"), f"{where}.start_frame", source)
    end = _frame(word.get("end_frame"), f"{where}.end_frame", source)
    return _Word(text, start, end, phonemes, where)


FORMAT = Format(
    "papagayo",
    detect=lambda content: content.kind == "text" and looks_like(content.first_line),
    read=lambda content, options: parse(content.text, content.source, options.speaker),
)
PG2 = Format(
    "papagayo-ng",
    detect=lambda content: looks_like_pg2(content.data),
    read=lambda content, options: _read_pg2(content.data, content.source, options),
)


def _read_pg2(data: dict[str, Any], source: Source, options: Options) -> Timeline:
    return parse_pg2(data, source, options.speaker)
