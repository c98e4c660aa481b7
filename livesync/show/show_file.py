"""Show files (TOML): what plays, what the character looks like, how the output is set up.

A show is read once into frozen dataclasses; every mistake is reported with the file, the key
path and what was expected, because a performer fixing a file an hour before doors needs to
know exactly where to look. Every number has a range (a frame rate up to 240, times within a
day, sizes within ten screens), so a typo such as `fps = 1e9` is an error, not a render of
billions of frames. A key the show does not know is a warning naming it (`output.fsp: unknown
key (ignored); did you mean fps?`); the show still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from livesync.errors import InputError, read_user_text
from livesync.resources import data_dir
from livesync.show.buffers import check_buffer_reads, parse_buffers
from livesync.show.channels import Source, check_scene_sources, parse_channels
from livesync.show.character_life import CharacterLife, parse_character_life
from livesync.show.control_settings import (
    CONTROL_KEYS,
    MAX_PARAM,
    ControlSettings,
    parse_control,
)
from livesync.show.eyes import Eyes, parse_eyes
from livesync.show.mouth_sheet import MouthSheet, parse_mouth
from livesync.show.puppet_style import PuppetStyle, parse_puppet_style
from livesync.show.reader import Reader
from livesync.show.render_scale import RenderScale, parse_render_scale
from livesync.show.scenes import Scene, SceneCue, Tempo, all_channels
from livesync.values import (
    LONGEST_SONG,
    MAX_FPS,
    MAX_OFFSET_MS,
    MAX_PLACE,
    Keys,
    describe,
    file_name,
    finite,
    key_text,
    leaves,
    parse_toml,
    warn_unknown_keys,
    whole,
)

DEFAULT_BACKGROUND = "backgrounds/aurora.glsl"
MAX_BPM = 1000.0  # and at least 1: a tempo puts bars a day apart long before 0
MAX_BEATS_PER_BAR = 64
MAX_DISPLAY = 63  # a display's index: more screens than any machine has


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
class PerformerScreen:
    """A second window for the performer: the show small with the HUD under it, while the
    main window (the projector's) shows the clean picture."""

    display: int = 0
    size: tuple[int, int] = (960, 540)
    fullscreen: bool = False


@dataclass(frozen=True)
class Output:
    size: tuple[int, int] = (1280, 720)
    fps: int = 30
    offset_ms: float = 0.0
    fullscreen: bool = False
    display: int = 0
    render_scale: RenderScale = None  # backgrounds and effects drawn smaller, upscaled
    performer: PerformerScreen | None = None  # a second window with the HUD


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

    @property
    def transitions(self) -> tuple[Path, ...]:
        """Every ISF transition the show's scenes and cues name, once each, in order: the
        renderer compiles them all before the show starts, not at the first change."""
        named = [s.transition for s in self.scenes] + [c.transition for c in self.cues]
        return tuple(dict.fromkeys(p for p in named if p is not None))

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
    return parse_show(parse_toml(read_user_text(path, "show file"), path), path)


def parse_show(data: dict[str, Any], path: Path) -> Show:
    warn_unknown_keys(data, SHOW_KEYS, path)  # first: a misspelt key may be why it fails
    r = Reader(path)
    base = path.parent
    track = r.table(data, "track")
    audio = base / r.file(track, "track.audio")
    timeline = base / r.file(track, "track.timeline")
    tempo = _tempo(r, track)
    scenes = _scenes(r, data, base)
    cues = _cues(r, data, scenes, tempo)
    character = _character(r, data, base, tuple(s.name for s in scenes))
    out = r.table(data, "output", required=False)
    output = Output(
        size=_size(r, out),
        fps=r.count(out, "output.fps", 30, MAX_FPS),
        offset_ms=r.number(
            out, "output.offset_ms", 0.0, minimum=-MAX_OFFSET_MS, maximum=MAX_OFFSET_MS
        ),
        fullscreen=r.get(out, "output.fullscreen", bool, False),
        display=r.integer(out, "output.display", 0, MAX_DISPLAY),
        render_scale=parse_render_scale(out.get("render_scale"), "output.render_scale", r.path),
        performer=_performer(r, out),
    )
    vocals = r.file(track, "track.vocals", "")
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
    r: Reader, data: dict[str, Any], base: Path, scene_names: tuple[str, ...]
) -> Character:
    ch = r.table(data, "character", required=False)
    image = r.file(ch, "character.image", "")
    # `mouth = [x, y]` places the vector mouth; a [character.mouth] table may also bring
    # the user's own drawings (livesync.show.mouth_sheet).
    mouth = r.get(ch, "character.mouth", (list, dict), [])
    if isinstance(mouth, dict):
        position, sheet = parse_mouth(mouth, r.path, scene_names)
    else:
        position, sheet = r.pair(ch, "character.mouth", (0.5, 0.7), MAX_PLACE), None
    landmarks = r.file(ch, "character.landmarks", "")
    colors = _mouth_colors(r, ch, "character.colors")
    return Character(
        image=base / image if image else None,
        center=r.pair(ch, "character.center", (0.5, 0.5), MAX_PLACE),
        height=r.positive(ch, "character.height", 0.8, MAX_PLACE),
        mouth=position,
        mouth_width=r.positive(ch, "character.mouth_width", 0.28, MAX_PLACE),
        colors=MouthColors(**{**vars(MouthColors()), **colors}),
        mouth_sheet=sheet,
        landmarks=base / landmarks if landmarks else None,
        puppet=parse_puppet_style(r.table(ch, "character.puppet", required=False), r.path),
        eyes=parse_eyes(r.table(ch, "character.eyes", required=False), r.path),
    )


