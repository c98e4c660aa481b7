"""Edge: the only module that talks to pocketsphinx (imported lazily, on first use).

Forced alignment in two passes, as pocketsphinx 5 does it: `set_align_text` and a decode for
the words, then `set_alignment` and a second decode of the same audio for the phones.
Frames are 10 ms. Some utterances cannot be set up for sub-word alignment with the default
beams; those are retried once with very wide beams before the chunk is given up.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import numpy.typing as npt

from livesync.align.recogniser import RATE, AlignedPhone, AlignedToken

FRAME = 0.01
FILLERS = frozenset({"<s>", "</s>", "<sil>"})
WIDE_BEAMS = {"beam": 1e-120, "pbeam": 1e-120, "wbeam": 1e-100}


def _pocketsphinx() -> Any:
    try:
        return importlib.import_module("pocketsphinx")
    except ImportError:
        from livesync.errors import InputError

        raise InputError(
            None, "the aligner needs pocketsphinx 5: pip install 'pocketsphinx>=5'"
        ) from None


class SphinxAligner:
    """The default `Recogniser`: a pocketsphinx decoder with the bundled US English model,
    plus words added at run time."""

    def __init__(self) -> None:
        self._ps = _pocketsphinx()
        self._added: dict[str, str] = {}
        self._decoder = self._new_decoder({})
        self._wide: Any = None

    def _new_decoder(self, extra: dict[str, float]) -> Any:
        decoder = self._ps.Decoder(
            samprate=RATE, lm=None, bestpath=False, loglevel="FATAL", **extra
        )
        for word, phones in self._added.items():
            decoder.add_word(word, phones, True)
        return decoder

    def lookup(self, word: str) -> str | None:
        """The dictionary pronunciation (space-separated phones), or None for a new word."""
        try:
            phones = self._decoder.lookup_word(word)
        except (RuntimeError, KeyError, UnicodeError):
            return None
        return str(phones) if phones else None

    def add_word(self, word: str, phones: list[str]) -> None:
        text = " ".join(phones)
        self._added[word] = text
        self._decoder.add_word(word, text, True)
        if self._wide is not None:
            self._wide.add_word(word, text, True)

    def align(
        self, words: list[str], pcm: npt.NDArray[np.int16], phones: bool = True
    ) -> list[AlignedToken] | None:
        """Align `words` (all in the dictionary) to 16 kHz int16 `pcm`; None if impossible."""
        if not words or len(pcm) < RATE // 10:
            return None
        result = _run(self._decoder, words, pcm, phones)
        if result is None:
            if self._wide is None:
                self._wide = self._new_decoder(WIDE_BEAMS)
            result = _run(self._wide, words, pcm, phones)
        return result


def _run(
    decoder: Any, words: list[str], pcm: npt.NDArray[np.int16], phones: bool
) -> list[AlignedToken] | None:
    data = np.ascontiguousarray(pcm, dtype=np.int16).tobytes()
    try:
        decoder.set_align_text(" ".join(words))
        decoder.start_utt()
        decoder.process_raw(data, full_utt=True)
        decoder.end_utt()
        if not phones:
            segs = [s for s in (decoder.seg() or []) if _is_word(s.word)]
            if len(segs) != len(words):
                return None
            return [
                AlignedToken(s.start_frame * FRAME, (s.end_frame + 1) * FRAME, ()) for s in segs
            ]
        decoder.set_alignment()
        decoder.start_utt()
        decoder.process_raw(data, full_utt=True)
        decoder.end_utt()
        alignment = decoder.get_alignment()
    except RuntimeError:
        return None
    if alignment is None:
        return None
    tokens = []
    for w in alignment:
        if not _is_word(w.name):
            continue
        ph = tuple(
            AlignedPhone(p.name, p.start * FRAME, (p.start + p.duration) * FRAME)
            for p in w
            if p.name != "SIL"
        )
        tokens.append(
            AlignedToken(
                w.start * FRAME,
                (w.start + w.duration) * FRAME,
                ph,
                float(w.score) / max(int(w.duration), 1),
            )
        )
    return tokens if len(tokens) == len(words) else None


def _is_word(name: str) -> bool:
    return (
        name not in FILLERS
        and not (name.startswith("[") and name.endswith("]"))
        and not name.startswith("+")
    )
