"""Labels aligners write where nobody sings: silence, pauses and noise, by tool.

Every aligner marks the stretches between sung words its own way, and none of them is a lyric
word or a sound the mouth shapes. Reading one as a word put `[SIL]` into the lyrics and an
open mouth over a pause, so every phone or word label is checked here first (case-insensitive,
surrounding spaces ignored). docs/timing-files.md lists the same table for users.

| label | written by |
|---|---|
| (empty) | MFA, Praat, WebMAUS (ORT), FAVE: an interval with no text |
| `sil`, `sp`, `spn` | MFA 1.x, HTK/P2FA/FAVE, Kaldi recipes, Gentle (`sil` inside words) |
| `<sil>`, `<eps>`, `<unk>`, `<spn>`, `<noise>`, `<spoken_noise>` | Kaldi and MFA word tiers |
| `[SIL]`, `[UNK]`, `[SPN]`, `[NOISE]` | Charsiu |
| `<p:>`, `<p>`, `<nib>`, `<usb>`, `<ngb>` | WebMAUS / BAS MAUS (pauses, noises) |
| `#`, `_`, `""` | BAS partitur exports and eSpeak/Praat synthesizer pauses |
| `noise`, `<vocnoise>`, `<iver>`, `<laugh>`, `<exclude>`, `[adif]` | Buckeye-style corpora |
| `{SL}` `{NS}` `{BR}` `{LG}` `{CG}` `{LS}`, phones `br cg lg ls ns` | FAVE-align noises |
| `<sp>`, `<br>`, `<breath>`, `<cough>`, `<laughter>` | other Kaldi recipes |

Anything else in angle or square brackets or braces that holds only letters, digits, colons
and underscores (`<foo>`, `[bar]`, `{BAZ}`) is a tool's annotation, never a sung word, and
counts as silence too. Mouth-shape letters are not labels of this kind: Rhubarb's `X` is its
rest shape, but `x` in a phone tier is a sound (IPA, pinyin), so mouth-cue formats resolve
their shapes in `shapes` and never pass through here.
"""

from __future__ import annotations

import re

SILENT_LABELS = frozenset(
    {
        "",
        "sil",
        "sp",
        "spn",
        "<sil>",
        "<eps>",
        "<unk>",
        "<spn>",
        "<noise>",
        "<spoken_noise>",
        "[sil]",
        "[unk]",
        "[spn]",
        "[noise]",
        "<p:>",
        "<p>",
        "<nib>",
        "<usb>",
        "<ngb>",
        "#",
        "_",
        '""',
        "noise",
        "<vocnoise>",
        "<iver>",
        "<laugh>",
        "<exclude>",
        "[adif]",
        "{sl}",
        "{ns}",
        "{br}",
        "{lg}",
        "{cg}",
        "{ls}",
        "<sp>",
        "<br>",
        "<breath>",
        "<cough>",
        "<laughter>",
    }
)
# FAVE-align's dictionary spells its noise words with these phones.
SILENT_PHONES = frozenset({"br", "cg", "lg", "ls", "ns"})
_ANNOTATION = re.compile(r"^(?:<[\w:]*>|\[[\w:]*\]|\{[\w:]*\})$")


def is_silent_word(label: str) -> bool:
    """A word-tier label that marks a pause or a noise, not a sung word."""
    key = label.strip().lower()
    return key in SILENT_LABELS or bool(_ANNOTATION.match(key))


def is_silent_phone(label: str) -> bool:
    """A phone-tier label that marks a pause or a noise, not a sound the mouth shapes."""
    key = label.strip().lower()
    return is_silent_word(key) or key in SILENT_PHONES or key.startswith("_")
