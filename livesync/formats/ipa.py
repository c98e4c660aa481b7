"""IPA phones, as MFA's default `english_mfa` models write them, spelled in ARPAbet.

The timeline and the viseme tables speak ARPAbet. MFA's ARPAbet models (`english_us_arpa`)
already write it; its IPA models write `ð`, `ə`, `tʰ`, `aj`... Rather than a second viseme
table, each IPA phone is spelled as the nearest ARPAbet phone: modifiers that do not change
the mouth shape (aspiration, palatalisation, labialisation, length, syllabicity, nasality)
are dropped first, then the base sound is looked up. Unknown symbols stay as they are (the
mouth shows them as an open `aa`, like any unknown sung sound).
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
}


def to_arpabet(label: str) -> str | None:
    """The ARPAbet spelling of an IPA phone, or None if it is not one we know."""
    text = unicodedata.normalize("NFC", label.strip())
    base = "".join(
        ch
        for ch in unicodedata.normalize("NFD", text)
        if (ch not in _MODIFIERS and not unicodedata.combining(ch)) or ch == "\u0361"
    )
    return IPA_TO_ARPABET.get(text) or IPA_TO_ARPABET.get(base)
