"""The built-in offline aligner: lyrics + song -> Timeline (words and ARPAbet phones).

    from livesync.align import align_files
    result = align_files(Path("song.wav"), Path("lyrics.txt"))
    result.timeline      # livesync.lipsync.timeline.Timeline

Pure parts: `lyrics` (plain and LRC lyrics -> words), `numbers`, `plan` (voice activity,
chunk windows), `pronounce` (dictionary variants), `assemble` (-> Timeline), `g2p`
(letter-to-sound: espeak-ng if installed, else rules), `recogniser` (the interface a speech
recogniser offers the pipeline). `sphinx` is the only module that talks to pocketsphinx,
imported lazily on first use; `pipeline` wires them together, with pocketsphinx as the
recogniser unless it is given another. Writing a result as Gentle JSON is
`livesync.formats.write_timeline(result.timeline, "gentle")`.
"""

from __future__ import annotations

from livesync.align.lyrics import Lyrics, LyricWord, parse_lyrics
from livesync.align.pipeline import AlignResult, align_files, align_pcm, load_pcm, read_lyrics
from livesync.align.recogniser import AlignedPhone, AlignedToken, Recogniser

__all__ = [
    "AlignResult",
    "AlignedPhone",
    "AlignedToken",
    "LyricWord",
    "Lyrics",
    "Recogniser",
    "align_files",
    "align_pcm",
    "load_pcm",
    "parse_lyrics",
    "read_lyrics",
]
