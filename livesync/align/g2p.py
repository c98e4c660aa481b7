"""Letter-to-sound for words the dictionary does not know (tryna, shawty, imma...).

Preferred: the espeak-ng program's phonemes (`espeak-ng -q --ipa=1`), mapped from IPA to the
ARPAbet phones of the acoustic model. Without espeak-ng, a small rule-based speller gives a
rough but usable pronunciation. Both return upper-case ARPAbet without stress digits.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterable

PHONES = frozenset(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH "
    "UW V W Y Z ZH".split()
)

# espeak-ng en-us IPA (length marks and stress removed) -> ARPAbet.
IPA: dict[str, tuple[str, ...]] = {
    "p": ("P",),
    "b": ("B",),
    "t": ("T",),
    "d": ("D",),
    "k": ("K",),
    "g": ("G",),
    "ɡ": ("G",),
    "f": ("F",),
    "v": ("V",),
    "θ": ("TH",),
    "ð": ("DH",),
    "s": ("S",),
    "z": ("Z",),
    "ʃ": ("SH",),
    "ʒ": ("ZH",),
    "h": ("HH",),
    "m": ("M",),
    "n": ("N",),
    "ŋ": ("NG",),
    "l": ("L",),
    "ɹ": ("R",),
    "r": ("R",),
    "w": ("W",),
    "j": ("Y",),
    "tʃ": ("CH",),
    "dʒ": ("JH",),
    "ɾ": ("D",),
    "ʔ": ("T",),
    "x": ("HH",),
    "ç": ("HH",),
    "ʍ": ("W",),
    "ɬ": ("L",),
    "n̩": ("AH", "N"),
    "l̩": ("AH", "L"),
    "m̩": ("AH", "M"),
    "i": ("IY",),
    "ɪ": ("IH",),
    "ᵻ": ("IH",),
    "e": ("EY",),
    "eɪ": ("EY",),
    "ɛ": ("EH",),
    "æ": ("AE",),
    "a": ("AE",),
    "ɑ": ("AA",),
    "ɒ": ("AA",),
    "ɔ": ("AO",),
    "o": ("OW",),
    "oʊ": ("OW",),
    "əʊ": ("OW",),
    "ʊ": ("UH",),
    "u": ("UW",),
    "ʌ": ("AH",),
    "ə": ("AH",),
    "ɐ": ("AH",),
    "ɚ": ("ER",),
    "ɜ": ("ER",),
    "ɝ": ("ER",),
    "aɪ": ("AY",),
    "aʊ": ("AW",),
    "ɔɪ": ("OY",),
    "ɪə": ("IH", "R"),
    "eə": ("EH", "R"),
    "ʊə": ("UH", "R"),
    "aɪə": ("AY", "ER"),
    "aɪɚ": ("AY", "ER"),
    "aʊɚ": ("AW", "ER"),
    "ɑɹ": ("AA", "R"),
    "ɔɹ": ("AO", "R"),
    "ɛɹ": ("EH", "R"),
    "ɪɹ": ("IH", "R"),
    "ʊɹ": ("UH", "R"),
    "oːɹ": ("AO", "R"),
    "iə": ("IY", "AH"),
    "y": ("UW",),
    "ø": ("ER",),
    "œ": ("ER",),
}

_MARKS = "ˈˌː ̃ˑ-'"


def ipa_to_arpabet(phonemes: Iterable[str]) -> list[str]:
    """espeak-ng --ipa=1 phonemes (one per item, e.g. 'ɹ', 'ˈiː', 'aɪ') -> ARPAbet."""
    out: list[str] = []
    for raw in phonemes:
        ph = unicodedata.normalize("NFC", raw)
        ph = "".join(c for c in ph if c not in _MARKS)
        if not ph:
            continue
        if ph in IPA:
            out.extend(IPA[ph])
            continue
        # Unknown cluster: map the longest known prefixes one after another.
        i = 0
        while i < len(ph):
            for n in (3, 2, 1):
                if ph[i : i + n] in IPA:
                    out.extend(IPA[ph[i : i + n]])
                    i += n
                    break
            else:
                i += 1
    return out


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def espeak_pronounce(words: list[str], voice: str = "en-us") -> dict[str, list[str]]:
    """Pronunciations from the espeak-ng program, one call for all words; {} if it is missing
    or fails (the caller falls back to the rules)."""
    exe = shutil.which("espeak-ng")
    if exe is None or not words:
        return {}
    try:
        done = subprocess.run(
            [exe, "-q", "-v", voice, "--ipa=1"],
            input="\n".join(words) + "\n",
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if len(lines) != len(words):
        # espeak joined or split some lines: ask word by word instead.
        if len(words) == 1:
            return {}
        result: dict[str, list[str]] = {}
        for w in words:
            result.update(espeak_pronounce([w], voice))
        return result
    result = {}
    for word, line in zip(words, lines, strict=True):
        phones = ipa_to_arpabet(p for chunk in line.split() for p in chunk.split("_"))
        if phones:
            result[word] = phones
    return result


# A rough English speller for when espeak-ng is not installed: longest match first.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    sorted(
        {
            "tch": ("CH",),
            "igh": ("AY",),
            "ough": ("AO",),
            "augh": ("AO",),
            "eigh": ("EY",),
            "tion": ("SH", "AH", "N"),
            "sion": ("ZH", "AH", "N"),
            "ture": ("CH", "ER"),
            "ch": ("CH",),
            "sh": ("SH",),
            "th": ("TH",),
            "ph": ("F",),
            "wh": ("W",),
            "ng": ("NG",),
            "ck": ("K",),
            "qu": ("K", "W"),
            "gh": ("G",),
            "kn": ("N",),
            "wr": ("R",),
            "ee": ("IY",),
            "ea": ("IY",),
            "oo": ("UW",),
            "ai": ("EY",),
            "ay": ("EY",),
            "ey": ("EY",),
            "oa": ("OW",),
            "ow": ("AW",),
            "ou": ("AW",),
            "oy": ("OY",),
            "oi": ("OY",),
            "au": ("AO",),
            "aw": ("AO",),
            "ie": ("IY",),
            "ue": ("UW",),
            "ew": ("UW",),
            "er": ("ER",),
            "ir": ("ER",),
            "ur": ("ER",),
            "ar": ("AA", "R"),
            "or": ("AO", "R"),
            "ah": ("AA",),
            "all": ("AO", "L"),
            "a": ("AE",),
            "b": ("B",),
            "c": ("K",),
            "d": ("D",),
            "e": ("EH",),
            "f": ("F",),
            "g": ("G",),
            "h": ("HH",),
            "i": ("IH",),
            "j": ("JH",),
            "k": ("K",),
            "l": ("L",),
            "m": ("M",),
            "n": ("N",),
            "o": ("AA",),
            "p": ("P",),
            "q": ("K",),
            "r": ("R",),
            "s": ("S",),
            "t": ("T",),
            "u": ("AH",),
            "v": ("V",),
            "w": ("W",),
            "x": ("K", "S"),
            "y": ("Y",),
            "z": ("Z",),
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)


def rule_pronounce(word: str) -> list[str]:
    """Letters to ARPAbet by simple English spelling rules (pure, no dependency)."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if "a" <= c <= "z")
    out: list[str] = []
    i = 0
    while i < len(letters):
        rest = letters[i:]
        if rest == "e" and out and i > 1:  # silent final e
            break
        if rest.startswith("y") and i > 0:  # y after a consonant is a vowel
            out.append("IY" if i == len(letters) - 1 else "IH")
            i += 1
            continue
        if (
            rest.startswith("a")
            and rest[1:2]
            and rest[1:2] not in "aeiouy"
            and rest[2:3] == "a"
            and i + 3 == len(letters)
        ):  # -ana, -ama...
            out.append("AE")
            i += 1
            continue
        for graph, phones in RULES:
            if rest.startswith(graph):
                out.extend(phones)
                i += len(graph)
                break
        else:
            i += 1
    if letters.endswith("a") and out and out[-1] == "AE" and len(letters) > 1:
        out[-1] = "AH"  # final -a is a schwa (tryna, gotta)
    deduped: list[str] = []
    for ph in out:
        if (
            not deduped
            or deduped[-1] != ph
            or ph not in {"B", "D", "F", "G", "K", "L", "M", "N", "P", "R", "S", "T", "Z"}
        ):
            deduped.append(ph)
    return deduped


def pronounce(words: list[str], use_espeak: bool = True) -> tuple[dict[str, list[str]], str]:
    """Pronunciations for new words and the method used ('espeak-ng' or 'rules')."""
    found = espeak_pronounce(words) if use_espeak else {}
    method = "espeak-ng" if found else "rules"
    result = {w: found.get(w) or rule_pronounce(w) for w in words}
    return {w: p for w, p in result.items() if p}, method
