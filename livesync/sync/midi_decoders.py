"""MIDI sync sources, decoded from plain message fields (the MIDI edge converts mido's).

MIDI Time Code: eight quarter-frame messages carry hours, minutes, seconds, frames and the
frame rate, two pieces per frame; a full SysEx message locates at once (after a DAW seek).
MIDI clock: 24 pulses per quarter note with start/stop/continue and the song position
pointer, from which tempo and beat phase follow.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass

FPS_BY_CODE: dict[int, float] = {0: 24.0, 1: 25.0, 2: 30000 / 1001, 3: 30.0}
DROP_FRAME_CODE = 2


@dataclass(frozen=True, slots=True)
class Timecode:
    hours: int
    minutes: int
    seconds: int
    frames: int
    rate_code: int

    @property
    def fps(self) -> float:
        return FPS_BY_CODE[self.rate_code]

    def to_seconds(self) -> float:
        """Wall-clock seconds. 29.97 drop-frame skips frame numbers 0 and 1 each minute
        except every tenth, so its labels run ahead of a plain count; undo that."""
        if self.rate_code != DROP_FRAME_CODE:
            total = (self.hours * 3600 + self.minutes * 60 + self.seconds) * round(self.fps)
            return (total + self.frames) / self.fps
        total_minutes = self.hours * 60 + self.minutes
        labels = (total_minutes * 60 + self.seconds) * 30 + self.frames
        dropped = 2 * (total_minutes - total_minutes // 10)
        return (labels - dropped) / self.fps


class MtcDecoder:
    """Assembles quarter frames; `quarter_frame()` returns a song time when a full code is in.

    Eight quarter frames span two frames, and the code they spell names the frame at which
    the first piece was sent: the time now is two frames later (the 'add 2 frames' rule).
    """

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset  # the DAW's session start (e.g. 01:00:00:00) -> song 0
        self._pieces: list[int | None] = [None] * 8
        self._last_piece = -1

    def quarter_frame(self, piece: int, value: int) -> float | None:
        if not (0 <= piece <= 7 and 0 <= value <= 15):
            return None
        if piece != (self._last_piece + 1) % 8:
            self._pieces = [None] * 8  # out of sequence (reverse play, a lost message)
        self._last_piece = piece
        self._pieces[piece] = value
        if piece != 7 or any(p is None for p in self._pieces):
            return None
        p = [v or 0 for v in self._pieces]
        code = Timecode(
            hours=p[6] | ((p[7] & 0x1) << 4),
            minutes=p[4] | (p[5] << 4),
            seconds=p[2] | (p[3] << 4),
            frames=p[0] | (p[1] << 4),
            rate_code=(p[7] >> 1) & 0x3,
        )
        if not _valid(code):
            return None
        return code.to_seconds() + 2.0 / code.fps - self.offset

    def full_frame(self, sysex: list[int] | tuple[int, ...]) -> float | None:
        """A full-frame locate, given the SysEx data bytes without F0/F7:
        7F <device> 01 01 hh mm ss ff (hh carries the rate in bits 5-6)."""
        data = list(sysex)
        if len(data) != 8 or data[0] != 0x7F or data[2:4] != [0x01, 0x01]:
            return None
        hh, mm, ss, ff = data[4:8]
        code = Timecode(hh & 0x1F, mm, ss, ff, (hh >> 5) & 0x3)
        if not _valid(code):
            return None
        self._pieces = [None] * 8
        return code.to_seconds() - self.offset


def _valid(code: Timecode) -> bool:
    return (
        code.hours < 24
        and code.minutes < 60
        and code.seconds < 60
        and code.frames < round(code.fps)
    )


@dataclass(frozen=True, slots=True)
class BeatClock:
    """Tempo and position from MIDI clock: `beats` counts quarter notes from the song start."""

    playing: bool
    beats: float
    bpm: float | None


class MidiClockDecoder:
    """24 pulses per quarter note; tempo is the median pulse interval over the last beat or
    two, so one late pulse does not make the tempo jump."""

    PPQN = 24

    def __init__(self) -> None:
        self._ticks = 0
        self._playing = False
        self._times: deque[float] = deque(maxlen=49)

    def clock(self, at: float) -> None:
        self._times.append(at)
        if self._playing:
            self._ticks += 1

    def start(self) -> None:
        self._ticks, self._playing = 0, True

    def stop(self) -> None:
        self._playing = False

    def resume(self) -> None:
        self._playing = True

    def song_position(self, sixteenths: int) -> None:
        """Song position pointer: MIDI beats (sixteenth notes) since the song start."""
        self._ticks = max(0, sixteenths) * (self.PPQN // 4)

    def state(self) -> BeatClock:
        return BeatClock(self._playing, self._ticks / self.PPQN, self.bpm)

    @property
    def bpm(self) -> float | None:
        if len(self._times) < 7:
            return None
        times = list(self._times)
        gaps = sorted(b - a for a, b in itertools.pairwise(times))
        gap = gaps[len(gaps) // 2]
        return 60.0 / (gap * self.PPQN) if gap > 0 else None
