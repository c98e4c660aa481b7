"""A set list's interlude, and what the whole set shares with its first song.

The interlude is visuals only, on the wall clock, as a show of one scene with no song and no
character. Its show carries the settings opened once for the whole set (OSC, MIDI, DAW sync):
the first song's, with the set list's own MIDI songs joined in.
"""

from __future__ import annotations

import logging

from livesync.audio.analysis import Heard
from livesync.audio.live_sound import LiveSound
from livesync.devices.input_stream import MonoInput
from livesync.errors import DeviceError
from livesync.frame.performance import Performance
from livesync.lipsync.timeline import Timeline
from livesync.show.control_settings import SyncSettings
from livesync.show.scenes import Tempo
from livesync.show.set_list import SetList
from livesync.show.show_file import Show
from livesync.values import LONGEST_SONG

log = logging.getLogger("livesync")

DAW_SOURCES = ("osc", "mtc", "clock")


def follows_daw(set_list: SetList, first: Show | None) -> bool:
    """The whole set is one DAW project when the first song's show follows a DAW and every
    song says where it starts in it (`daw_start`)."""
    if first is None or first.control.sync.source not in DAW_SOURCES:
        return False
    missing = [s.name for s in set_list.songs if s.daw_start is None]
    if missing:
        log.warning(
            "%s: following the DAW needs daw_start on every song (missing: %s); the set "
            "plays song by song on its own tracks",
            set_list.path,
            ", ".join(missing),
        )
        return False
    return True


def interlude_show(set_list: SetList, like: Show | None, daw: bool = False) -> Show:
    """The interlude as a show of one scene: no song, no character; the output settings of
    the set's first song (window size, offset) where there is one. Its control settings
    (OSC, MIDI and, with `daw`, the DAW sync) are the first song's: they are opened once for
    the whole set."""
    from dataclasses import replace

    base = Show(set_list.path, set_list.path, (set_list.interlude,), path=None)
    control = like.control if like is not None else base.control
    if not daw:  # each song plays its own track (or the wall clock), whatever its [sync]
        control = replace(control, sync=SyncSettings(link=control.sync.link))
    # The set's MIDI songs join the first song's mapping (on the set's port, if it names one);
    # the set's program changes pick songs, not scenes.
    wanted = set_list.midi
    mapping = replace(
        control.midi.mapping,
        songs=wanted.songs,
        song_programs=wanted.program_changes,
        program_changes=control.midi.mapping.program_changes and not wanted.program_changes,
    )
    port = wanted.port or control.midi.port
    if port is None and (wanted.songs or wanted.program_changes):
        log.warning("%s: [midi] songs need a port: set midi.port", set_list.path)
    control = replace(control, midi=replace(control.midi, mapping=mapping, port=port))
    base = replace(base, control=control)
    return base if like is None else replace(base, output=like.output)


def interlude_performance(tempo: Tempo | None = None, heard: Heard | None = None) -> Performance:
    """Visuals only, on the wall clock, for as long as the set waits; with the set list's
    interlude `bpm`, beats on the wall clock from the interlude's start (a tempo from Link or
    MIDI clock wins over it, as in a song); with `heard` (the room, livesync.audio.live_sound)
    its audio inputs hear that, else they are silent."""
    return Performance(
        Timeline((), (), LONGEST_SONG),
        heard,
        duration=LONGEST_SONG,
        scenes=("interlude",),
        tempo=tempo,
    )


def listen_to_room(set_list: SetList) -> tuple[MonoInput, LiveSound] | None:
    """The interlude's ears, if the set list asks for them: an input that cannot be opened
    is one error line and the interlude plays on with silent audio inputs."""
    if not set_list.interlude_listens:
        return None
    try:
        room = MonoInput(set_list.interlude_input, "the interlude")
        heard = LiveSound(room.samplerate)
        room.start(heard.feed)
    except DeviceError as exc:
        log.error("%s; the interlude plays without hearing the room", exc)
        return None
    log.info("interlude: listening to %s (%d Hz)", room.name, room.samplerate)
    return room, heard
