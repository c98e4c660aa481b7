"""Live state, pure, with one owner: the picked scene and its fade, parameter values, tempo
and beat overrides, the latency offset and transport requests, steered only by events (see
events.py for what arrives). Each frame reads a `LiveView` of it; a reloaded show is
reconciled into it rather than replacing it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from livesync.control.events import (
    ControlEvent,
    PickSong,
    SelectScene,
    SetOffset,
    SetParam,
    SetParamNormalized,
    Transport,
)
from livesync.lipsync.live_voice import HeardVoice
from livesync.values import LONGEST_SONG, MAX_OFFSET_MS


@dataclass(frozen=True)
class ParamSpec:
    """A show parameter: its range, resting value, response curve and smoothing time."""

    name: str
    minimum: float = 0.0
    maximum: float = 1.0
    default: float = 0.0
    curve: str = "linear"  # linear, exp (fine control at the bottom), log
    smoothing: float = 0.05  # seconds for a change to get ~63% of the way

    def from_position(self, position: float) -> float:
        p = min(1.0, max(0.0, position))
        if self.curve == "exp":
            p = p * p
        elif self.curve == "log":
            p = math.sqrt(p)
        return self.minimum + (self.maximum - self.minimum) * p

    def to_position(self, value: float) -> float:
        span = self.maximum - self.minimum
        p = 0.0 if span == 0 else min(1.0, max(0.0, (value - self.minimum) / span))
        if self.curve == "exp":
            return math.sqrt(p)
        if self.curve == "log":
            return p * p
        return p

    def clamp(self, value: float) -> float:
        lo, hi = sorted((self.minimum, self.maximum))
        return min(hi, max(lo, value))


@dataclass(frozen=True, slots=True)
class ScenePick:
    """A scene picked live (key, OSC, MIDI): shown from song time `at`, faded in over `fade`
    seconds, until the cue sheet's next cue."""

    scene: int
    at: float
    fade: float = 0.0


@dataclass(frozen=True)
class LiveView:
    """What the live state contributes to one frame."""

    pick: ScenePick | None = None
    params: Mapping[str, float] = field(default_factory=dict)  # set live: win over scenes
    bpm: float | None = None  # a tempo that wins over the show's
    beat: tuple[float, float, float] | None = None  # (bpm, beat phase, bar phase) from Link
    voice: HeardVoice | None = None  # the live singer's mouth (play --live-vocal)


NO_LIVE = LiveView()


@dataclass
class Applied:
    """The outcome of one event: a line for the performer's console, or why it was dropped."""

    message: str
    ok: bool = True


