"""Edge wiring for a live show: OSC and MIDI inputs, the control state, DAW sync, feedback.

`LiveControl.update()` runs once per frame, before the frame's state is built: it drains the
event queue into the pure ControlState, logs each applied action as one INFO line (what a
performer watches in the console), applies scene changes, transport requests and the
latency offset, feeds DAW reports to the follow clock, and steps parameter smoothing. An
event that arrived before the frame started is therefore visible in that frame.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from livesync.app.logs import Throttle
from livesync.audio.decode import Audio
from livesync.control.events import EventQueue, PickSong
from livesync.control.osc_map import OscRouter, SyncReport
from livesync.control.state import ControlState, LiveView, ParamSpec
from livesync.devices.audio_out import AudioPlayer
from livesync.devices.link import LinkSource
from livesync.devices.midi_ports import MidiInput, MidoBackend
from livesync.devices.osc_socket import OscFeedback, OscInput
from livesync.devices.performer_window import PerformerWindow
from livesync.devices.voice_input import VoiceInput
from livesync.errors import DeviceError
from livesync.render.window import Window
from livesync.show.character_life import idle_param_specs
from livesync.show.show_file import PerformerScreen, Show
from livesync.sync.clock import Clock, OffsetClock, WallClock
from livesync.sync.follow import FollowClock

log = logging.getLogger("livesync")
ShaderParams = dict[str, tuple[float, float, float]]  # name -> (min, max, default)
FEEDBACK_SECONDS = 0.1
MTC_TIMEOUT = 1.0  # seconds without timecode before a followed clock stops


@dataclass
class Inputs:
    """The running I/O pieces; any may be missing (disabled, port busy, no MIDI)."""

    osc: OscInput | None = None
    midi: MidiInput | None = None
    feedback: OscFeedback | None = None
    voice: VoiceInput | None = None  # the live singer (play --live-vocal)


class LiveControl:
    """Owns the live state (a ControlState) and everything that steers it."""

    def __init__(
        self, show: Show, state: ControlState, queue: EventQueue, wall: Callable[[], float]
    ) -> None:
        self.show, self.state, self.queue = show, state, queue
        self.wall = wall
        self.inputs = Inputs()
        self.follow: FollowClock | None = None
        self.link: LinkSource | None = None
        self.offset: OffsetClock | None = None
        self.osc_sync: deque[tuple[SyncReport, float]] = deque(maxlen=1024)
        # Song picks for a set list (livesync.app.set_player takes them; a show alone has
        # no other song, and they are dropped with a line in its log)
        self.song_requests: deque[PickSong] = deque(maxlen=16)
        self.notes: list[str] = []  # HUD lines of the set player's
        self._daw_playing = True
        self._last_feedback = -1e9
        self._last_timecode: float | None = None
        self._previous_wall: float | None = None
        self._lines = Throttle()

    def view(self) -> LiveView:
        """The live state's part of this frame, with the live singer's mouth if there is one."""
        view = self.state.view()
        if self.inputs.voice is None:
            return view
        return replace(view, voice=self.inputs.voice.heard(self.wall()))

    def play_part(self, show: Show, shader_params: ShaderParams, clock: Clock) -> Clock:
        """A set list's next song or interlude: its show adopted (scenes, parameters, cues)
        and its clock, behind the show's latency offset, the one the frames follow. The
        ports, the inputs and the live parameter values stay."""
        self.adopt(show, shader_params, expected=True)
        self.offset = OffsetClock(clock, show.output.offset_ms / 1000.0)
        return self.offset

    def status_lines(self, frame_period: float) -> list[str]:
        """For the HUD: the set list's notes (which song, what is next, what was skipped)
        and what the live inputs add, such as the live vocal's latency from sound in to
        mouth on screen (the input's buffer, the analyser's delay and, at most, one frame;
        the display's own lag comes on top)."""
        voice = self.inputs.voice
        if voice is None:
            return list(self.notes)
        heard = voice.heard(self.wall())
        if heard is None:
            return [*self.notes, f"live vocal: {voice.name}: no sound arriving"]
        parts = (voice.buffer_seconds, heard.latency - voice.buffer_seconds, frame_period)
        total = sum(parts) * 1000
        return [
            *self.notes,
            f"live vocal: {'singing' if heard.singing else 'quiet'}   latency in "
            f"{parts[0] * 1000:.0f} + analysis {parts[1] * 1000:.0f} + frame "
            f"{parts[2] * 1000:.0f} = {total:.0f} ms   overflows {voice.overflows}",
        ]

    def adopt(self, show: Show, shader_params: ShaderParams, expected: bool = False) -> None:
        """A reloaded show: its scenes, parameters and cues, with the live state reconciled
        (see ControlState.reconcile). Ports and sync stay as they were opened. What the
        performer loses is a warning, unless `expected` (a set list's next song has other
        scenes and parameters by nature: a debug line)."""
        level = logging.DEBUG if expected else logging.WARNING
        for line in self.state.reconcile(*_control_model(show, shader_params)):
            log.log(level, "%s: %s", show.path or "show", line)
        self.show = show

    def on_osc_sync(self, report: SyncReport) -> None:
        """Called on the OSC thread: stamp the arrival time, hand over to the main loop."""
        self.osc_sync.append((report, self.wall()))

    def update(self, clock: Clock) -> None:
        now = self.wall()
        dt = 0.0 if self._previous_wall is None else now - self._previous_wall
        self._previous_wall = now
        midi = self.inputs.midi
        song_time = clock.now()
        flood = self._lines.summary(now)  # the last second's count, before new lines
        if flood is not None:
            log.info("%s", flood)
        for event in self.queue.drain():
            if isinstance(event, PickSong):  # the set player's, not the live state's
                self.song_requests.append(event)
                continue
            applied = self.state.apply(event, song_time)
            if not applied.ok:
                log.debug("dropped: %s", applied.message)
            elif self._lines.allow(now):
                log.info("%s", applied.message)
        if self.state.scene_changed:
            self.state.scene_changed = False
            if midi is not None:
                midi.show_scene(self.state.scenes, self.state.scene)
        for request in self.state.take_transport():
            self._transport(clock, request.action, request.position)
        if self.state.offset_ms is not None and self.offset is not None:
            self.offset.offset = self.state.offset_ms / 1000.0
        self.state.step(dt)
        self._sync(now)
        if self.link is not None:
            s = self.link.state()
            self.state.beat = (s.bpm, s.beat % 1.0, (s.phase % s.quantum) / s.quantum)
        self._feedback(clock, now)

    def _transport(self, clock: Clock, action: str, position: float | None) -> None:
        if action == "play":
            clock.resume()
        elif action == "pause":
            clock.pause()
        elif action == "stop":
            clock.pause()
            clock.seek(0.0)
        elif action == "seek" and position is not None:
            clock.seek(position)

    def _sync(self, now: float) -> None:
        follow = self.follow
        if follow is None:
            return
        while self.osc_sync:
            report, at = self.osc_sync.popleft()
            if report.playing is not None:
                self._daw_playing = report.playing
                if not report.playing:
                    follow.report(follow.now(), playing=False, at=at)
            if report.song_time is not None:
                follow.report(report.song_time, playing=self._daw_playing, at=at)
        midi = self.inputs.midi
        if midi is not None:
            while midi.sync_reports:
                kind, song_time, at = midi.sync_reports.popleft()
                if kind == "mtc" and song_time is not None:
                    follow.report(song_time, at=at)
                    self._last_timecode = at
                elif kind == "stop":
                    follow.report(follow.now(), playing=False, at=at)
            if (
                self._last_timecode is not None
                and now - self._last_timecode > MTC_TIMEOUT
                and follow.playing
            ):
                follow.report(follow.now(), playing=False, at=now)
                self._last_timecode = None
            if self.show.control.sync.source == "clock":
                self._follow_beats(follow, midi, now)

    def _follow_beats(self, follow: FollowClock, midi: MidiInput, now: float) -> None:
        """MIDI clock: song time from the beat count at the clock's tempo (a song without
        tempo changes), and the tempo for the beat-phase uniforms."""
        beat = midi.clock.state()
        if beat.bpm is None:
            return
        if self.state.bpm is None or abs(self.state.bpm - beat.bpm) > 0.05:
            self.state.bpm = beat.bpm
        song_time = beat.beats * 60.0 / beat.bpm
        if beat.playing:
            follow.report(song_time, at=now)
        elif follow.playing:
            follow.report(song_time, playing=False, at=now)

    def _feedback(self, clock: Clock, now: float) -> None:
        feedback = self.inputs.feedback
        if feedback is None or now - self._last_feedback < FEEDBACK_SECONDS:
            return
        self._last_feedback = now
        feedback.send("/livesync/state/time", float(clock.now()))
        feedback.send("/livesync/state/scene", self.state.scenes[self.state.scene])
        for name, value in self.state.values.items():
            feedback.send(f"/livesync/state/param/{name}", float(value))

    def close(self) -> None:
        for closer in (self.inputs.osc, self.inputs.midi, self.inputs.voice, self.link):
            if closer is not None:
                closer.close()


def _control_model(
    show: Show, shader_params: ShaderParams
) -> tuple[tuple[str, ...], dict[str, ParamSpec], dict[str, str]]:
    """Scene names, parameters (the show's, plus every shader input it does not name
    itself) and named cues, as the control state knows them."""
    scenes = tuple(s.name for s in show.scenes)
    params = {p.name: p for p in show.control.params}
    for name, (lo, hi, default) in shader_params.items():
        params.setdefault(name, ParamSpec(name, lo, hi, default))
    # Last, so a controller preset's "$n" knobs still reach the show's and shaders' first.
    for spec in idle_param_specs(show.life.idle):
        params.setdefault(spec.name, spec)
    cues = {c.name: scenes[c.scene] for c in show.cues if c.name}
    return scenes, params, cues


def control_state(show: Show, shader_params: ShaderParams) -> ControlState:
    scenes, params, cues = _control_model(show, shader_params)
    return ControlState(scenes=scenes, params=params, cues=cues)


def quiet(show: Show, shader_params: ShaderParams, wall: Callable[[], float]) -> LiveControl:
    """Live control with no OSC, MIDI or sync: keys only (benchmarks, scripts)."""
    return LiveControl(show, control_state(show, shader_params), EventQueue(), wall)


@dataclass
class Overrides:
    """Command-line settings that win over the show file."""

    osc_host: str | None = None
    osc_port: int | None = None
    silent: bool = False
    live_vocal: bool = False
    vocal_input: int | str | None = None  # None: the default input


def open_player(show: Show, audio: Audio, silent: bool) -> AudioPlayer | None:
    """The sound card's output, paused, for a show that plays its own track; None when the
    DAW plays it or the show is silent or on the wall clock. Opened before the window, so a
    missing sound card is one DeviceError (the message names the fix and --silent) before
    any window flashes up on the projector."""
    if show.control.sync.source in ("osc", "mtc", "clock", "wall") or silent:
        return None
    return AudioPlayer(audio)


def start(
    show: Show,
    shader_params: ShaderParams,
    player: AudioPlayer | None,
    overrides: Overrides,
    wall: Callable[[], float],
) -> tuple[LiveControl, Clock]:
    """Open what the show asks for and pick the clock: the control wiring and the clock the
    frames follow. A busy OSC port or a missing MIDI controller is logged and the show goes
    on without it; a live-vocal input that cannot be opened is a DeviceError (asked for by
    name on the command line, it is worth stopping for before the show starts)."""
    live = LiveControl(show, control_state(show, shader_params), EventQueue(), wall)
    clock = _pick_clock(live, player)
    live.offset = OffsetClock(clock, show.output.offset_ms / 1000.0)
    if overrides.live_vocal:
        live.inputs.voice = VoiceInput(overrides.vocal_input, wall)
    _open_osc(live, overrides)
    _open_link(live)
    _open_midi(live)
    return live, live.offset


def _pick_clock(live: LiveControl, player: AudioPlayer | None) -> Clock:
    """The DAW's time when it plays the track, else the sound card's, else the wall's."""
    sync = live.show.control.sync
    if sync.source in ("osc", "mtc", "clock"):
        live.follow = FollowClock(live.wall)
        log.info("following the DAW (%s): the DAW plays the track", sync.daw or sync.source)
        return live.follow
    return player if player is not None else WallClock(live.wall)


def _open_osc(live: LiveControl, overrides: Overrides) -> None:
    settings = live.show.control
    osc, sync = settings.osc, settings.sync
    if osc.enabled:
        router = OscRouter(sync.daw if sync.source == "osc" else None)
        try:
            live.inputs.osc = OscInput(
                live.queue,
                router,
                overrides.osc_host or osc.host,
                overrides.osc_port if overrides.osc_port is not None else osc.port,
                osc.allow,
                on_sync=live.on_osc_sync,
            )
        except DeviceError as exc:
            log.warning("%s; the show goes on without OSC", exc)
        if router.subscriptions():
            daw = OscFeedback(*sync.daw_address)
            for address, args in router.subscriptions():
                daw.send(address, *args)
    if osc.feedback is not None:
        live.inputs.feedback = OscFeedback(*osc.feedback)


def _open_link(live: LiveControl) -> None:
    if not live.show.control.sync.link:
        return
    tempo = live.show.tempo
    try:
        live.link = LinkSource(quantum=float(tempo.beats_per_bar if tempo else 4))
        log.info("joined Ableton Link (tempo and beat phase)")
    except DeviceError as exc:
        log.warning("%s; the show goes on without Link", exc)


def _open_midi(live: LiveControl) -> None:
    midi, source = live.show.control.midi, live.show.control.sync.source
    if midi.port is None and source not in ("mtc", "clock"):
        return
    try:
        live.inputs.midi = MidiInput(
            MidoBackend(),
            midi.sync_port or midi.port or "",
            midi.mapping,
            live.queue,
            live.wall,
            sync=source in ("mtc", "clock"),
        )
        live.inputs.midi.watch()
    except Exception as exc:  # no ALSA sequencer, no JACK, no rtmidi
        log.warning("MIDI is not available (%s); the show goes on without it", exc)


def open_performer_window(window: Window, screen: PerformerScreen | None) -> PerformerWindow | None:
    """The performer's screen the show asks for ([output.performer]), or None; one that
    cannot open is a warning, and the projector's window plays on alone."""
    if screen is None:
        return None
    try:
        return PerformerWindow(window.ctx, screen.size, screen.display, screen.fullscreen)
    except DeviceError as exc:
        log.warning("%s; the show goes on without the performer's screen", exc)
        return None
