"""One internal viseme set, its mouth poses, and the tables to the sets other tools use.

The internal set follows the 15 Oculus/Meta visemes (the most widely used fine-grained set)
plus a separate L, because Rhubarb and Preston Blair art both draw L with the tongue up. Any
mouth art a user already has (Rhubarb A-H/X, Preston Blair/Papagayo/Moho) maps onto it through
the tables below, which docs/visemes.md reproduces for users.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum


class Viseme(StrEnum):
    SIL = "sil"  # rest, mouth relaxed and closed
    PP = "PP"  # P B M: lips pressed together
    FF = "FF"  # F V: lower lip under the upper teeth
    TH = "TH"  # TH DH: tongue between the teeth
    DD = "DD"  # T D: tongue behind the upper teeth
    KK = "kk"  # K G NG: open, tongue back
    CH = "CH"  # CH JH SH ZH: lips forward, teeth close
    SS = "SS"  # S Z: teeth close, lips spread
    NN = "nn"  # N: nearly closed, tongue up
    LL = "L"  # L: open, tongue tip raised
    RR = "RR"  # R ER: lips slightly rounded
    AA = "aa"  # AA AH AY AW: jaw open
    EH = "E"  # EH AE EY: mid open, spread
    IH = "ih"  # IH IY Y: spread, teeth showing
    OH = "oh"  # AO OW OY: rounded, open
    OU = "ou"  # UW UH W: small round opening

    @property
    def is_vowel(self) -> bool:
        return self in _VOWELS

    @property
    def is_closure(self) -> bool:
        """Bilabial closures must be seen fully closed, however short the phone is."""
        return self is Viseme.PP


_VOWELS = frozenset({Viseme.AA, Viseme.EH, Viseme.IH, Viseme.OH, Viseme.OU, Viseme.RR})

ARPABET_TO_VISEME: dict[str, Viseme] = {
    "AA": Viseme.AA,
    "AE": Viseme.EH,
    "AH": Viseme.AA,
    "AO": Viseme.OH,
    "AW": Viseme.AA,
    "AY": Viseme.AA,
    "EH": Viseme.EH,
    "ER": Viseme.RR,
    "EY": Viseme.EH,
    "IH": Viseme.IH,
    "IY": Viseme.IH,
    "OW": Viseme.OH,
    "OY": Viseme.OH,
    "UH": Viseme.OU,
    "UW": Viseme.OU,
    "B": Viseme.PP,
    "P": Viseme.PP,
    "M": Viseme.PP,
    "F": Viseme.FF,
    "V": Viseme.FF,
    "TH": Viseme.TH,
    "DH": Viseme.TH,
    "T": Viseme.DD,
    "D": Viseme.DD,
    "K": Viseme.KK,
    "G": Viseme.KK,
    "NG": Viseme.KK,
    "HH": Viseme.KK,
    "CH": Viseme.CH,
    "JH": Viseme.CH,
    "SH": Viseme.CH,
    "ZH": Viseme.CH,
    "S": Viseme.SS,
    "Z": Viseme.SS,
    "N": Viseme.NN,
    "L": Viseme.LL,
    "R": Viseme.RR,
    "W": Viseme.OU,
    "Y": Viseme.IH,
}

# Timeline phones that mean "no speech here". Readers spell an aligner's own silence and noise
# labels (`formats.labels`) as no phone or as SIL; Rhubarb's rest shape X is a mouth shape, not
# a phone, and the phone X (IPA/pinyin x) is a sound, so X is not in this set.
SILENCE_PHONES = frozenset({"SIL", "SP", "SPN", ""})


def viseme_for_phone(phone: str) -> Viseme:
    """ARPAbet phone (any case, optional stress digit) -> viseme; unknown speech -> open AH."""
    key = phone.upper().rstrip("012")
    if key in SILENCE_PHONES:
        return Viseme.SIL
    # Out-of-vocabulary markers (Gentle's "oov") are still sung: show a neutral open mouth.
    return ARPABET_TO_VISEME.get(key, Viseme.AA)


# Rhubarb Lip Sync's mouth shapes (A-F basic, G H X extended), per its README.
TO_RHUBARB: dict[Viseme, str] = {
    Viseme.SIL: "X",
    Viseme.PP: "A",
    Viseme.FF: "G",
    Viseme.TH: "B",
    Viseme.DD: "B",
    Viseme.KK: "B",
    Viseme.CH: "B",
    Viseme.SS: "B",
    Viseme.NN: "B",
    Viseme.LL: "H",
    Viseme.RR: "E",
    Viseme.AA: "D",
    Viseme.EH: "C",
    Viseme.IH: "B",
    Viseme.OH: "E",
    Viseme.OU: "F",
}

# Preston Blair's phoneme set as Papagayo and Moho name it.
TO_PRESTON_BLAIR: dict[Viseme, str] = {
    Viseme.SIL: "rest",
    Viseme.PP: "MBP",
    Viseme.FF: "FV",
    Viseme.TH: "etc",
    Viseme.DD: "etc",
    Viseme.KK: "etc",
    Viseme.CH: "etc",
    Viseme.SS: "etc",
    Viseme.NN: "etc",
    Viseme.LL: "L",
    Viseme.RR: "E",
    Viseme.AA: "AI",
    Viseme.EH: "E",
    Viseme.IH: "E",
    Viseme.OH: "O",
    Viseme.OU: "U",
}

# The other direction: which internal viseme a Rhubarb or Preston Blair shape stands for.
FROM_RHUBARB: dict[str, Viseme] = {
    "X": Viseme.SIL,
    "A": Viseme.PP,
    "B": Viseme.SS,
    "C": Viseme.EH,
    "D": Viseme.AA,
    "E": Viseme.OH,
    "F": Viseme.OU,
    "G": Viseme.FF,
    "H": Viseme.LL,
}
FROM_PRESTON_BLAIR: dict[str, Viseme] = {
    "rest": Viseme.SIL,
    "MBP": Viseme.PP,
    "FV": Viseme.FF,
    "etc": Viseme.SS,
    "L": Viseme.LL,
    "E": Viseme.EH,
    "AI": Viseme.AA,
    "O": Viseme.OH,
    "U": Viseme.OU,
    "WQ": Viseme.OU,
}

# Fleming & Dobbs' set, one of Papagayo-NG's phoneme sets (its phonemes/fleming_dobbs.json):
# its names group the sounds each mouth shows.
FROM_FLEMING_DOBBS: dict[str, Viseme] = {
    "MBP": Viseme.PP,
    "NLTDR": Viseme.DD,
    "FV": Viseme.FF,
    "TH": Viseme.TH,
    "GK": Viseme.KK,
    "SH": Viseme.CH,
    "O": Viseme.OH,
    "EHSZ": Viseme.EH,
    "AA": Viseme.AA,
    "IY": Viseme.IH,
    "rest": Viseme.SIL,
}


# Oculus/Meta Lipsync's 15 visemes: the internal set, with L drawn as nn.
TO_OCULUS: dict[Viseme, str] = {v: ("nn" if v is Viseme.LL else v.value) for v in Viseme}
FROM_OCULUS: dict[str, Viseme] = {v.value: v for v in Viseme if v is not Viseme.LL}

# Microsoft SAPI / Azure Speech viseme IDs 0-21 (what Azure's viseme events report).
TO_SAPI: dict[Viseme, int] = {
    Viseme.SIL: 0,
    Viseme.PP: 21,
    Viseme.FF: 18,
    Viseme.TH: 17,
    Viseme.DD: 19,
    Viseme.KK: 20,
    Viseme.CH: 16,
    Viseme.SS: 15,
    Viseme.NN: 19,
    Viseme.LL: 14,
    Viseme.RR: 13,
    Viseme.AA: 2,
    Viseme.EH: 4,
    Viseme.IH: 6,
    Viseme.OH: 8,
    Viseme.OU: 7,
}
FROM_SAPI: dict[int, Viseme] = {
    0: Viseme.SIL,
    1: Viseme.AA,
    2: Viseme.AA,
    3: Viseme.OH,
    4: Viseme.EH,
    5: Viseme.RR,
    6: Viseme.IH,
    7: Viseme.OU,
    8: Viseme.OH,
    9: Viseme.AA,
    10: Viseme.OH,
    11: Viseme.AA,
    12: Viseme.KK,
    13: Viseme.RR,
    14: Viseme.LL,
    15: Viseme.SS,
    16: Viseme.CH,
    17: Viseme.TH,
    18: Viseme.FF,
    19: Viseme.DD,
    20: Viseme.KK,
    21: Viseme.PP,
}
# SAPI IDs straight from ARPAbet, finer than going through the internal set (vowels differ).
ARPABET_TO_SAPI: dict[str, int] = {
    "AE": 1,
    "AH": 1,
    "AA": 2,
    "AO": 3,
    "EH": 4,
    "UH": 4,
    "ER": 5,
    "Y": 6,
    "IY": 6,
    "IH": 6,
    "W": 7,
    "UW": 7,
    "OW": 8,
    "AW": 9,
    "OY": 10,
    "AY": 11,
    "HH": 12,
    "R": 13,
    "L": 14,
    "S": 15,
    "Z": 15,
    "SH": 16,
    "CH": 16,
    "JH": 16,
    "ZH": 16,
    "DH": 17,
    "F": 18,
    "V": 18,
    "D": 19,
    "T": 19,
    "N": 19,
    "TH": 19,
    "K": 20,
    "G": 20,
    "NG": 20,
    "P": 21,
    "B": 21,
    "M": 21,
    "EY": 4,
}


@dataclass(frozen=True, slots=True)
class MouthPose:
    """Continuous mouth parameters (0..1) the renderer draws; blending these is what keeps
    motion smooth between shapes instead of swapping pictures."""

    open: float = 0.0  # jaw opening
    width: float = 0.5  # lip-corner spread (0 pursed, 0.5 neutral, 1 wide)
    round: float = 0.0  # lip rounding / protrusion
    teeth: float = 0.0  # upper teeth showing
    tongue: float = 0.0  # tongue tip raised
    bite: float = 0.0  # lower lip tucked under the upper teeth
    press: float = 0.0  # lips pressed together

    def as_tuple(self) -> tuple[float, ...]:
        return (self.open, self.width, self.round, self.teeth, self.tongue, self.bite, self.press)


POSE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MouthPose))

POSES: dict[Viseme, MouthPose] = {
    Viseme.SIL: MouthPose(),
    Viseme.PP: MouthPose(press=1.0, width=0.45),
    Viseme.FF: MouthPose(open=0.1, width=0.55, teeth=1.0, bite=1.0),
    Viseme.TH: MouthPose(open=0.3, width=0.55, teeth=0.7, tongue=1.0),
    Viseme.DD: MouthPose(open=0.25, width=0.55, teeth=0.6, tongue=0.6),
    Viseme.KK: MouthPose(open=0.35, width=0.55, teeth=0.4),
    Viseme.CH: MouthPose(open=0.2, width=0.3, round=0.5, teeth=0.9),
    Viseme.SS: MouthPose(open=0.1, width=0.7, teeth=1.0),
    Viseme.NN: MouthPose(open=0.15, width=0.55, teeth=0.4, tongue=0.5),
    Viseme.LL: MouthPose(open=0.4, width=0.55, teeth=0.6, tongue=1.0),
    Viseme.RR: MouthPose(open=0.25, width=0.35, round=0.45, teeth=0.3),
    Viseme.AA: MouthPose(open=0.8, width=0.6, teeth=0.3),
    Viseme.EH: MouthPose(open=0.55, width=0.8, teeth=0.5),
    Viseme.IH: MouthPose(open=0.25, width=1.0, teeth=1.0),
    Viseme.OH: MouthPose(open=0.6, width=0.3, round=0.6),
    Viseme.OU: MouthPose(open=0.35, width=0.1, round=1.0),
}
