"""Scenes and cues: which background is on screen at a song time, and how it changes.

A show lists scenes (a background and whether the character is shown) and cues (switch to a
scene at a time, or at a bar once the tempo is known, with a cut or a crossfade). Everything
here is pure and decided from the time alone, so an offline render switches scenes at exactly
the frames the live show does; a scene picked by hand (number keys, later MIDI/OSC) is just one
more cue, placed at the moment it was picked.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from livesync.show.channels import Source
from livesync.show.render_scale import RenderScale


@dataclass(frozen=True)
class Scene:
    """A background, post effects drawn over it (in order), parameter values for its shaders,
    and whether the character is shown."""

    name: str
    background: Path
    character: bool = True
    effects: tuple[Path, ...] = ()
    params: Mapping[str, float] = field(default_factory=dict)
    # Mouth colours for this scene (lip, inner, teeth, tongue, outline), over the character's.
    mouth_colors: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    # The scene's own render scale (livesync.show.render_scale), over the output's.
    render_scale: RenderScale = None
    # An ISF transition (startImage, endImage, progress) for changes to this scene that do not
    # name their own: a live pick, a cue without one. None: the plain crossfade.
    transition: Path | None = None
    # Pictures for the image inputs of its shaders, by input name (livesync.show.channels):
    # Shadertoy's iChannel0-3, an ISF file's own image inputs; files, or drawn each frame.
    channels: Mapping[str, Source] = field(default_factory=dict)
    # Shadertoy multipass (livesync.show.buffers): Buffer A-D files in drawing order, the
    # Common tab's file, and each buffer's channels. The background is the Image tab.
    buffers: Mapping[str, Path] = field(default_factory=dict)
    common: Path | None = None
    buffer_channels: Mapping[str, Mapping[str, Source]] = field(default_factory=dict)

    @property
    def multipass(self) -> bool:
        """Whether the background is drawn with buffers or a Common tab."""
        return bool(self.buffers) or self.common is not None


def background_files(scene: Scene) -> tuple[Path, ...]:
    """Every shader file the scene's background is made of: the Image tab, the Common tab
    and the buffers (saving any of them recompiles the background)."""
    common = () if scene.common is None else (scene.common,)
    return (scene.background, *common, *scene.buffers.values())


def all_channels(scene: Scene) -> dict[str, Source]:
    """The scene's channels and its buffers' channels in one table: a buffer's are named
    "A:iChannel0" (no shader input can have that name), so the renderer loads and draws
    them as it does the Image tab's."""
    out = dict(scene.channels)
    for letter, table in scene.buffer_channels.items():
        out.update({f"{letter}:{name}": source for name, source in table.items()})
    return out


@dataclass(frozen=True, slots=True)
class SceneCue:
    """Switch to scene `scene` (an index into the show's scenes) at `at` seconds, fading over
    `fade` seconds (0 is a cut)."""

    at: float
    scene: int
    fade: float = 0.0
    name: str = ""  # for /livesync/cue NAME
    transition: Path | None = None  # this change's ISF transition, over the scene's own


@dataclass(frozen=True, slots=True)
class SceneMix:
    """What the renderer draws: `current` over `previous` with weight `mix` (1 = only current),
    through the cue's `transition` if it names one (else the current scene's, else a plain
    crossfade; the renderer decides, as it knows the scenes)."""

    current: int
    previous: int | None = None
    mix: float = 1.0
    transition: Path | None = None


@dataclass(frozen=True)
class Tempo:
    """Enough of the song's grid to place cues on bars: beats per minute, where bar 1 starts
    (seconds) and beats per bar."""

    bpm: float
    downbeat: float = 0.0
    beats_per_bar: int = 4

    def beats(self, n: float) -> float:
        return n * 60.0 / self.bpm

    def bar_start(self, bar: float) -> float:
        """Time of bar `bar` (1-based; 2.5 is halfway through bar 2)."""
        return self.downbeat + self.beats((bar - 1) * self.beats_per_bar)


class CueSheet:
    """The scene at any time: the last cue at or before t, fading from the one before it."""

    def __init__(self, cues: Sequence[SceneCue], first_scene: int = 0) -> None:
        self.cues = sorted(cues, key=lambda c: c.at)
        self._times = [c.at for c in self.cues]
        self.first_scene = first_scene

    def at(self, t: float, manual: SceneCue | None = None) -> SceneMix:
        """The mix at time t; a hand-picked `manual` cue wins until a later cue comes."""
        i = bisect.bisect_right(self._times, t) - 1
        cue = self.cues[i] if i >= 0 else None
        before = self.cues[i - 1].scene if i >= 1 else self.first_scene
        if manual is not None and manual.at <= t and (cue is None or manual.at >= cue.at):
            before = cue.scene if cue is not None else self.first_scene
            cue = manual
        if cue is None:
            return SceneMix(self.first_scene)
        if cue.fade <= 0 or t >= cue.at + cue.fade or before == cue.scene:
            return SceneMix(cue.scene)
        u = (t - cue.at) / cue.fade
        return SceneMix(cue.scene, before, u * u * (3.0 - 2.0 * u), cue.transition)
