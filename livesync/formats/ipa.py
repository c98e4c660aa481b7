"""IPA phones, as MFA's default `english_mfa` models write them, spelled in ARPAbet.

The timeline and the viseme tables speak ARPAbet. MFA's ARPAbet models (`english_us_arpa`)
already write it; its IPA models write `ð`, `ə`, `tʰ`, `aj`... Rather than a second viseme
table, each IPA phone is spelled as the nearest ARPAbet phone: modifiers that do not change
the mouth shape (aspiration, palatalisation, labialisation, length, syllabicity, nasality)
are dropped first, then the base sound is looked up; a label holding several sounds
(Praat's synthesizer writes "əl", "ɔːɹ") is spelled as its first. Unknown symbols stay as
they are (the mouth shows them as an open `aa`, like any unknown sung sound).
"""

from __future__ import annotations

import unicodedata

# Modifier letters and combining marks that do not change which mouth shape a sound needs.
_MODIFIERS = frozenset("ʰʲʷːˑˈˌ̩̯̥̪̠̟̃̚ʼ")

IPA_TO_ARPABET: dict[str, str] = {
    # consonants
    "p": "P",
    "b": "B",
    "t": "T",
    "d": "D",
    "k": "K",
    "c": "K",
    "g": "G",
    "ɡ": "G",
    "ɟ": "G",
    "m": "M",
    "ɱ": "M",
    "n": "N",
    "ɲ": "N",
    "ŋ": "NG",
    "f": "F",
    "v": "V",
    "θ": "TH",
    "ð": "DH",
    "s": "S",
    "z": "Z",
    "ʃ": "SH",
    "ʒ": "ZH",
    "tʃ": "CH",
    "t͡ʃ": "CH",
    "dʒ": "JH",
    "d͡ʒ": "JH",
    "h": "HH",
    "ç": "HH",
    "x": "HH",
    "l": "L",
    "ɫ": "L",
    "ʎ": "L",
    "ɹ": "R",
    "r": "R",
    "ɾ": "D",
    "w": "W",
    "j": "Y",
    "ʔ": "T",
    # vowels and diphthongs
    "a": "AA",
    "ɑ": "AA",
    "ɒ": "AA",
    "æ": "AE",
    "ɐ": "AH",
    "ʌ": "AH",
    "ə": "AH",
    "ɛ": "EH",
    "e": "EY",
    "ej": "EY",
    "eɪ": "EY",
    "ɪ": "IH",
    "i": "IY",
    "ɔ": "AO",
    "o": "OW",
    "ow": "OW",
    "oʊ": "OW",
    "əw": "OW",
    "əʊ": "OW",
    "ʊ": "UH",
    "u": "UW",
    "ʉ": "UW",
    "aj": "AY",
    "aɪ": "AY",
    "aw": "AW",
    "aʊ": "AW",
    "ɔj": "OY",
    "ɔɪ": "OY",
    "ɚ": "ER",
    "ɝ": "ER",
    "ɜ": "ER",
    # sounds of MFA's and Charsiu's other languages, spelled as the nearest English mouth
    "ɕ": "SH",
    "ʂ": "SH",
    "ʐ": "ZH",
    "ʑ": "ZH",
    "ts": "S",
    "t͡s": "S",
    "dz": "Z",
    "ɣ": "G",
    "β": "B",
    "ʁ": "R",
    "ʀ": "R",
    "y": "UW",
    "ʏ": "UH",
    "ø": "OW",
    "œ": "EH",
    "ɨ": "IH",
    "ɯ": "UW",
    "ɤ": "AH",
    "ɘ": "AH",
}

# X-SAMPA as WebMAUS/BAS MAUS writes its MAU tier (German and English models). `Q` is the
# glottal stop in German and the LOT vowel in British English: both are short and read as an
# open mouth here. Length marks (`:`) are dropped before the lookup.
SAMPA_TO_ARPABET: dict[str, str] = {
    "p": "P",
    "b": "B",
    "t": "T",
    "d": "D",
    "k": "K",
    "g": "G",
    "m": "M",
    "n": "N",
    "N": "NG",
    "f": "F",
    "v": "V",
    "T": "TH",
    "D": "DH",
    "s": "S",
    "z": "Z",
    "S": "SH",
    "Z": "ZH",
    "tS": "CH",
    "dZ": "JH",
    "ts": "S",
    "pf": "F",
    "h": "HH",
    "x": "HH",
    "C": "HH",
    "j": "Y",
    "w": "W",
    "l": "L",
    "r": "R",
    "R": "R",
    "r\\": "R",
    "?": "T",
    "Q": "AA",
    "i": "IY",
    "I": "IH",
    "e": "EY",
    "E": "EH",
    "{": "AE",
    "a": "AA",
    "A": "AA",
    "V": "AH",
    "6": "AH",
    "@": "AH",
    "3": "ER",
    "O": "AO",
    "o": "OW",
    "U": "UH",
    "u": "UW",
    "y": "UW",
    "Y": "UH",
    "2": "OW",
    "9": "EH",
    "aI": "AY",
    "aU": "AW",
    "OY": "OY",
    "OI": "OY",
    "eI": "EY",
    "@U": "OW",
    "I@": "IH",
    "e@": "EH",
    "U@": "UH",
}


def sampa_to_arpabet(label: str) -> str | None:
    """The ARPAbet spelling of an X-SAMPA phone (length marks dropped), or None."""
    text = label.strip()
    return SAMPA_TO_ARPABET.get(text) or SAMPA_TO_ARPABET.get(text.replace(":", ""))


def to_arpabet(label: str) -> str | None:
    """The ARPAbet spelling of an IPA phone, or None if it is not one we know."""
    text = unicodedata.normalize("NFC", label.strip())
    base = "".join(
        ch
        for ch in unicodedata.normalize("NFD", text)
        if (ch not in _MODIFIERS and not unicodedata.combining(ch)) or ch == "\u0361"
    )
    found = IPA_TO_ARPABET.get(text) or IPA_TO_ARPABET.get(base)
    if found is None and len(base) > 1:
        # A cluster one label holds (Praat's synthesizer writes syllabic "əl" and "ɔːɹ"):
        # the mouth shows its first sound, the longest known one at the start.
        for end in range(len(base) - 1, 0, -1):
            found = IPA_TO_ARPABET.get(base[:end])
            if found is not None:
                break
    return found
