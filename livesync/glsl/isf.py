"""ISF v2 (Interactive Shader Format: VDMX, Resolume, Synesthesia, Magic) handled as pure text.

An ISF file is a GLSL fragment shader that starts with a ``/*{ JSON }*/`` comment describing its
inputs (which become show parameters MIDI and OSC can drive), its render passes and the images
it imports. This module reads that header into frozen dataclasses and turns the GLSL into a
complete ``#version 330 core`` fragment shader; it imports no GL library, so it belongs to the
pure core and is tested without a GPU.

What the renderer has to know (and what stays its job):

* Draw every pass with :data:`VERTEX_SHADER`: a full-screen triangle from ``gl_VertexID`` (no
  vertex buffer, 3 vertices) that hands the fragment stage ``isf_FragNormCoord`` (0..1, origin
  bottom left) as an ``in`` varying, as ISF's own hosts do. A file with its own vertex shader
  (``NAME.vs`` next to it) gets :func:`vertex_glsl330` instead, drawn as CUSTOM_VERTEX_COUNT
  vertices (two triangles, like the reference host's quad).
* Set the built-ins of :data:`BUILTIN_UNIFORMS` every pass (``RENDERSIZE`` is the size of the
  pass's target, ``PASSINDEX`` the index of the pass), every input uniform by its ``NAME``, and
  for every image (image/audio/audioFFT input, IMPORTED image, pass target) the sampler plus a
  ``vec2 _<name>_imgSize`` with its size in pixels. Images are sampled with GL's convention (row
  0 at the bottom): upload pictures bottom-up. There is no ``_<name>_flip``/``_imgRect``.
* Execute :attr:`IsfShader.passes` in order, sizing targets with :func:`pass_size`; keep
  ``persistent`` targets across frames (cleared to transparent black when created or resized),
  use float textures where ``float`` is set, and draw a pass with ``target=None`` to the output.

Compiler errors point at the user's file: the generated source carries a ``#line`` directive
so the compiler numbers the shader body exactly as the file does (the JSON header included);
:func:`map_error_line` turns a compiler log into ``file:line: message``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from livesync.errors import InputError
from livesync.glsl import shadertoy

IsfValue = bool | int | float | tuple[float, ...]

INPUT_TYPES = ("event", "bool", "long", "float", "point2D", "color", "image", "audio", "audioFFT")
UNIFORM_TYPES: dict[str, str] = {
    "event": "bool",
    "bool": "bool",
    "long": "int",
    "float": "float",
    "point2D": "vec2",
    "color": "vec4",
    "image": "sampler2D",
    "audio": "sampler2D",
    "audioFFT": "sampler2D",
}
IMAGE_TYPES = frozenset({"image", "audio", "audioFFT"})
# Inputs whose value may appear in a pass's WIDTH/HEIGHT expression (as the spec's reference
# host does: numbers, with bools and events as 0/1).
NUMERIC_TYPES = frozenset({"float", "long", "bool", "event"})

# (GLSL type, name, meaning): what every ISF pass gets, declared by to_glsl330().
BUILTIN_UNIFORMS: tuple[tuple[str, str, str], ...] = (
    ("int", "PASSINDEX", "index of the pass being drawn, 0 for the first"),
    ("vec2", "RENDERSIZE", "size in pixels of the pass being drawn (its target's size)"),
    ("float", "TIME", "song time in seconds, the same for every pass of a frame"),
    ("float", "TIMEDELTA", "time since the previous frame in seconds (0 on the first)"),
    ("vec4", "DATE", "year, month (1-12), day (1-31), seconds since midnight"),
    ("int", "FRAMEINDEX", "frame number, 0 for the first frame"),
)
# livesync's own audio uniforms (documented with the Shadertoy ones), declared for ISF shaders
# too unless the shader declares a uniform of that name itself.
LIVESYNC_UNIFORMS: tuple[tuple[str, str], ...] = tuple(
    (kind, name) for kind, name, _ in shadertoy.UNIFORMS if name.startswith(("syn_", "ls_"))
)

FRAG_COLOR = "isf_FragColor"
NORM_COORD = "isf_FragNormCoord"

VERTEX_SHADER = """#version 330 core
// Full-screen triangle from gl_VertexID (draw 3 vertices, no vertex buffer); hands the ISF
// fragment stage its normalized coordinate: (0,0) bottom left, (1,1) top right.
out vec2 isf_FragNormCoord;
void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    isf_FragNormCoord = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
"""

MAX_TARGET_SIZE = 16384
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset(name for _, name, _ in BUILTIN_UNIFORMS) | {FRAG_COLOR, NORM_COORD}
# GLSL 3.30 keywords and reserved words (a buffer named "half" or an input named "input" does
# not compile), plus the functions the generated code calls.
_GLSL_WORDS = frozenset(
    """
