"""What an ISF v2 file means once its header is read: inputs, passes, imported images and the
names every pass gets. Frozen dataclasses, so the header reader (isf_header), the size
expressions (isf_expr), the GLSL translation (isf_glsl) and the renderer all agree on one
shape and none of them can change a parsed shader behind another's back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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

# (GLSL type, name, meaning): what every ISF pass gets, declared by isf_glsl.to_glsl330().
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


def image_uniforms(name: str) -> tuple[tuple[str, str], ...]:
    """The helper uniforms the reference hosts declare for every image (input, IMPORTED
    image, pass TARGET), as (GLSL type, name): its size in pixels, the part of the texture it
    fills (``_imgRect``: x, y, width, height, 0..1) and whether it is stored upside down
    (``_flip``). livesync's images always fill their texture the right way up, so the renderer
    sets (0, 0, 1, 1) and false; files written for VDMX read them anyway."""
    return (
        ("vec2", f"_{name}_imgSize"),
        ("vec4", f"_{name}_imgRect"),
        ("bool", f"_{name}_flip"),
    )


def texcoord_varyings(name: str) -> tuple[str, str]:
    """The per-image varyings the reference hosts' vertex stage computes: the texture
    coordinate of this fragment in the image, normalized and in pixels."""
    return (f"_{name}_normTexCoord", f"_{name}_texCoord")


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
        return image_uniforms(self.name) if self.is_image else ()


@dataclass(frozen=True)
class PassSpec:
    """One entry of PASSES. ``target`` None draws to the output; ``width_expr`` and
    ``height_expr`` (None: the render size) are evaluated by :func:`isf_expr.pass_size`."""

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
class VertexSource:
    """A vertex shader of an ISF file (``NAME.vs`` next to ``NAME.fs``): ``name`` names the
    file in compiler errors, whose lines are the file's."""

    name: str
    text: str


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
    vertex: VertexSource | None = None  # None: the hosts' pass-through vertex stage
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
    def images(self) -> tuple[str, ...]:
        """Every name a pass can sample: image-like inputs, IMPORTED images, pass TARGETs."""
        names = [i.name for i in self.inputs if i.is_image]
        names += [i.name for i in self.imported]
        return (*names, *self.targets)

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
        """Every value input at its DEFAULT, ready for :func:`isf_expr.pass_size` or uniforms."""
        return {i.name: i.default for i in self.inputs if i.default is not None}


def date_value(now: datetime) -> tuple[float, float, float, float]:
    """The DATE uniform for a moment: (year, month 1-12, day 1-31, seconds since midnight)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (float(now.year), float(now.month), float(now.day), (now - midnight).total_seconds())