@dataclass
class ControlState:
    """Scene, parameter values (smoothed), tempo and transport requests, steered by events."""

    scenes: tuple[str, ...]
    params: dict[str, ParamSpec] = field(default_factory=dict)
    cues: dict[str, str] = field(default_factory=dict)  # cue name -> scene name
    takeover: float = 0.04  # soft-takeover pick-up window
    pick: ScenePick | None = None
    scene_changed: bool = False
    bpm: float | None = None
    beat: tuple[float, float, float] | None = None
    offset_ms: float | None = None
    transport: list[Transport] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    # Parameters an event has set: only these override the scenes' own values on screen.
    touched: set[str] = field(default_factory=set)
    _knobs: dict[str, float] = field(default_factory=dict)  # control -> last position
    _armed: set[str] = field(default_factory=set)  # controls that picked up

    def __post_init__(self) -> None:
        for spec in self.params.values():
            self.targets.setdefault(spec.name, spec.default)
            self.values.setdefault(spec.name, spec.default)

    @property
    def scene(self) -> int:
        """The scene picked last (the first before any pick), for controller feedback."""
        return self.pick.scene if self.pick is not None else 0

    def view(self) -> LiveView:
        live = {name: self.values[name] for name in self.touched}
        return LiveView(self.pick, live, self.bpm, self.beat)

    def reconcile(
        self, scenes: tuple[str, ...], params: dict[str, ParamSpec], cues: dict[str, str]
    ) -> list[str]:
        """Adopt a reloaded show's scenes, parameters and cues, keeping what still applies:
        a picked scene follows its name (or, gone, gives way to the cue sheet), parameter
        values stay where they were, vanished ones are dropped and new ones start at their
        defaults. Returns a line for each thing the performer lost."""
        lost = []
        if self.pick is not None:
            name = self.scenes[self.pick.scene]
            if name in scenes:
                self.pick = ScenePick(scenes.index(name), self.pick.at, self.pick.fade)
            else:
                lost.append(f"picked scene {name!r} is gone; the cue sheet decides")
                self.pick = None
                self.scene_changed = True
        for name in self.params.keys() - params.keys():
            lost.append(f"parameter {name!r} is gone")
            self.targets.pop(name, None)
            self.values.pop(name, None)
            self.touched.discard(name)
        self.scenes, self.params, self.cues = scenes, dict(params), dict(cues)
        for spec in self.params.values():
            self.targets[spec.name] = spec.clamp(self.targets.get(spec.name, spec.default))
            self.values[spec.name] = spec.clamp(self.values.get(spec.name, spec.default))
        self._knobs.clear()
        self._armed.clear()
        return lost

    def param(self, name: str) -> ParamSpec | None:
        """A parameter by name, or "$n" for the show's n-th parameter (controller presets
        cannot know a show's names, so they address parameters by position)."""
        if name.startswith("$") and name[1:].isdigit():
            index = int(name[1:]) - 1
            names = list(self.params)
            return self.params[names[index]] if 0 <= index < len(names) else None
        return self.params.get(name)

    def apply(self, event: ControlEvent, at: float = 0.0) -> Applied:
        """Apply one event; `at` is the song time it takes effect (where a pick starts)."""
        if isinstance(event, SelectScene):
            return self._select(event.scene, event.source, at, event.fade)
        if isinstance(event, SetParam):
            spec = self.param(event.name)
            if spec is None or not math.isfinite(event.value):
                return Applied(f"unknown parameter or bad value: {event.name}", ok=False)
            self.targets[spec.name] = spec.clamp(event.value)
            self.touched.add(spec.name)
            self._armed = {c for c in self._armed if not c.endswith(f"->{spec.name}")}
            return Applied(f"param {spec.name} -> {self.targets[spec.name]:.3g} ({event.source})")
        if isinstance(event, SetParamNormalized):
            return self._knob(event)
        if isinstance(event, Transport):
            if event.action not in ("play", "pause", "stop", "seek") or (
                event.action == "seek"
                and (event.position is None or not 0.0 <= event.position <= LONGEST_SONG)
            ):
                return Applied(f"bad transport request {event.action}", ok=False)
            self.transport.append(event)
            where = f" {event.position:.3f} s" if event.action == "seek" else ""
            return Applied(f"transport {event.action}{where} ({event.source})")
        if isinstance(event, SetOffset):
            if not math.isfinite(event.ms) or abs(event.ms) > MAX_OFFSET_MS:
                return Applied(f"offset out of range (±{MAX_OFFSET_MS:.0f} ms)", ok=False)
            self.offset_ms = event.ms
            return Applied(f"offset -> {event.ms:.0f} ms ({event.source})")
        if isinstance(event, PickSong):
            return Applied(f"no set list playing: song pick dropped ({event.source})", ok=False)
        if event.name not in self.cues:
            return Applied(f"unknown cue {event.name!r}", ok=False)
        return self._select(self.cues[event.name], f"{event.source}, cue {event.name}", at)

    def _select(self, scene: str | int, source: str, at: float, fade: float = 0.0) -> Applied:
        if isinstance(scene, int) and not isinstance(scene, bool):
            index = scene if 0 <= scene < len(self.scenes) else None
        else:
            index = self.scenes.index(scene) if scene in self.scenes else None
        if index is None:
            return Applied(f"unknown scene {scene!r}", ok=False)
        if not math.isfinite(fade) or fade < 0:
            fade = 0.0
        self.pick, self.scene_changed = ScenePick(index, at, fade), True
        # After a scene change the knobs no longer match what is on screen: re-arm takeover.
        self._armed.clear()
        return Applied(f"scene -> {self.scenes[index]} ({source})")

    def _knob(self, event: SetParamNormalized) -> Applied:
        """Soft takeover: a knob takes over a parameter only once it reaches (or crosses) the
        parameter's current position, so nothing jumps when a scene or another source moved
        the value away from where the knob was left."""
        spec = self.param(event.name)
        if spec is None or not math.isfinite(event.position):
            return Applied(f"unknown parameter or bad value: {event.name}", ok=False)
        key = f"{event.control or event.source}->{spec.name}"
        here = spec.to_position(self.targets[spec.name])
        last = self._knobs.get(key)
        self._knobs[key] = event.position
        if key not in self._armed:
            crossed = last is not None and (last - here) * (event.position - here) <= 0
            if abs(event.position - here) > self.takeover and not crossed:
                return Applied(
                    f"param {spec.name}: waiting for the control to reach "
                    f"{here:.2f} (soft takeover)",
                    ok=False,
                )
            self._armed.add(key)
        self.targets[spec.name] = spec.from_position(event.position)
        self.touched.add(spec.name)
        return Applied(f"param {spec.name} -> {self.targets[spec.name]:.3g} ({event.source})")

    def step(self, dt: float) -> None:
        """Move each value toward its target (first-order smoothing over `smoothing` s)."""
        for name, target in self.targets.items():
            tau = self.params[name].smoothing
            current = self.values[name]
            k = 1.0 if tau <= 0 else 1.0 - math.exp(-max(0.0, dt) / tau)
            self.values[name] = current + (target - current) * k

    def take_transport(self) -> list[Transport]:
        requests, self.transport = self.transport, []
        return requests
