"""A scene's extra pictures: image files fed to its shaders' image inputs by name.

Shadertoy code samples iChannel0-3 and ISF files declare image inputs of their own (Color
Relookup's `lookupImage`, Luma Transition's `luma`); without a picture they read transparent
black. A scene gives them files:

    channels = { iChannel1 = "textures/noise.png",
                 iChannel2 = { file = "wood.jpg", filter = "nearest", wrap = "clamp" } }

The same table feeds every layer of the scene (background, effects, and a transition into
it), each taking the names it declares. A string is a file with its host's sampler settings:
Shadertoy's for `iChannelN` (mipmap, repeat, vflip true: what a texture picked in Shadertoy's
channel dialog gets), the ISF reference host's for other names (linear, clamped, upright),
so a pasted shader samples what it did where it was written. The files are found as shaders
are (next to the show first, then the bundled folder) and read by the renderer, which names
the key when one cannot be read.

A channel can also be a picture drawn every frame: another scene's output (`{ scene =
"verse" }`, with its effects and character) or the character alone on transparent black
(`{ character = true }`), as Shadertoy's buffers are read: linear, clamped. A scene that
would end up reading its own picture (verse reads chorus, chorus reads verse) is refused.

A Shadertoy channel can also be one of the scene's Buffer A-D (`"A"`, or `{ buffer = "A" }`:
livesync.show.buffers), read by the background's own passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.values import describe, file_name, key_text, kind_of

FILTERS = ("nearest", "linear", "mipmap")
WRAPS = ("clamp", "repeat")
KEYS = ("file", "filter", "wrap", "vflip")
SHADERTOY_CHANNEL = re.compile(r"iChannel[0-3]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")  # a GLSL name, as ISF inputs are
# The pictures livesync itself feeds: a show cannot replace them.
FED = {
    "inputImage": "the picture drawn so far (an effect's input)",
    "startImage": "the outgoing scene (a transition's)",
    "endImage": "the incoming scene (a transition's)",
}


@dataclass(frozen=True)
class Channel:
    """One picture for an image input, with the sampler settings it is read with. `vflip`
    true stores the picture's top row at t = 1 (upright in GL's coordinates), as Shadertoy's
    vflip does. `where` and `show` name the key and file in the renderer's error when the
    picture cannot be read; they do not make two channels different."""

    file: Path
    filter: str = "mipmap"
    wrap: str = "repeat"
    vflip: bool = True
    where: str = field(default="", compare=False)
    show: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SceneSource:
    """The picture of the scene named `scene`, drawn every frame before the scene reading it."""

    scene: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class CharacterSource:
    """The character alone, on transparent black, drawn every frame as the scene reading it
    draws it (its mouth colours)."""

    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class BufferSource:
    """The output of the scene's Shadertoy buffer `buffer` ("A".."D"), as Shadertoy reads
    a buffer: linear, clamped, this frame's when it is drawn before the reading pass and the
    previous frame's otherwise (livesync.render.multipass)."""

    buffer: str
    where: str = field(default="", compare=False)


Source = Channel | SceneSource | CharacterSource | BufferSource
BUFFERS = ("A", "B", "C", "D")


def host_defaults(name: str) -> tuple[str, str, bool]:
    """(filter, wrap, vflip) a string gives `name`: Shadertoy's defaults for iChannel0-3, the
    ISF reference host's (linear, clamped, upright) for any other input."""
    if SHADERTOY_CHANNEL.fullmatch(name):
        return "mipmap", "repeat", True
    return "linear", "clamp", True


def parse_channels(
    value: Any, key: str, source: Path, find: Callable[[str], Path]
) -> Mapping[str, Source]:
    """A scene's `channels` table (`key` is its path, "scenes[0].channels"); `find` turns a
    file name into a path (show_file.resolve_shader). One InputError naming the key path for
    every mistake."""
    if not isinstance(value, dict):
        raise InputError(source, f"{key}: expected a table of image inputs, got {kind_of(value)}")
    out: dict[str, Source] = {}
    for name, spec in value.items():
        where = f"{key}.{key_text(name)}"
        _check_name(name, where, source)
        out[name] = _channel(name, spec, where, source, find)
    return out


def _check_name(name: str, where: str, source: Path) -> None:
    if name in FED:
        raise InputError(source, f"{where}: livesync feeds this input itself: {FED[name]}")
    if name.startswith("iChannel") and not SHADERTOY_CHANNEL.fullmatch(name):
        raise InputError(source, f"{where}: Shadertoy has iChannel0 to iChannel3")
    if not _NAME.fullmatch(name):
        raise InputError(
            source, f"{where}: not an input name (iChannel0-3, or an ISF image input's NAME)"
        )


