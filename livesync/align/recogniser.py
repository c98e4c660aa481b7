"""What the aligner needs from a speech recogniser, as a typing.Protocol (pure).

The pipeline plans windows, pronounces new words and combines runs; the recogniser only
looks words up, learns new ones and force-aligns a list of words to a stretch of audio.
Keeping that behind an interface keeps pocketsphinx in one module (`sphinx`, the default)
and lets the pipeline's decisions be tested with a scripted recogniser and no audio model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

RATE = 16000  # the audio a recogniser is given: 16 kHz mono int16


@dataclass(frozen=True, slots=True)
class AlignedPhone:
    phone: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class AlignedToken:
    """One dictionary word of a chunk, times in seconds from the start of the chunk."""

    start: float
    end: float
    phones: tuple[AlignedPhone, ...]
    score: float = 0.0  # acoustic score per frame (log scale, higher is a better match)


class Recogniser(Protocol):
    def lookup(self, word: str) -> str | None:
        """The dictionary pronunciation (space-separated ARPAbet), or None for a new word."""
        ...

    def add_word(self, word: str, phones: list[str]) -> None:
        """Teach a new word; RuntimeError if the recogniser refuses it."""
        ...

    def align(
        self, words: list[str], pcm: npt.NDArray[np.int16], phones: bool = True
    ) -> list[AlignedToken] | None:
        """One token per word of `words` (all known) in `pcm`, with phones unless `phones`
        is False (the coarse pass needs word times only); None if it cannot be aligned."""
        ...