attribute const uniform varying layout centroid flat smooth noperspective break continue do
for while switch case default if else in out inout float int void bool true false invariant
discard return mat2 mat3 mat4 mat2x2 mat2x3 mat2x4 mat3x2 mat3x3 mat3x4 mat4x2 mat4x3 mat4x4
vec2 vec3 vec4 ivec2 ivec3 ivec4 bvec2 bvec3 bvec4 uint uvec2 uvec3 uvec4 lowp mediump highp
precision sampler1D sampler2D sampler3D samplerCube sampler1DShadow sampler2DShadow
samplerCubeShadow sampler1DArray sampler2DArray sampler1DArrayShadow sampler2DArrayShadow
isampler1D isampler2D isampler3D isamplerCube isampler1DArray isampler2DArray usampler1D
usampler2D usampler3D usamplerCube usampler1DArray usampler2DArray sampler2DRect
sampler2DRectShadow isampler2DRect usampler2DRect samplerBuffer isamplerBuffer usamplerBuffer
sampler2DMS isampler2DMS usampler2DMS sampler2DMSArray isampler2DMSArray usampler2DMSArray
struct common partition active asm class union enum typedef template this packed goto inline
noinline volatile public static extern external interface long short double half fixed
unsigned superp input output hvec2 hvec3 hvec4 dvec2 dvec3 dvec4 fvec2 fvec3 fvec4
sampler3DRect filter image1D image2D image3D imageCube iimage1D iimage2D iimage3D iimageCube
uimage1D uimage2D uimage3D uimageCube image1DArray image2DArray iimage1DArray iimage2DArray
uimage1DArray uimage2DArray image1DShadow image2DShadow image1DArrayShadow
image2DArrayShadow imageBuffer iimageBuffer uimageBuffer sizeof cast namespace using
row_major patch sample subroutine dmat2 dmat3 dmat4 texture textureLod textureProj
""".split()
)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class IsfInput:
    """One entry of INPUTS. ``min``/``max``/``default`` are always set for the value types
    (float, long, bool, color; point2D's range is None unless the file gives one), None for
    event and the image types; audio/audioFFT keep the spec's MAX (the number of samples the
    shader wants) in ``max``. ``values``/``labels`` are a long's menu."""

    name: str
    type: str
    label: str
    default: IsfValue | None = None
    min: IsfValue | None = None
    max: IsfValue | None = None
    identity: IsfValue | None = None
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    description: str = ""

    @property
    def uniform_type(self) -> str:
        """The GLSL type of the uniform named ``name``."""
        return UNIFORM_TYPES[self.type]

    @property
    def is_image(self) -> bool:
        """Sampled like an image (image, audio, audioFFT): needs a texture, not a value."""
        return self.type in IMAGE_TYPES

    @property
    def helper_uniforms(self) -> tuple[tuple[str, str], ...]:
        """Extra uniforms the renderer sets for this input: (GLSL type, name)."""
        return (("vec2", f"_{self.name}_imgSize"),) if self.is_image else ()


@dataclass(frozen=True)
class PassSpec:
    """One entry of PASSES. ``target`` None draws to the output; ``width_expr`` and
    ``height_expr`` (None: the render size) are evaluated by :func:`pass_size`."""

    target: str | None
    persistent: bool = False
    float: bool = False
    width_expr: str | None = None
    height_expr: str | None = None


@dataclass(frozen=True)
class ImportedImage:
    """An IMPORTED image: sampled as ``name``; ``path`` is relative to the ISF file."""

    name: str
    path: str