def _channel(name: str, spec: Any, where: str, source: Path, find: Callable[[str], Path]) -> Source:
    filter_, wrap, vflip = host_defaults(name)
    if isinstance(spec, str) and spec in BUFFERS:
        return _buffer(name, spec, where, source)
    if isinstance(spec, str):
        return Channel(find(file_name(spec, where, source)), filter_, wrap, vflip, where, source)
    if not isinstance(spec, dict):
        raise InputError(
            source,
            f"{where}: expected a file name or a table {{ file = ..., filter = ..., wrap = ..., "
            f"vflip = ... }}, got {describe(spec) if isinstance(spec, str) else kind_of(spec)}",
        )
    if "scene" in spec or "character" in spec:
        return _live(spec, where, source)
    if "buffer" in spec:
        others = sorted(set(spec) - {"buffer"})
        if others:
            raise InputError(
                source,
                f"{where}.{key_text(others[0])}: a buffer takes only `buffer` "
                "(it is read linear and clamped)",
            )
        value = spec["buffer"]
        if value not in BUFFERS or not isinstance(value, str):
            raise InputError(
                source, f"{where}.buffer: expected one of {', '.join(BUFFERS)}, got {_shown(value)}"
            )
        return _buffer(name, value, f"{where}.buffer", source)
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise InputError(
            source,
            f"{where}.{key_text(unknown[0])}: not a channel setting ({', '.join(KEYS)})",
        )
    if "file" not in spec:
        raise InputError(source, f"{where}.file: missing (expected a file name)")
    path = find(file_name(spec["file"], f"{where}.file", source))
    filter_ = _choice(spec, "filter", FILTERS, filter_, where, source)
    wrap = _choice(spec, "wrap", WRAPS, wrap, where, source)
    if "vflip" in spec:
        vflip = spec["vflip"]
        if not isinstance(vflip, bool):
            raise InputError(source, f"{where}.vflip: expected true or false, got {_shown(vflip)}")
    return Channel(path, filter_, wrap, vflip, where, source)


def _buffer(name: str, buffer: str, where: str, source: Path) -> BufferSource:
    """A Shadertoy buffer feeds Shadertoy's channels only: ISF files have their own PASSES."""
    if not SHADERTOY_CHANNEL.fullmatch(name):
        raise InputError(
            source, f"{where}: buffer {buffer} feeds Shadertoy's iChannel0-3 only, not {name}"
        )
    return BufferSource(buffer, where)


def _live(spec: dict[str, Any], where: str, source: Path) -> SceneSource | CharacterSource:
    """`{ scene = "verse" }` or `{ character = true }`: nothing else goes with them."""
    kind = "scene" if "scene" in spec else "character"
    others = sorted(set(spec) - {kind})
    if others:
        raise InputError(
            source,
            f"{where}.{key_text(others[0])}: a {kind}'s picture takes only `{kind}` "
            "(it is drawn each frame, read linear and clamped)",
        )
    value = spec[kind]
    if kind == "character":
        if value is not True:
            raise InputError(source, f"{where}.character: expected true, got {_shown(value)}")
        return CharacterSource(where)
    if not isinstance(value, str):
        raise InputError(source, f"{where}.scene: expected a scene's name, got {_shown(value)}")
    return SceneSource(value, where)


def check_scene_sources(
    names: list[str], channels: list[Mapping[str, Source]], source: Path | None
) -> None:
    """That every `{ scene = ... }` names a scene and no scene ends up reading its own
    picture: it would have to be drawn before itself. `names[i]` is scene i's name,
    `channels[i]` its channels."""
    index = {n: i for i, n in enumerate(names)}
    for table in channels:
        for item in table.values():
            if isinstance(item, SceneSource) and item.scene not in index:
                raise InputError(
                    source,
                    f"{item.where}.scene: no scene named {describe(item.scene)} "
                    f"(scenes: {', '.join(names)})",
                )
    for start, table in enumerate(channels):
        for item in table.values():
            if isinstance(item, SceneSource):
                loop = _path_to(index[item.scene], start, index, channels, [start])
                if loop is not None:
                    chain = " -> ".join(names[i] for i in [*loop, start])
                    raise InputError(
                        source,
                        f"{item.where}.scene: scene {describe(item.scene)} would read this "
                        f"scene's own picture ({chain})",
                    )


def _path_to(
    at: int,
    goal: int,
    index: Mapping[str, int],
    channels: list[Mapping[str, Source]],
    seen: list[int],
) -> list[int] | None:
    """The scenes from `seen` through `at` to `goal` along scene sources, or None."""
    if at == goal:
        return seen
    if at in seen:
        return None
    for item in channels[at].values():
        if isinstance(item, SceneSource):
            found = _path_to(index[item.scene], goal, index, channels, [*seen, at])
            if found is not None:
                return found
    return None


def _choice(
    spec: dict[str, Any],
    name: str,
    allowed: tuple[str, ...],
    default: str,
    where: str,
    source: Path,
) -> str:
    if name not in spec:
        return default
    value = spec[name]
    if value not in allowed or not isinstance(value, str):
        raise InputError(
            source, f"{where}.{name}: expected one of {', '.join(allowed)}, got {_shown(value)}"
        )
    return str(value)


def _shown(value: Any) -> str:
    return describe(value) if isinstance(value, (str, int, float)) else kind_of(value)