def _mouth_colors(
    r: Reader, data: dict[str, Any], key: str
) -> dict[str, tuple[float, float, float]]:
    """The mouth colours a table sets ([character.colors], a scene's mouth_colors); a part
    the mouth does not have is an error, as in the other tables that name the character's
    parts ([character.eyes], [character.puppet]...): its colour would silently not show."""
    colors = r.table(data, key, required=False)
    parts = tuple(vars(MouthColors()))
    unknown = sorted(set(colors) - set(parts))
    if unknown:
        raise InputError(
            r.path, f"{key}.{key_text(unknown[0])}: not a mouth part (parts: {', '.join(parts)})"
        )
    return {k: r.color(colors, f"{key}.{k}", (0.0, 0.0, 0.0)) for k in colors}


def _performer(r: Reader, out: dict[str, Any]) -> PerformerScreen | None:
    """[output.performer]: the performer's screen, the picture small with the HUD."""
    if "performer" not in out:
        return None
    table = r.table(out, "output.performer")
    return PerformerScreen(
        display=r.integer(table, "output.performer.display", 0, MAX_DISPLAY),
        size=_size(r, table, "output.performer.size", (960, 540)),
        fullscreen=r.get(table, "output.performer.fullscreen", bool, False),
    )


def _size(
    r: Reader,
    out: dict[str, Any],
    key: str = "output.size",
    default: tuple[int, int] = (1280, 720),
) -> tuple[int, int]:
    size = r.get(out, key, list, list(default))
    wrong = f"{key}: expected [width, height] in pixels, e.g. [1920, 1080]"
    if len(size) != 2:
        raise InputError(r.path, wrong)
    width, height = (whole(v, f"{key}[{i}]", r.path) for i, v in enumerate(size))
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise InputError(r.path, wrong)
    return width, height


def _tempo(r: Reader, track: dict[str, Any]) -> Tempo | None:
    if "bpm" not in track:
        return None
    return Tempo(
        r.number(track, "track.bpm", 120.0, minimum=1.0, maximum=MAX_BPM),
        r.number(track, "track.downbeat", 0.0, minimum=-LONGEST_SONG, maximum=LONGEST_SONG),
        r.count(track, "track.beats_per_bar", 4, MAX_BEATS_PER_BAR),
    )


def _scenes(r: Reader, data: dict[str, Any], base: Path) -> tuple[Scene, ...]:
    """[[scenes]] tables, or the single [background] of a simple show."""
    if "scenes" not in data:
        bg = r.table(data, "background", required=False)
        shader = r.file(bg, "background.shader", DEFAULT_BACKGROUND)
        return (Scene("main", resolve_shader(shader, base)),)
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
            raise InputError(r.path, f"{key}.name: scene {describe(name)} is defined twice")
        shader = r.file(table, f"{key}.background", DEFAULT_BACKGROUND)
        effects = [
            file_name(e, f"{key}.effects[{k}]", r.path)
            for k, e in enumerate(r.get(table, f"{key}.effects", list, []))
        ]
        params = {
            pname: finite(
                value, f"{key}.params.{pname}", r.path, minimum=-MAX_PARAM, maximum=MAX_PARAM
            )
            for pname, value in r.get(table, f"{key}.params", dict, {}).items()
        }
        background = resolve_shader(shader, base)
        channels = _channels(r, table, key, base)
        buffers, common, buffer_channels = parse_buffers(
            table, key, r.path, partial(resolve_shader, base=base)
        )
        if (buffers or common is not None) and background.suffix.lower() == ".fs":
            raise InputError(
                r.path,
                f"{key}.{'buffers' if buffers else 'common'}: Shadertoy's tabs go with a "
                "Shadertoy background; an ISF file has its own PASSES",
            )
        check_buffer_reads(buffers, [channels, *buffer_channels.values()], r.path)
        scenes.append(
            Scene(
                name,
                background,
                r.get(table, f"{key}.character", bool, True),
                tuple(resolve_shader(e, base) for e in effects),
                params,
                _mouth_colors(r, table, f"{key}.mouth_colors"),
                parse_render_scale(table.get("render_scale"), f"{key}.render_scale", r.path),
                _transition(r, table, key, base),
                channels,
                buffers,
                common,
                buffer_channels,
            )
        )
    check_scene_sources([s.name for s in scenes], [all_channels(s) for s in scenes], r.path)
    return tuple(scenes)