@dataclass(frozen=True)
class IsfShader:
    """A parsed ISF file. ``passes`` always has at least one pass; ``extra`` keeps top-level
    keys livesync does not know (host-specific ones), for whoever wants them."""

    name: str
    source: str
    body: str  # the GLSL after the header comment
    body_line: int  # the line of the file on which `body` starts (1-based)
    version: str = "2"
    vsn: str = ""
    description: str = ""
    credit: str = ""
    categories: tuple[str, ...] = ()
    inputs: tuple[IsfInput, ...] = ()
    passes: tuple[PassSpec, ...] = (PassSpec(None),)
    imported: tuple[ImportedImage, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def input(self, name: str) -> IsfInput:
        for item in self.inputs:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def controls(self) -> tuple[IsfInput, ...]:
        """The inputs that become show parameters (everything that is not an image)."""
        return tuple(i for i in self.inputs if not i.is_image)

    @property
    def targets(self) -> tuple[str, ...]:
        """Names of the pass buffers, in order of first use."""
        names: list[str] = []
        for p in self.passes:
            if p.target is not None and p.target not in names:
                names.append(p.target)
        return tuple(names)

    @property
    def kind(self) -> str:
        """'filter' (an image input named inputImage), 'transition' (startImage, endImage,
        progress) or 'generator', per the ISF conventions."""
        by_name = {i.name: i.type for i in self.inputs}
        if (
            by_name.get("startImage") == "image"
            and by_name.get("endImage") == "image"
            and by_name.get("progress") == "float"
        ):
            return "transition"
        if by_name.get("inputImage") == "image":
            return "filter"
        return "generator"

    def default_values(self) -> dict[str, IsfValue]:
        """Every value input at its DEFAULT, ready for :func:`pass_size` or uniforms."""
        return {i.name: i.default for i in self.inputs if i.default is not None}


# --------------------------------------------------------------------------- parsing


def _fail(name: str, message: str) -> InputError:
    return InputError(name, message)


def _split_header(source: str, name: str) -> tuple[str, int, str, int]:
    """(JSON text, file line where it starts, body, file line where the body starts)."""
    text = source.lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped.startswith("/*"):
        raise _fail(name, "no ISF header: the file must start with a /*{ ... }*/ JSON comment")
    start = len(text) - len(stripped) + 2
    end = text.find("*/", start)
    if end < 0:
        raise _fail(name, "the ISF header comment /* ... is never closed with */")
    json_line = text.count("\n", 0, start) + 1
    body_line = text.count("\n", 0, end) + 1
    # The rest of the */ line stays in the body, after blanks standing for the header part of
    # that line, so nothing is lost and the body's lines and columns are the file's.
    column = end + 2 - (text.rfind("\n", 0, end) + 1)
    return text[start:end], json_line, " " * column + text[end + 2 :], body_line


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Reader:
    """Typed access to the JSON with errors that name the key path."""

    def __init__(self, name: str) -> None:
        self.name = name

    def error(self, key: str, message: str) -> InputError:
        return _fail(self.name, f"{key}: {message}")

    def string(self, obj: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(f"{path}{key}", f"expected a string, got {_type_name(value)}")
        return value

    def number(self, obj: Mapping[str, Any], key: str, path: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if not _is_number(value):
            raise self.error(f"{path}{key}", f"expected a number, got {_type_name(value)}")
        return float(value)

    def integer(self, obj: Mapping[str, Any], key: str, path: str) -> int | None:
        value = self.number(obj, key, path)
        if value is None:
            return None
        if value != int(value):
            raise self.error(f"{path}{key}", f"expected a whole number, got {value:g}")
        return int(value)

    def flag(self, obj: Mapping[str, Any], key: str, path: str) -> bool | None:
        """A boolean as ISF files write them: true/false, a number (> 0 is true) or a
        string such as "true"/"YES"/"1"."""
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if _is_number(value):
            return bool(value > 0)
        if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            return value.strip().lower() in _TRUE_WORDS
        raise self.error(f"{path}{key}", f"expected true or false, got {value!r}")

    def vector(
        self, obj: Mapping[str, Any], key: str, path: str, sizes: tuple[int, ...]
    ) -> tuple[float, ...] | None:
        value = obj.get(key)
        if value is None:
            return None
        want = " or ".join(str(s) for s in sizes)
        if (
            not isinstance(value, list)
            or len(value) not in sizes
            or not all(_is_number(v) for v in value)
        ):
            raise self.error(
                f"{path}{key}", f"expected a list of {want} numbers, got {json.dumps(value)}"
            )
        return tuple(float(v) for v in value)


_TRUE_WORDS = frozenset({"true", "yes", "1"})
_FALSE_WORDS = frozenset({"false", "no", "0"})


def parse_isf(source: str, name: str) -> IsfShader:
    """Read an ISF file's text. ``name`` (usually the path) names the file in errors, which
    are :class:`InputError` naming the key, e.g. ``INPUTS[2].TYPE: 'colour' is not an ISF
    input type``."""
    json_text, json_line, body, body_line = _split_header(source, name)
    try:
        top = json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise _fail(
            name, f"line {json_line + exc.lineno - 1}: the ISF header is not valid JSON: {exc.msg}"
        ) from None
    if not isinstance(top, dict):
        raise _fail(name, f"the ISF header must be a JSON object {{...}}, not {_type_name(top)}")
    r = _Reader(name)
    version = top.get("ISFVSN", "1")
    if _is_number(version):
        version = f"{version:g}"
    if not isinstance(version, str):
        raise r.error("ISFVSN", f'expected a version string such as "2", got {version!r}')
    categories = top.get("CATEGORIES", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise r.error("CATEGORIES", "expected a list of strings")
    inputs = _parse_inputs(r, top.get("INPUTS"))
    imported = _parse_imported(r, top.get("IMPORTED"))
    persistent = _parse_persistent_buffers(r, top.get("PERSISTENT_BUFFERS"))
    numeric = {i.name for i in inputs if i.type in NUMERIC_TYPES}
    passes = _parse_passes(r, top.get("PASSES"), persistent, numeric)
    shader = IsfShader(
        name=name,
        source=source,
        body=body,
        body_line=body_line,
        version=version,
        vsn=r.string(top, "VSN", ""),
        description=r.string(top, "DESCRIPTION", ""),
        credit=r.string(top, "CREDIT", ""),
        categories=tuple(categories),
        inputs=inputs,
        passes=passes,
        imported=imported,
        extra={k: v for k, v in top.items() if k not in _KNOWN_TOP},
    )
    _check_names(shader)
    return shader


_KNOWN_TOP = frozenset(
    {
        "ISFVSN",
        "VSN",
        "DESCRIPTION",
        "CREDIT",
        "CATEGORIES",
        "INPUTS",
        "PASSES",
        "IMPORTED",
        "PERSISTENT_BUFFERS",
    }
)


def _check_identifier(r: _Reader, key: str, value: str) -> None:
    if not _IDENT.match(value) or value.startswith("gl_") or "__" in value:
        raise r.error(
            key,
            f"{value!r} is not a valid GLSL name (letters, digits and _, not "
            "starting with a digit or gl_, no __)",
        )
    if value in _RESERVED:
        raise r.error(key, f"{value!r} is a name ISF declares itself")
    if value in _GLSL_WORDS:
        raise r.error(key, f"{value!r} is a GLSL keyword or reserved word; pick another name")


def _parse_inputs(r: _Reader, raw: Any) -> tuple[IsfInput, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.error("INPUTS", f"expected a list of inputs, got {_type_name(raw)}")
    result: list[IsfInput] = []
    for index, item in enumerate(raw):
        path = f"INPUTS[{index}]."
        if not isinstance(item, dict):
            raise r.error(f"INPUTS[{index}]", f"expected an object, got {_type_name(item)}")
        if "NAME" not in item:
            raise r.error(f"{path}NAME", "missing (every input needs a NAME)")
        name = r.string(item, "NAME", path)
        _check_identifier(r, f"{path}NAME", name)
        if "TYPE" not in item:
            raise r.error(f"{path}TYPE", f"missing (one of {', '.join(INPUT_TYPES)})")
        kind = r.string(item, "TYPE", path)
        if kind not in INPUT_TYPES:
            raise r.error(
                f"{path}TYPE",
                f"{kind!r} is not an ISF input type (one of {', '.join(INPUT_TYPES)})",
            )
        label = r.string(item, "LABEL", path, name) or name
        description = r.string(item, "DESCRIPTION", path)
        result.append(_INPUT_PARSERS[kind](r, item, path, name, kind, label, description))
    return tuple(result)


def _range(
    r: _Reader, lo: float | None, hi: float | None, path: str, fallback: tuple[float, float]
) -> tuple[float, float]:
    """MIN/MAX with the missing ends filled in so the range is never empty."""
    if lo is not None and hi is not None and lo > hi:
        raise r.error(f"{path}MIN", f"{lo:g} is greater than MAX {hi:g}")
    if lo is None:
        lo = fallback[0] if hi is None else min(fallback[0], hi - 1.0)
    if hi is None:
        hi = max(fallback[1], lo + 1.0)
    return lo, hi


def _float_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    lo, hi = _range(r, r.number(item, "MIN", path), r.number(item, "MAX", path), path, (0.0, 1.0))
    default = r.number(item, "DEFAULT", path)
    # As the reference host does: no DEFAULT is the middle, one outside the range is clamped.
    default = (lo + hi) / 2 if default is None else min(max(default, lo), hi)
    return IsfInput(
        name,
        kind,
        label,
        default,
        lo,
        hi,
        r.number(item, "IDENTITY", path),
        description=description,
    )


def _bool_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    default = r.flag(item, "DEFAULT", path)
    # No DEFAULT means true, as in the reference host (and so in the ISF Editor).
    return IsfInput(
        name,
        kind,
        label,
        True if default is None else default,
        False,
        True,
        r.flag(item, "IDENTITY", path),
        description=description,
    )


def _event_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    return IsfInput(name, kind, label, False, description=description)


def _long_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    raw_values, raw_labels = item.get("VALUES"), item.get("LABELS")
    values: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()
    if raw_values is not None:
        if (
            not isinstance(raw_values, list)
            or not raw_values
            or not all(_is_number(v) and v == int(v) for v in raw_values)
        ):
            raise r.error(
                f"{path}VALUES",
                f"expected a non-empty list of whole numbers, got {json.dumps(raw_values)}",
            )
        values = tuple(int(v) for v in raw_values)
    if raw_labels is not None:
        if not isinstance(raw_labels, list) or not all(isinstance(s, str) for s in raw_labels):
            raise r.error(f"{path}LABELS", "expected a list of strings")
        labels = tuple(raw_labels)
        if not values:
            values = tuple(range(len(labels)))
    if values and not labels:
        labels = tuple(str(v) for v in values)
    if len(values) != len(labels):
        raise r.error(f"{path}LABELS", f"has {len(labels)} labels for {len(values)} VALUES")
    default = r.integer(item, "DEFAULT", path)
    if values:
        lo, hi = min(values), max(values)
        if default is None:
            default = values[0]
        elif default not in values:
            raise r.error(f"{path}DEFAULT", f"{default} is not one of VALUES {list(values)}")
    else:
        lo_f, hi_f = _range(
            r,
            r.integer(item, "MIN", path),
            r.integer(item, "MAX", path),
            path,
            (0.0, float(max(1, default or 0))),
        )
        lo, hi = int(lo_f), int(hi_f)
        default = lo if default is None else min(max(default, lo), hi)
    return IsfInput(
        name,
        kind,
        label,
        default,
        lo,
        hi,
        r.integer(item, "IDENTITY", path),
        values,
        labels,
        description,
    )


def _color_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    def rgba(key: str, fallback: tuple[float, ...] | None) -> tuple[float, ...] | None:
        value = r.vector(item, key, path, (3, 4))
        if value is None:
            return fallback
        return (*value, 1.0) if len(value) == 3 else value

    return IsfInput(
        name,
        kind,
        label,
        rgba("DEFAULT", (0.0, 0.0, 0.0, 1.0)),
        rgba("MIN", (0.0, 0.0, 0.0, 0.0)),
        rgba("MAX", (1.0, 1.0, 1.0, 1.0)),
        rgba("IDENTITY", None),
        description=description,
    )


def _point_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    lo = r.vector(item, "MIN", path, (2,))
    hi = r.vector(item, "MAX", path, (2,))
    default = r.vector(item, "DEFAULT", path, (2,))
    if default is None:
        default = (
            (0.0, 0.0) if lo is None or hi is None else ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)
        )
    return IsfInput(
        name,
        kind,
        label,
        default,
        lo,
        hi,
        r.vector(item, "IDENTITY", path, (2,)),
        description=description,
    )


def _image_input(
    r: _Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    samples = r.integer(item, "MAX", path) if kind != "image" else None
    if samples is not None and samples < 1:
        raise r.error(f"{path}MAX", f"the number of samples must be at least 1, got {samples}")
    return IsfInput(name, kind, label, max=samples, description=description)


_INPUT_PARSERS: dict[
    str, Callable[[_Reader, Mapping[str, Any], str, str, str, str, str], IsfInput]
] = {
    "float": _float_input,
    "bool": _bool_input,
    "event": _event_input,
    "long": _long_input,
    "color": _color_input,
    "point2D": _point_input,
    "image": _image_input,
    "audio": _image_input,
    "audioFFT": _image_input,
}


def _parse_imported(r: _Reader, raw: Any) -> tuple[ImportedImage, ...]:
    if raw is None:
        return ()
    entries: list[tuple[str, Any]]
    if isinstance(raw, dict):
        entries = [
            (
                f"IMPORTED.{key}",
                dict(value, NAME=value.get("NAME", key)) if isinstance(value, dict) else value,
            )
            for key, value in raw.items()
        ]
    elif isinstance(raw, list):
        entries = [(f"IMPORTED[{i}]", value) for i, value in enumerate(raw)]
    else:
        raise r.error("IMPORTED", f"expected an object of images, got {_type_name(raw)}")
    result: list[ImportedImage] = []
    for key, value in entries:
        if not isinstance(value, dict):
            raise r.error(key, f"expected an object with a PATH, got {_type_name(value)}")
        if value.get("TYPE") == "cube":
            raise r.error(f"{key}.TYPE", "cube maps are not supported")
        image_name = r.string(value, "NAME", f"{key}.")
        _check_identifier(r, f"{key}.NAME", image_name)
        if not isinstance(value.get("PATH"), str) or not value["PATH"]:
            raise r.error(f"{key}.PATH", "expected the image file's path, relative to the ISF file")
        result.append(ImportedImage(image_name, value["PATH"]))
    return tuple(result)


@dataclass(frozen=True)
class _BufferSpec:
    float: bool | None = None
    width: str | None = None
    height: str | None = None


def _size_expr(
    r: _Reader, obj: Mapping[str, Any], key: str, path: str, numeric: set[str]
) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if _is_number(value):
        value = f"{value:g}"
    if not isinstance(value, str):
        raise r.error(
            f"{path}{key}", f'expected an expression such as "$WIDTH/2", got {_type_name(value)}'
        )
    try:
        expr = parse_expression(value)
    except ExpressionError as exc:
        raise r.error(f"{path}{key}", f"{exc} in {value!r}") from None
    known = numeric | {"WIDTH", "HEIGHT"}
    unknown = sorted(expr.names - known)
    if unknown:
        raise r.error(
            f"{path}{key}",
            f"unknown name ${unknown[0]} in {value!r} (known: "
            f"{', '.join('$' + n for n in sorted(known))})",
        )
    return value


def _parse_persistent_buffers(r: _Reader, raw: Any) -> dict[str, _BufferSpec]:
    """ISF v1's PERSISTENT_BUFFERS: a list of names or an object name -> {WIDTH, HEIGHT,
    FLOAT}. The passes that render to these names become persistent."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        if not all(isinstance(v, str) for v in raw):
            raise r.error("PERSISTENT_BUFFERS", "expected a list of buffer names")
        return {v: _BufferSpec() for v in raw}
    if not isinstance(raw, dict):
        raise r.error("PERSISTENT_BUFFERS", f"expected a list of names, got {_type_name(raw)}")
    result: dict[str, _BufferSpec] = {}
    for key, value in raw.items():
        spec = value if isinstance(value, dict) else {}
        path = f"PERSISTENT_BUFFERS.{key}."
        # WIDTH/HEIGHT are validated with the passes (the inputs are known by then).
        width, height = spec.get("WIDTH"), spec.get("HEIGHT")
        result[key] = _BufferSpec(
            r.flag(spec, "FLOAT", path),
            None if width is None else (f"{width:g}" if _is_number(width) else str(width)),
            None if height is None else (f"{height:g}" if _is_number(height) else str(height)),
        )
    return result


def _parse_passes(
    r: _Reader, raw: Any, persistent: dict[str, _BufferSpec], numeric: set[str]
) -> tuple[PassSpec, ...]:
    if raw is None or raw == []:
        return (PassSpec(None),)
    if isinstance(raw, dict):  # some v1 files give a single pass as an object
        raw = [raw]
    if not isinstance(raw, list):
        raise r.error("PASSES", f"expected a list of passes, got {_type_name(raw)}")
    result: list[PassSpec] = []
    for index, item in enumerate(raw):
        path = f"PASSES[{index}]."
        if not isinstance(item, dict):
            raise r.error(f"PASSES[{index}]", f"expected an object, got {_type_name(item)}")
        target = r.string(item, "TARGET", path) or None
        if target is not None:
            _check_identifier(r, f"{path}TARGET", target)
        v1 = persistent.get(target or "")
        v1_path = f"PERSISTENT_BUFFERS.{target}."
        width = _size_expr(r, item, "WIDTH", path, numeric)
        if width is None and v1 is not None and v1.width is not None:
            width = _size_expr(r, {"WIDTH": v1.width}, "WIDTH", v1_path, numeric)
        height = _size_expr(r, item, "HEIGHT", path, numeric)
        if height is None and v1 is not None and v1.height is not None:
            height = _size_expr(r, {"HEIGHT": v1.height}, "HEIGHT", v1_path, numeric)
        is_float = r.flag(item, "FLOAT", path)
        if is_float is None and v1 is not None:
            is_float = v1.float
        is_persistent = bool(r.flag(item, "PERSISTENT", path)) or v1 is not None
        if target is None and is_persistent:
            raise r.error(f"{path}PERSISTENT", "a persistent pass needs a TARGET buffer name")
        result.append(PassSpec(target, is_persistent, bool(is_float), width, height))
    return tuple(result)


def _check_names(shader: IsfShader) -> None:
    seen: dict[str, str] = {}
    entries = [(f"INPUTS[{i}].NAME", item.name) for i, item in enumerate(shader.inputs)]
    entries += [(f"IMPORTED.{item.name}", item.name) for item in shader.imported]
    for key, name in entries:
        if name in seen:
            raise InputError(shader.name, f"{key}: {name!r} is already used by {seen[name]}")
        seen[name] = key
    for index, p in enumerate(shader.passes):
        if p.target is not None and p.target in seen and not seen[p.target].startswith("PASSES"):
            raise InputError(
                shader.name,
                f"PASSES[{index}].TARGET: {p.target!r} is already used by {seen[p.target]}",
            )
        if p.target is not None:
            seen.setdefault(p.target, f"PASSES[{index}].TARGET")


# --------------------------------------------------------------------------- expressions


class ExpressionError(ValueError):
    """A WIDTH/HEIGHT expression that is not plain arithmetic, or names an unknown value."""


_FUNCTIONS: dict[str, tuple[int, int, Callable[..., float]]] = {
    # name: (fewest args, most args, function)
    "max": (2, 8, max),
    "min": (2, 8, min),
    "floor": (1, 1, math.floor),
    "ceil": (1, 1, math.ceil),
    "round": (1, 1, lambda x: math.floor(x + 0.5)),
    "pow": (2, 2, math.pow),
    "abs": (1, 1, abs),
    "sqrt": (1, 1, math.sqrt),
}
_MAX_EXPRESSION = 256
_MAX_DEPTH = 32
_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<var>\$?[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))"
)

# A parsed expression is a small tree of tuples:
#   ("num", value) | ("var", name) | ("neg", node) | (op, left, right) | ("call", name, args)
_Node = tuple[Any, ...]


@dataclass(frozen=True)
class Expression:
    text: str
    tree: _Node = field(repr=False)
    names: frozenset[str] = frozenset()

    def evaluate(self, variables: Mapping[str, float]) -> float:
        """The value, with ``variables`` naming every name of ``names`` (no $). Raises
        ExpressionError for a name it is not given; arithmetic failures (a division by zero,
        sqrt of a negative) give NaN, as they do in the reference host."""
        try:
            return _eval(self.tree, variables)
        except (ZeroDivisionError, OverflowError, ValueError) as exc:
            if isinstance(exc, ExpressionError):
                raise
            return math.nan


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            return
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = len(text) - len(text[pos:].lstrip()) + 1
            raise ExpressionError(f"unexpected {text[col - 1]!r} at column {col}")
        kind = m.lastgroup or ""
        yield kind, m.group(kind), m.start(kind) + 1
        pos = m.end()


class _Parser:
    def __init__(self, text: str) -> None:
        # Tokens are read lazily so an error names the first thing that is wrong.
        self.stream = _tokens(text)
        self.tokens: list[tuple[str, str, int]] = []
        self.pos = 0
        self.names: set[str] = set()

    def peek(self) -> tuple[str, str, int] | None:
        if self.pos == len(self.tokens):
            token = next(self.stream, None)
            if token is None:
                return None
            self.tokens.append(token)
        return self.tokens[self.pos]

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == value:
            self.pos += 1
            return True
        return False

    def parse(self) -> _Node:
        if self.peek() is None:
            raise ExpressionError("empty expression")
        node = self.sum(0)
        tok = self.peek()
        if tok is not None:
            raise ExpressionError(f"unexpected {tok[1]!r} at column {tok[2]}")
        return node

    def sum(self, depth: int) -> _Node:
        node = self.product(depth)
        while True:
            if self.take("+"):
                node = ("+", node, self.product(depth))
            elif self.take("-"):
                node = ("-", node, self.product(depth))
            else:
                return node

    def product(self, depth: int) -> _Node:
        node = self.unary(depth)
        while True:
            if self.take("*"):
                node = ("*", node, self.unary(depth))
            elif self.take("/"):
                node = ("/", node, self.unary(depth))
            else:
                return node

    def unary(self, depth: int) -> _Node:
        if depth > _MAX_DEPTH:
            raise ExpressionError("expression nested too deeply")
        if self.take("-"):
            return ("neg", self.unary(depth + 1))
        if self.take("+"):
            return self.unary(depth + 1)
        return self.atom(depth)

    def atom(self, depth: int) -> _Node:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("expression ends too early")
        kind, value, col = tok
        self.pos += 1
        if kind == "num":
            return ("num", float(value))
        if kind == "op" and value == "(":
            node = self.sum(depth + 1)
            if not self.take(")"):
                raise ExpressionError(f"missing ')' for the '(' at column {col}")
            return node
        if kind == "var":
            if self.take("("):
                return self.call(value, col, depth)
            name = value.lstrip("$")
            self.names.add(name)
            return ("var", name)
        raise ExpressionError(f"unexpected {value!r} at column {col}")

    def call(self, name: str, col: int, depth: int) -> _Node:
        if name not in _FUNCTIONS:
            raise ExpressionError(
                f"unknown function {name!r} at column {col} (known: "
                f"{', '.join(sorted(_FUNCTIONS))})"
            )
        args: list[_Node] = []
        if not self.take(")"):
            while True:
                args.append(self.sum(depth + 1))
                if self.take(")"):
                    break
                if not self.take(","):
                    raise ExpressionError(f"missing ')' for {name}( at column {col}")
        fewest, most, _ = _FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            want = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise ExpressionError(f"{name}() takes {want} arguments, got {len(args)}")
        return ("call", name, tuple(args))


@lru_cache(maxsize=256)
def parse_expression(text: str) -> Expression:
    """Parse a pass WIDTH/HEIGHT expression: numbers, ``$NAME`` (the ``$`` is optional, as in
    the reference host), + - * /, parentheses and max min floor ceil round pow abs sqrt.
    Anything else (attributes, strings, other calls) is an ExpressionError; nothing is ever
    handed to Python's eval."""
    if len(text) > _MAX_EXPRESSION:
        raise ExpressionError(f"expression longer than {_MAX_EXPRESSION} characters")
    parser = _Parser(text)
    tree = parser.parse()
    return Expression(text, tree, frozenset(parser.names))


def _eval(node: _Node, variables: Mapping[str, float]) -> float:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "var":
        if node[1] not in variables:
            raise ExpressionError(f"unknown name ${node[1]}")
        return float(variables[node[1]])
    if kind == "neg":
        return -_eval(node[1], variables)
    if kind == "call":
        args = [_eval(a, variables) for a in node[2]]
        if any(math.isnan(a) for a in args):
            return math.nan
        return float(_FUNCTIONS[node[1]][2](*args))
    left, right = _eval(node[1], variables), _eval(node[2], variables)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return left / right


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    return None


def pass_size(
    pass_: PassSpec, render_size: tuple[int, int], input_values: Mapping[str, IsfValue]
) -> tuple[int, int]:
    """The pixel size of a pass's target: its WIDTH/HEIGHT expressions evaluated with $WIDTH
    and $HEIGHT = ``render_size`` and the numeric ``input_values`` (bools count as 0/1),
    rounded to whole pixels and kept within 1..MAX_TARGET_SIZE (NaN gives 1, as in the
    reference host). A name missing from ``input_values`` is an ExpressionError."""
    variables = {
        name: n for name, value in input_values.items() if (n := _number(value)) is not None
    }
    variables["WIDTH"], variables["HEIGHT"] = float(render_size[0]), float(render_size[1])

    def size(expr: str | None, whole: int) -> int:
        if expr is None:
            return max(1, min(int(whole), MAX_TARGET_SIZE))
        value = parse_expression(expr).evaluate(variables)
        if math.isnan(value):
            return 1
        return int(max(1.0, min(math.floor(value + 0.5), float(MAX_TARGET_SIZE))))

    return size(pass_.width_expr, render_size[0]), size(pass_.height_expr, render_size[1])


def date_value(now: datetime) -> tuple[float, float, float, float]:
    """The DATE uniform for a moment: (year, month 1-12, day 1-31, seconds since midnight)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (float(now.year), float(now.month), float(now.day), (now - midnight).total_seconds())


# --------------------------------------------------------------------------- GLSL


def _blank_comments(text: str) -> str:
    """The text with comments replaced by spaces (newlines kept), so searches never match
    inside a comment and every character keeps its line and column."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            j = min((k for k in (text.find("//", i), text.find("/*", i)) if k >= 0), default=n)
            out.append(text[i:j])
            i = j
    return "".join(out)


_IMG_CALL = re.compile(
    r"\b(IMG_THIS_NORM_PIXEL|IMG_THIS_PIXEL|IMG_NORM_PIXEL|IMG_PIXEL|"
    r"IMG_SIZE)\s*\("
)
_IMG_ARGS = {
    "IMG_PIXEL": (2, 3),
    "IMG_NORM_PIXEL": (2, 3),
    "IMG_THIS_PIXEL": (1, 1),
    "IMG_THIS_NORM_PIXEL": (1, 1),
    "IMG_SIZE": (1, 1),
}
_COMMON_WORDS = [
    (re.compile(r"\bvv_FragNormCoord\b"), NORM_COORD),
    (re.compile(r"\btexture2DRect(?=\s*\()"), "texture"),
    (re.compile(r"\btexture2DProj(?=\s*\()"), "textureProj"),
    (re.compile(r"\btexture(?:2D|2DRect|Cube)Lod(?=\s*\()"), "textureLod"),
    (re.compile(r"\btexture(?:2D|Cube)(?=\s*\()"), "texture"),
]
_FRAGMENT_WORDS = [
    (re.compile(r"\bgl_FragData\s*\[\s*0\s*\]"), FRAG_COLOR),
    (re.compile(r"\bgl_FragColor\b"), FRAG_COLOR),
    *_COMMON_WORDS,
    (re.compile(r"\bvarying\b"), "in"),
]
_VERTEX_WORDS = [
    (re.compile(r"\bvv_vertShaderInit\b"), "isf_vertShaderInit"),
    *_COMMON_WORDS,
    (re.compile(r"\bvarying\b"), "out"),
    (re.compile(r"\battribute\b"), "in"),
]
_VERSION_LINE = re.compile(r"^[ \t]*#[ \t]*version\b[^\n]*", re.MULTILINE)
_EXTENSION_LINE = re.compile(r"^[ \t]*#[ \t]*extension\b[^\n]*", re.MULTILINE)
_DECLARED_UNIFORM = r"\buniform\s+(?:(?:lowp|mediump|highp)\s+)?\w+\s+{}\b"


def _split_args(text: str, open_at: int) -> tuple[list[tuple[int, str]], int] | None:
    """Arguments of the call whose '(' is at ``open_at`` as (start index, text), split at
    top-level commas, and the index just past its ')'; None when it never closes."""
    depth, start = 0, open_at + 1
    args: list[tuple[int, str]] = []
    for i in range(open_at, len(text)):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0:
                args.append((start, text[start:i]))
                return args, i + 1
        elif c == "," and depth == 1:
            args.append((start, text[start:i]))
            start = i + 1
    return None


class _Expander:
    """Replaces the IMG_* functions with plain GLSL 3.30, keeping every newline."""

    def __init__(self, shader: IsfShader, sized: set[str], name: str) -> None:
        self.shader = shader
        self.sized = sized
        self.name = name

    def error(self, line: int, message: str) -> InputError:
        return InputError(self.name, f"line {line}: {message}")

    def expand(self, text: str, first_line: int) -> str:
        """``text`` starts on file line ``first_line``."""
        out: list[str] = []
        pos = 0
        while True:
            m = _IMG_CALL.search(text, pos)
            if m is None:
                out.append(text[pos:])
                return "".join(out)
            out.append(text[pos : m.start()])
            line = first_line + text.count("\n", 0, m.start())
            func = m.group(1)
            split = _split_args(text, m.end() - 1)
            if split is None:
                raise self.error(line, f"{func}( is never closed")
            args, end = split
            lo, hi = _IMG_ARGS[func]
            if len(args) == 1 and not args[0][1].strip() and lo > 0:
                args = []
            if not lo <= len(args) <= hi:
                want = str(lo) if lo == hi else f"{lo} or {hi}"
                raise self.error(line, f"{func} takes {want} arguments, got {len(args)}")
            inner = [self.expand(a, first_line + text.count("\n", 0, start)) for start, a in args]
            image = inner[0].replace("\\\n", "").strip()
            if func in ("IMG_PIXEL", "IMG_SIZE") and image not in self.sized:
                known = ", ".join(sorted(self.sized)) or "none"
                raise self.error(
                    line,
                    f"{func}: {image!r} is not an image input, IMPORTED "
                    f"image or pass TARGET (images here: {known})",
                )
            rest = "".join("," + a for a in inner[2:])
            if func == "IMG_SIZE":
                call = f"_{image}_imgSize"
            elif func == "IMG_PIXEL":
                call = f"texture({image}, ({inner[1]}) / _{image}_imgSize{rest})"
            elif func == "IMG_NORM_PIXEL":
                call = f"texture({image}, {inner[1]}{rest})"
            else:  # IMG_THIS_PIXEL / IMG_THIS_NORM_PIXEL: full-frame 2D textures, same thing
                call = f"texture({image}, {NORM_COORD})"
            # Keep the call's line breaks (as continuations inside a #define).
            missing = text.count("\n", m.start(), end) - call.count("\n")
            brk = "\\\n" if "\\\n" in text[m.start() : end] else "\n"
            out.append(call + brk * max(0, missing))
            pos = end


def _images(shader: IsfShader) -> list[str]:
    names = [i.name for i in shader.inputs if i.is_image]
    names += [i.name for i in shader.imported]
    names += list(shader.targets)
    return names


def _translate(
    shader: IsfShader,
    text: str,
    first_line: int,
    name: str,
    words: list[tuple[re.Pattern[str], str]],
) -> tuple[str, list[str]]:
    """GLSL 1.x-style ISF code as GLSL 3.30 with the same lines, and the #extension lines
    that must move above the declarations. Comments come out as blanks."""
    text = _blank_comments(text)
    extensions = [m.group(0).strip() for m in _EXTENSION_LINE.finditer(text)]
    text = _EXTENSION_LINE.sub("", text)
    text = _VERSION_LINE.sub("", text)
    text = _Expander(shader, set(_images(shader)), name).expand(text, first_line)
    for pattern, replacement in words:
        text = pattern.sub(replacement, text)
    return text, extensions


def translate_body(shader: IsfShader) -> tuple[str, list[str]]:
    """The shader body as GLSL 3.30 (same lines as the file) and its #extension lines."""
    return _translate(shader, shader.body, shader.body_line, shader.name, _FRAGMENT_WORDS)


def uniform_declarations(shader: IsfShader) -> list[tuple[str, str]]:
    """Every uniform the generated fragment shader declares, as (GLSL type, name)."""
    decls = [(kind, name) for kind, name, _ in BUILTIN_UNIFORMS]
    for item in shader.inputs:
        decls.append((item.uniform_type, item.name))
        decls.extend(item.helper_uniforms)
    for image in shader.imported:
        decls += [("sampler2D", image.name), ("vec2", f"_{image.name}_imgSize")]
    for target in shader.targets:
        decls += [("sampler2D", target), ("vec2", f"_{target}_imgSize")]
    body = _blank_comments(shader.body)
    taken = {name for _, name in decls}
    decls += [
        (kind, name)
        for kind, name in LIVESYNC_UNIFORMS
        if name not in taken and not re.search(_DECLARED_UNIFORM.format(re.escape(name)), body)
    ]
    return decls


def _declarations(shader: IsfShader) -> list[str]:
    return [f"uniform {kind} {name};" for kind, name in uniform_declarations(shader)]


def _assemble(head: list[str], body: str, first_line: int) -> str:
    return (
        "\n".join([*head, f"#line {first_line}"])
        + "\n"
        + body
        + ("" if body.endswith("\n") else "\n")
    )


def to_glsl330(shader: IsfShader) -> str:
    """A complete ``#version 330 core`` fragment shader for every pass of ``shader`` (the
    passes differ only by PASSINDEX, RENDERSIZE and which buffers are bound). Pair it with
    :data:`VERTEX_SHADER` (or :func:`vertex_glsl330` for a file with its own vertex shader).
    The body keeps the file's line numbers through ``#line``."""
    body, extensions = translate_body(shader)
    head = [
        "#version 330 core",
        *extensions,
        "// Generated by livesync from an ISF file: declarations first, then the file's",
        "// code, numbered as in the file by the #line below.",
        f"in vec2 {NORM_COORD};",
        f"out vec4 {FRAG_COLOR};",
        *_declarations(shader),
    ]
    return _assemble(head, body, shader.body_line)


# Two triangles (GL_TRIANGLES, 6 vertices) covering the output, as the reference host's quad:
# a custom vertex shader may compute varyings that are not linear in the position (clamped
# offsets), which only interpolate as the author saw them between the quad's own corners.
CUSTOM_VERTEX_COUNT = 6
_VERTEX_INIT = """const vec2 isf_quadCorners[6] = vec2[6](vec2(0.0, 0.0), vec2(1.0, 0.0),
    vec2(0.0, 1.0), vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0));
void isf_vertShaderInit() {
    vec2 corner = isf_quadCorners[gl_VertexID];
    isf_FragNormCoord = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}"""


def _vertex_name(shader: IsfShader) -> str:
    return re.sub(r"\.fs$|\.frag$|$", ".vs", shader.name, count=1)


def vertex_glsl330(
    shader: IsfShader, vertex_source: str | None = None, vertex_name: str | None = None
) -> str:
    """The vertex stage for ``shader``: :data:`VERTEX_SHADER` (draw 3 vertices) when the file
    has no vertex shader of its own, else that shader (the ISF file's ``.vs``/``.vert``
    companion, GLSL 1.x style: ``varying`` outputs, ``isf_vertShaderInit()`` first) as GLSL
    3.30 with the same uniforms, drawn as CUSTOM_VERTEX_COUNT vertices (GL_TRIANGLES).
    Errors name ``vertex_name`` (default: the ISF name with .vs)."""
    if vertex_source is None:
        return VERTEX_SHADER
    name = vertex_name or _vertex_name(shader)
    body, extensions = _translate(shader, vertex_source.lstrip("\ufeff"), 1, name, _VERTEX_WORDS)
    head = [
        "#version 330 core",
        *extensions,
        "// Generated by livesync from an ISF vertex shader.",
        f"out vec2 {NORM_COORD};",
        *_declarations(shader),
        _VERTEX_INIT,
    ]
    return _assemble(head, body, 1)


# Compiler log lines: Mesa "0:12(3): error: msg", NVIDIA "0(12) : error C0000: msg",
# AMD/Intel on Windows and glslang "ERROR: 0:12: msg".
_LOG_LINE = (
    re.compile(r"^\s*\d+:(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$"),
    re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),
    re.compile(r"^\s*(?P<kind>ERROR|WARNING):\s*\d+:(?P<line>\d+):\s*(?P<msg>.*)$"),
)


def map_error_line(compiler_log: str, shader: IsfShader, vertex_name: str | None = None) -> str:
    """The first error of a compiler log for ``to_glsl330(shader)`` (or its custom vertex
    stage: moderngl's log names the stage) as ``file:line: message``, the line being the
    user's file's (the #line directive already numbered it)."""
    name = shader.name
    for raw in compiler_log.splitlines():
        if raw.strip() == "vertex_shader":
            name = vertex_name or _vertex_name(shader)
        elif raw.strip() == "fragment_shader":
            name = shader.name
        for pattern in _LOG_LINE:
            m = pattern.match(raw)
            if m is None:
                continue
            message = m.group("msg").strip()
            if "kind" in m.groupdict():
                message = f"{m.group('kind').lower()}: {message}"
            if "error" in message.lower():
                return f"{name}:{m.group('line')}: {message}"
    stripped = [ln.strip() for ln in compiler_log.splitlines() if ln.strip()]
    errors = [ln for ln in stripped if "error" in ln.lower() and "failed" not in ln.lower()]
    detail = (errors or stripped or ["shader failed to compile"])[0]
    return f"{shader.name}: {detail}"
