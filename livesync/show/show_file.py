"""Show files (TOML): what plays, what the character looks like, how the output is set up.

A show is read once into frozen dataclasses; every mistake is reported with the file, the key
path and what was expected, because a performer fixing a file an hour before doors needs to
know exactly where to look.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from livesync.errors import InputError, read_user_text
from livesync.resources import data_dir
from livesync.show.character_life import CharacterLife, parse_character_life
from livesync.show.control_settings import ControlSettings, parse_control
from livesync.show.eyes import Eyes, parse_eyes
from livesync.show.mouth_sheet import MouthSheet, parse_mouth
from livesync.show.puppet_style import PuppetStyle, parse_puppet_style
from livesync.show.render_scale import RenderScale, parse_render_scale
from livesync.show.scenes import Scene, SceneCue, Tempo
from livesync.values import colour, finite, whole

DEFAULT_BACKGROUND = "backgrounds/aurora.glsl"
T = TypeVar("T")


@dataclass(frozen=True)
class MouthColors:
    lip: tuple[float, float, float] = (0.78, 0.27, 0.33)
    inner: tuple[float, float, float] = (0.22, 0.03, 0.06)
    teeth: tuple[float, float, float] = (0.97, 0.96, 0.92)
    tongue: tuple[float, float, float] = (0.86, 0.36, 0.42)
    outline: tuple[float, float, float] = (0.25, 0.06, 0.08)


@dataclass(frozen=True)
class Character:
    """Where the picture and its mouth sit. Positions are 0..1 with y pointing down, as in
    image editors, so a user can read the mouth position off their picture."""

    image: Path | None = None
    center: tuple[float, float] = (0.5, 0.5)
    height: float = 0.8
    mouth: tuple[float, float] = (0.5, 0.7)
    mouth_width: float = 0.28
    colors: MouthColors = field(default_factory=MouthColors)
    mouth_sheet: MouthSheet | None = None  # the user's drawn mouths, instead of the vector one
    landmarks: Path | None = None  # a face track: a drawn puppet instead of the picture
    puppet: PuppetStyle = field(default_factory=PuppetStyle)
    eyes: Eyes | None = None  # where the picture's eyes are, for blinks


@dataclass(frozen=True)
class Output:
    size: tuple[int, int] = (1280, 720)
    fps: int = 30
    offset_ms: float = 0.0
    fullscreen: bool = False
    display: int = 0
    render_scale: RenderScale = None  # backgrounds and effects drawn smaller, upscaled


@dataclass(frozen=True)
class Show:
    audio: Path
    timeline: Path
    scenes: tuple[Scene, ...]
    character: Character = field(default_factory=Character)
    output: Output = field(default_factory=Output)
    path: Path | None = None
    cues: tuple[SceneCue, ...] = ()
    tempo: Tempo | None = None
    control: ControlSettings = field(default_factory=ControlSettings)
    vocals: Path | None = None  # the vocal stem: the singing mouth follows its loudness
    life: CharacterLife = field(default_factory=CharacterLife)

    def with_background(self, shader: Path) -> Show:
        """This show reduced to one scene with `shader` (the --background option)."""
        main = Scene("main", shader, render_scale=self.output.render_scale)
        scenes = with_param_defaults((main,), self.control)
        return replace(self, scenes=scenes, cues=())


def with_param_defaults(scenes: tuple[Scene, ...], control: ControlSettings) -> tuple[Scene, ...]:
    """Each scene's parameter values over the show's declared defaults: a `[[params]]`
    default holds in every scene that does not set its own value, in a render as on stage."""
    defaults = {p.name: p.default for p in control.params}
    if not defaults:
        return scenes
    return tuple(replace(s, params={**defaults, **s.params}) for s in scenes)


def single_scene_show(audio: Path, timeline: Path, shader: Path) -> Show:
    return Show(audio, timeline, (Scene("main", shader),))


def load_show(path: Path) -> Show:
    """Parse and check a show file; relative paths are relative to the file's folder."""
    text = read_user_text(path, "show file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None
    return parse_show(data, path)


def parse_show(data: dict[str, Any], path: Path) -> Show:
    r = _Reader(path)
    base = path.parent
    track = r.table(data, "track")
    audio = base / r.get(track, "track.audio", str)
    timeline = base / r.get(track, "track.timeline", str)
    tempo = _tempo(r, track)
    scenes = _scenes(r, data, base)
    cues = _cues(r, data, scenes, tempo)
    character = _character(r, data, base, tuple(s.name for s in scenes))
    out = r.table(data, "output", required=False)
    output = Output(
        size=_size(r, out),
        fps=r.count(out, "output.fps", 30),
        offset_ms=r.number(out, "output.offset_ms", 0.0),
        fullscreen=r.get(out, "output.fullscreen", bool, False),
        display=r.integer(out, "output.display", 0),
        render_scale=parse_render_scale(out.get("render_scale"), "output.render_scale", r.path),
    )
    vocals = r.get(track, "track.vocals", str, "")
    life = parse_character_life(data, path)
    control = parse_control(data, path)
    scenes = tuple(
        s if s.render_scale is not None else replace(s, render_scale=output.render_scale)
        for s in scenes
    )  # a scene's own render scale wins over the output's
    return Show(
        audio,
        timeline,
        with_param_defaults(scenes, control),
        character,
        output,
        path,
        cues,
        tempo,
        control,
        base / vocals if vocals else None,
        life,
    )


def _character(
    r: _Reader, data: dict[str, Any], base: Path, scene_names: tuple[str, ...]
) -> Character:
    ch = r.table(data, "character", required=False)
    image = r.get(ch, "character.image", str, "")
    colors = r.table(ch, "character.colors", required=False)
    # `mouth = [x, y]` places the vector mouth; a [character.mouth] table may also bring
    # the user's own drawings (livesync.show.mouth_sheet).
    mouth = r.get(ch, "character.mouth", (list, dict), [])
    if isinstance(mouth, dict):
        position, sheet = parse_mouth(mouth, r.path, scene_names)
    else:
        position, sheet = r.pair(ch, "character.mouth", (0.5, 0.7)), None
    landmarks = r.get(ch, "character.landmarks", str, "")
    return Character(
        image=base / image if image else None,
        center=r.pair(ch, "character.center", (0.5, 0.5)),
        height=r.positive(ch, "character.height", 0.8),
        mouth=position,
        mouth_width=r.positive(ch, "character.mouth_width", 0.28),
        colors=MouthColors(
            **{
                name: r.color(colors, f"character.colors.{name}", default)
                for name, default in vars(MouthColors()).items()
            }
        ),
        mouth_sheet=sheet,
        landmarks=base / landmarks if landmarks else None,
        puppet=parse_puppet_style(r.table(ch, "character.puppet", required=False), r.path),
        eyes=parse_eyes(r.table(ch, "character.eyes", required=False), r.path),
    )


def _size(r: _Reader, out: dict[str, Any]) -> tuple[int, int]:
    size = r.get(out, "output.size", list, [1280, 720])
    wrong = "output.size: expected [width, height] in pixels, e.g. [1920, 1080]"
    if len(size) != 2:
        raise InputError(r.path, wrong)
    width, height = (whole(v, f"output.size[{i}]", r.path) for i, v in enumerate(size))
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise InputError(r.path, wrong)
    return width, height


def _tempo(r: _Reader, track: dict[str, Any]) -> Tempo | None:
    if "bpm" not in track:
        return None
    bpm = r.positive(track, "track.bpm", 120.0)
    return Tempo(
        bpm,
        r.number(track, "track.downbeat", 0.0),
        r.count(track, "track.beats_per_bar", 4),
    )


def _scenes(r: _Reader, data: dict[str, Any], base: Path) -> tuple[Scene, ...]:
    """[[scenes]] tables, or the single [background] of a simple show."""
    if "scenes" not in data:
        bg = r.table(data, "background", required=False)
        return (
            Scene(
                "main",
                resolve_shader(r.get(bg, "background.shader", str, DEFAULT_BACKGROUND), base),
            ),
        )
    raw = r.get(data, "scenes", list)
    if not raw:
        raise InputError(r.path, "scenes: expected at least one [[scenes]] table")
    scenes: list[Scene] = []
    for i, table in enumerate(raw):
        key = f"scenes[{i}]"
        if not isinstance(table, dict):
            raise InputError(r.path, f"{key}: expected a table")
        name = r.get(table, f"{key}.name", str)
        if any(s.name == name for s in scenes):
            raise InputError(r.path, f"{key}.name: scene {name!r} is defined twice")
        shader = r.get(table, f"{key}.background", str, DEFAULT_BACKGROUND)
        effects = r.get(table, f"{key}.effects", list, [])
        if not all(isinstance(e, str) for e in effects):
            raise InputError(r.path, f"{key}.effects: expected a list of shader files")
        params = {
            pname: finite(value, f"{key}.params.{pname}", r.path)
            for pname, value in r.get(table, f"{key}.params", dict, {}).items()
        }
        colors = r.table(table, f"{key}.mouth_colors", required=False)
        unknown = set(colors) - set(vars(MouthColors()))
        if unknown:
            raise InputError(
                r.path,
                f"{key}.mouth_colors.{sorted(unknown)[0]}: not a mouth "
                f"part (parts: {', '.join(vars(MouthColors()))})",
            )
        scenes.append(
            Scene(
                name,
                resolve_shader(shader, base),
                r.get(table, f"{key}.character", bool, True),
                tuple(resolve_shader(e, base) for e in effects),
                params,
                {k: r.color(colors, f"{key}.mouth_colors.{k}", (0.0, 0.0, 0.0)) for k in colors},
                parse_render_scale(table.get("render_scale"), f"{key}.render_scale", r.path),
            )
        )
    return tuple(scenes)


def _cues(
    r: _Reader, data: dict[str, Any], scenes: tuple[Scene, ...], tempo: Tempo | None
) -> tuple[SceneCue, ...]:
    names = {s.name: i for i, s in enumerate(scenes)}
    cues: list[SceneCue] = []
    for i, table in enumerate(r.get(data, "cues", list, [])):
        key = f"cues[{i}]"
        if not isinstance(table, dict):
            raise InputError(r.path, f"{key}: expected a table")
        scene = r.get(table, f"{key}.scene", str)
        if scene not in names:
            raise InputError(
                r.path, f"{key}.scene: no scene named {scene!r} (scenes: {', '.join(names)})"
            )
        at, fade = _cue_times(r, table, key, tempo)
        name = r.get(table, f"{key}.name", str, "")
        cues.append(SceneCue(at, names[scene], fade, name))
    return tuple(cues)


def _cue_times(
    r: _Reader, table: dict[str, Any], key: str, tempo: Tempo | None
) -> tuple[float, float]:
    """(at, fade) in seconds, from seconds or from bars and beats on the show's tempo."""
    if ("at" in table) == ("bar" in table):
        raise InputError(r.path, f"{key}: give exactly one of 'at' (seconds) or 'bar'")
    if "bar" in table:
        if tempo is None:
            raise InputError(
                r.path,
                f"{key}.bar: needs the tempo: set track.bpm "
                "(and track.downbeat, the time of bar 1)",
            )
        at = tempo.bar_start(r.number(table, f"{key}.bar"))
    else:
        at = r.number(table, f"{key}.at")
    fade = r.number(table, f"{key}.fade", 0.0)
    if "fade_beats" in table:
        if tempo is None:
            raise InputError(r.path, f"{key}.fade_beats: needs the tempo: set track.bpm")
        fade = tempo.beats(r.number(table, f"{key}.fade_beats"))
    if at < 0 or fade < 0:
        raise InputError(r.path, f"{key}: times must not be negative")
    if not (math.isfinite(at) and math.isfinite(fade)):  # a huge bar or beat count
        raise InputError(r.path, f"{key}: too far into the song to be a time")
    return at, fade


def resolve_shader(name: str, base: Path) -> Path:
    """A user's own shader next to the show wins over a bundled one of the same name."""
    local = base / name
    if local.exists():
        return local
    bundled = data_dir("shaders") / name
    return bundled if bundled.exists() else local


class _Reader:
    """Typed access to parsed TOML that names the key path on every mistake."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def table(self, data: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
        name = key.rsplit(".", 1)[-1]
        value = data.get(name)
        if value is None:
            if required:
                raise InputError(self.path, f"{key}: missing table [{key}]")
            return {}
        if not isinstance(value, dict):
            raise InputError(self.path, f"{key}: expected a table, got {type(value).__name__}")
        return value

    def get(self, data: dict[str, Any], key: str, kind: Any, default: Any = ...) -> Any:
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            if default is ...:
                raise InputError(self.path, f"{key}: missing (expected {_kind_name(kind)})")
            return default
        value = data[name]
        if not isinstance(value, kind):
            raise InputError(self.path, f"{key}: expected {_kind_name(kind)}, got {value!r}")
        return value

    def number(self, data: dict[str, Any], key: str, default: float | None = None) -> float:
        """A finite number (livesync.values' rules); without a default, the key must be set."""
        name = key.rsplit(".", 1)[-1]
        if name not in data:
            if default is None:
                raise InputError(self.path, f"{key}: missing (expected a number)")
            return float(default)
        return finite(data[name], key, self.path)

    def positive(self, data: dict[str, Any], key: str, default: float) -> float:
        value = self.number(data, key, default)
        if value <= 0:
            raise InputError(self.path, f"{key}: expected a number above 0, got {value}")
        return value

    def count(self, data: dict[str, Any], key: str, default: int) -> int:
        """A whole number of at least 1 (frames per second, beats per bar); 29.97 fps is
        written as 30, never cut to 0."""
        value = self.number(data, key, default)
        if value < 1:
            raise InputError(self.path, f"{key}: expected 1 or more, got {value:g}")
        return round(value)

    def integer(self, data: dict[str, Any], key: str, default: int) -> int:
        return whole(data.get(key.rsplit(".", 1)[-1], default), key, self.path)

    def pair(
        self, data: dict[str, Any], key: str, default: tuple[float, float]
    ) -> tuple[float, float]:
        value = self.get(data, key, list, list(default))
        if len(value) != 2:
            raise InputError(self.path, f"{key}: expected [x, y] numbers, got {value!r}")
        x, y = (finite(v, f"{key}[{i}]", self.path) for i, v in enumerate(value))
        return x, y

    def color(
        self, data: dict[str, Any], key: str, default: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        name = key.rsplit(".", 1)[-1]
        return colour(data[name], key, self.path) if name in data else default


def _kind_name(kind: Any) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return str(names.get(kind, kind.__name__))
