"""The OSC address space, pure: (address, arguments) in, a control event or sync report out.

livesync's own addresses live under /livesync/ (documented in docs/control.md). DAW presets
turn what a DAW really sends into `SyncReport`s for the follow clock. Anything else, or the
right address with the wrong arguments, is `None`: the server counts it and drops it.
OSC can only select scenes and parameters the show defines (ControlState checks names), never
paths or code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from livesync.control.events import (
    ControlEvent,
    PickSong,
    SelectScene,
    SetOffset,
    SetParam,
    Transport,
    TriggerCue,
)
from livesync.values import LONGEST_SONG, finite_or_none

PREFIX = "/livesync"
DAW_PRESETS = ("reaper", "ableton", "bitwig")
# What arrives from outside is bounded before it reaches a clock: a song position is 0 to
# LONGEST_SONG, a tempo one a musician plays (5e-324 bpm makes every beat position infinite).
TEMPO_RANGE = (10.0, 1000.0)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What the DAW says about its transport; None fields were not in this message."""

    source: str
    song_time: float | None = None
    playing: bool | None = None
    bpm: float | None = None


Routed = ControlEvent | SyncReport


def _number(args: Sequence[Any]) -> float | None:
    return finite_or_none(args[0]) if len(args) == 1 else None


def _song_time(args: Sequence[Any]) -> float | None:
    """A position in seconds from 0 to LONGEST_SONG, else None (dropped)."""
    value = _number(args)
    return value if value is not None and 0.0 <= value <= LONGEST_SONG else None


def _tempo(args: Sequence[Any]) -> float | None:
    value = _number(args)
    low, high = TEMPO_RANGE
    return value if value is not None and low <= value <= high else None


def _flag(args: Sequence[Any]) -> bool | None:
    if len(args) != 1 or not isinstance(args[0], (int, float, bool)):
        return None
    return bool(args[0])


def _song_pick(path: str, args: Sequence[Any], source: str) -> PickSong | None:
    """/livesync/next (no arguments), /livesync/song NAME or INDEX (0 is the first)."""
    if path == "/next":
        return PickSong(None, source) if not args else None
    if len(args) != 1:
        return None
    song = args[0]
    if isinstance(song, str) and song.strip():
        return PickSong(song, source)
    if isinstance(song, int) and not isinstance(song, bool) and song >= 0:
        return PickSong(song, source)
    return None


class OscRouter:
    def __init__(self, daw: str | None = None) -> None:
        if daw is not None and daw not in DAW_PRESETS:
            raise ValueError(f"unknown DAW preset {daw!r} (known: {', '.join(DAW_PRESETS)})")
        self.daw = daw
        self._bpm: float | None = None  # AbletonOSC reports song time in beats

    def subscriptions(self) -> list[tuple[str, list[Any]]]:
        """Messages to send to the DAW at start so it starts reporting (AbletonOSC)."""
        if self.daw != "ableton":
            return []
        return [
            (f"/live/song/start_listen/{name}", [])
            for name in ("tempo", "is_playing", "current_song_time")
        ] + [("/live/song/get/tempo", []), ("/live/song/get/is_playing", [])]

    def route(self, address: str, args: Sequence[Any]) -> Routed | None:
        if address.startswith(PREFIX + "/"):
            return self._own(address[len(PREFIX) :], args)
        if self.daw == "reaper":
            return self._reaper(address, args)
        if self.daw == "ableton":
            return self._ableton(address, args)
        if self.daw == "bitwig":
            return self._bitwig(address, args)
        return None

    def _own(self, path: str, args: Sequence[Any]) -> ControlEvent | None:
        source = f"osc {PREFIX}{path}"
        if path == "/scene" and len(args) == 1:
            scene = args[0]
            if isinstance(scene, str):
                return SelectScene(scene, source)
            if (
                isinstance(scene, (int, float))
                and not isinstance(scene, bool)
                and float(scene).is_integer()
            ):
                return SelectScene(int(scene), source)
            return None
        if path.startswith("/param/") and len(path) > len("/param/"):
            value = _number(args)
            return None if value is None else SetParam(path[len("/param/") :], value, source)
        if path in ("/transport/play", "/transport/pause", "/transport/stop"):
            return Transport(path.rsplit("/", 1)[1], source)
        if path == "/transport/seek":
            value = _song_time(args)
            return None if value is None else Transport("seek", source, value)
        if path == "/offset":
            value = _number(args)
            return None if value is None else SetOffset(value, source)
        if path == "/cue" and len(args) == 1 and isinstance(args[0], str):
            return TriggerCue(args[0], source)
        if path in ("/next", "/song"):
            return _song_pick(path, args, source)
        return None

    def _reaper(self, address: str, args: Sequence[Any]) -> SyncReport | None:
        """Reaper's Default.ReaperOSC pattern: /time seconds, /play and /stop flags,
        /tempo/raw beats per minute."""
        if address == "/time":
            value = _song_time(args)
            return None if value is None else SyncReport("reaper /time", song_time=value)
        if address == "/play":
            flag = _flag(args)
            return None if flag is None else SyncReport("reaper /play", playing=flag)
        if address == "/stop":
            flag = _flag(args)
            return None if flag is None or not flag else SyncReport("reaper /stop", playing=False)
        if address == "/tempo/raw":
            value = _tempo(args)
            return None if value is None else SyncReport("reaper /tempo/raw", bpm=value)
        return None

    def _ableton(self, address: str, args: Sequence[Any]) -> SyncReport | None:
        """AbletonOSC listeners: current_song_time arrives in beats, so it needs the tempo
        (assumed constant between tempo reports, as in a song without tempo automation)."""
        if address == "/live/song/get/tempo":
            value = _tempo(args)
            if value is None:
                return None
            self._bpm = value
            return SyncReport("ableton tempo", bpm=value)
        if address == "/live/song/get/is_playing":
            flag = _flag(args)
            return None if flag is None else SyncReport("ableton is_playing", playing=flag)
        if address == "/live/song/get/current_song_time":
            beats = _number(args)
            if beats is None or self._bpm is None:
                return None
            seconds = _song_time([beats * 60.0 / self._bpm])
            return (
                None
                if seconds is None
                else SyncReport("ableton current_song_time", song_time=seconds)
            )
        return None

    def _bitwig(self, address: str, args: Sequence[Any]) -> SyncReport | None:
        """DrivenByMoss sends /play and /tempo/raw; it has no plain seconds position, so
        pair it with MIDI clock/SPP or MTC for the playhead."""
        if address == "/play":
            flag = _flag(args)
            return None if flag is None else SyncReport("bitwig /play", playing=flag)
        if address == "/tempo/raw":
            value = _tempo(args)
            return None if value is None else SyncReport("bitwig /tempo/raw", bpm=value)
        return None
