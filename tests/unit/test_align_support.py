"""A scripted recogniser for the aligner's tests (no tests here): it knows when each word is
really said, so whatever the pipeline asks of it, a correct pipeline gets those times back.

The song is loud white noise (every 32 samples are unique, and its level is even, so the
whole song counts as voiced): the recogniser finds where a chunk sits in the song from the
chunk's first samples, and answers in chunk time, as a real recogniser does."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from livesync.align.recogniser import RATE, AlignedPhone, AlignedToken

DICTIONARY = {
    "hello": "HH AH0 L OW1",
    "brave": "B R EY1 V",
    "world": "W ER1 L D",
    "sing": "S IH1 NG",
    "now": "N AW1",
}
LYRICS = "Hello brave world\nsing zorblax, now!\n"
TRUTH = {
    "hello": (1.00, 1.40),
    "brave": (1.50, 1.90),
    "world": (2.00, 2.50),
    "sing": (4.00, 4.30),
    "zorblax": (4.40, 5.00),
    "now": (5.10, 5.40),
}
SECONDS = 7.0


def noise_song(seconds: float = SECONDS, seed: int = 3) -> npt.NDArray[np.int16]:
    rng = np.random.default_rng(seed)
    return rng.integers(-20000, 20000, round(seconds * RATE), dtype=np.int16)


@dataclass
class ScriptedRecogniser:
    """Satisfies `livesync.align.recogniser.Recogniser`; `refuse` is a word it never finds
    (a line that is not in the audio), `calls` what it was asked: (words, with phones)."""

    song: npt.NDArray[np.int16]
    refuse: str = ""
    dictionary: dict[str, str] = field(default_factory=lambda: dict(DICTIONARY))
    added: dict[str, list[str]] = field(default_factory=dict)
    calls: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)

    def lookup(self, word: str) -> str | None:
        return self.dictionary.get(word)

    def add_word(self, word: str, phones: list[str]) -> None:
        self.added[word] = phones
        self.dictionary[word] = " ".join(phones)

    def align(
        self, words: list[str], pcm: npt.NDArray[np.int16], phones: bool = True
    ) -> list[AlignedToken] | None:
        self.calls.append((tuple(words), phones))
        if phones and self.refuse in words:
            return None
        offset = self._chunk_start(pcm)
        tokens = []
        for word in words:
            start, end = (t - offset for t in TRUTH[word])
            names = self.dictionary[word].split()
            step = (end - start) / len(names)
            timed = tuple(
                AlignedPhone(name, start + k * step, start + (k + 1) * step)
                for k, name in enumerate(names)
            )
            tokens.append(AlignedToken(start, end, timed if phones else (), score=-1.0))
        return tokens

    def _chunk_start(self, pcm: npt.NDArray[np.int16]) -> float:
        at = self.song.tobytes().find(pcm[:32].tobytes())
        assert at >= 0 and at % 2 == 0, "the pipeline passed audio that is not the song's"
        return at // 2 / RATE