def _channels(r: Reader, table: dict[str, Any], key: str, base: Path) -> dict[str, Source]:
    """`channels = { iChannel1 = "noise.png" }`: pictures for image inputs, found like
    shaders (livesync.show.channels)."""
    if "channels" not in table:
        return {}
    find = partial(resolve_shader, base=base)
    return dict(parse_channels(table["channels"], f"{key}.channels", r.path, find))


def _transition(r: Reader, table: dict[str, Any], key: str, base: Path) -> Path | None:
    """`transition = "transitions/Dissolve.fs"`: an ISF transition file, found like effects."""
    if "transition" not in table:
        return None
    name = file_name(table["transition"], f"{key}.transition", r.path)
    return resolve_shader(name, base)


def _cues(
    r: Reader, data: dict[str, Any], scenes: tuple[Scene, ...], tempo: Tempo | None
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
                r.path,
                f"{key}.scene: no scene named {describe(scene)} (scenes: {', '.join(names)})",
            )
        at, fade = _cue_times(r, table, key, tempo)
        name = r.get(table, f"{key}.name", str, "")
        transition = _transition(r, table, key, r.path.parent)
        cues.append(SceneCue(at, names[scene], fade, name, transition))
    return tuple(cues)


def _cue_times(
    r: Reader, table: dict[str, Any], key: str, tempo: Tempo | None
) -> tuple[float, float]:
    """(at, fade) in seconds, from seconds or from bars and beats on the show's tempo; a
    time worked out from the tempo names the keys it came from when it falls outside."""
    if ("at" in table) == ("bar" in table):
        raise InputError(r.path, f"{key}: give exactly one of 'at' (seconds) or 'bar'")
    if "fade" in table and "fade_beats" in table:
        raise InputError(r.path, f"{key}: give one of 'fade' (seconds) or 'fade_beats'")
    for name in ("bar", "fade_beats"):
        if name in table and tempo is None:
            raise InputError(
                r.path,
                f"{key}.{name}: needs the tempo: set track.bpm "
                "(and track.downbeat, the time of bar 1)",
            )
    song = {"minimum": 0.0, "maximum": LONGEST_SONG}
    if tempo is not None and "bar" in table:
        bar = r.number(table, f"{key}.bar")
        at = _on_tempo(r, tempo.bar_start(bar), f"{key}.bar", f"bar {bar:g}", _BAR_KEYS)
    else:
        at = r.number(table, f"{key}.at", **song)
    if tempo is not None and "fade_beats" in table:
        beats = r.number(table, f"{key}.fade_beats")
        fade = _on_tempo(
            r, tempo.beats(beats), f"{key}.fade_beats", f"{beats:g} beats", "track.bpm"
        )
    else:
        fade = r.number(table, f"{key}.fade", 0.0, **song)
    return at, fade


_BAR_KEYS = "track.bpm, track.downbeat, track.beats_per_bar"


def _on_tempo(r: Reader, seconds: float, key: str, what: str, tempo_keys: str) -> float:
    if not 0 <= seconds <= LONGEST_SONG:  # NaN too: a huge bar or beat count
        raise InputError(
            r.path,
            f"{key}: {what} is {seconds:g} s on the tempo ({tempo_keys}): "
            "times must be from 0 to 24 h into the song",
        )
    return seconds


def resolve_shader(name: str, base: Path) -> Path:
    """A user's own shader next to the show wins over a bundled one of the same name."""
    local = base / name
    if local.exists():
        return local
    bundled = data_dir("shaders") / name
    return bundled if bundled.exists() else local


# Every key a show file knows (livesync.values.warn_unknown_keys); None marks a value, or a
# table whose keys are the user's names (params) or that checks its own keys (the tables
# naming the character's parts: [character.mouth], eyes, puppet, idle, colours).
SHOW_KEYS: Keys = {
    "track": leaves("audio", "timeline", "vocals", "bpm", "downbeat", "beats_per_bar"),
    "background": leaves("shader"),
    "character": leaves(
        "image",
        "center",
        "height",
        "mouth",
        "mouth_width",
        "colors",
        "landmarks",
        "style",
        "puppet",
        "eyes",
        "idle",
    ),
    "scenes": [
        leaves(
            "name",
            "background",
            "effects",
            "params",
            "character",
            "mouth_colors",
            "render_scale",
            "transition",
            "channels",
            "buffers",
            "common",
            "buffer_channels",
        )
    ],
    "cues": [leaves("scene", "at", "bar", "fade", "fade_beats", "name", "transition")],
    "output": {
        **leaves("size", "fps", "offset_ms", "fullscreen", "display", "render_scale"),
        "performer": leaves("display", "size", "fullscreen"),
    },
    **CONTROL_KEYS,
}
