"""Typed reading of an ISF header's JSON values, every error naming the key path
("INPUTS[0].MIN: expected a number, got a string").

ISF files come from many hosts and spell things loosely: a flag may be true, 1 or "YES", a
version or a size may be 2 or "2". This module accepts those spellings and nothing else;
numbers go through livesync.values, the reader every user file shares, so NaN and infinity
(which Python's json module reads) are refused here exactly as in a show file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from livesync.errors import InputError
from livesync.glsl.isf_model import BUILTIN_UNIFORMS, FRAG_COLOR, NORM_COORD
from livesync.values import describe, finite

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
_TRUE_WORDS = frozenset({"true", "yes", "1"})
_FALSE_WORDS = frozenset({"false", "no", "0"})


def type_name(value: Any) -> str:
    """A JSON value's kind in JSON's words (an object, not a table), for structure errors."""
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


class Reader:
    """Typed access to one file's header JSON. ``path`` arguments are the key path of the
    object being read ("INPUTS[2]."), so each error says where to look."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, key: str, message: str) -> InputError:
        return InputError(self.source, f"{key}: {message}")

    def string(self, obj: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(f"{path}{key}", f"expected a string, got {type_name(value)}")
        return value

    def name(self, obj: Mapping[str, Any], key: str, path: str) -> str:
        """A string the generated GLSL can declare: checked here, because a bad name would
        otherwise surface as a compiler error on a line the user never wrote."""
        value = self.string(obj, key, path)
        where = f"{path}{key}"
        if not _IDENT.match(value) or value.startswith("gl_") or "__" in value:
            raise self.error(
                where,
                f"{value!r} is not a valid GLSL name (letters, digits and _, not "
                "starting with a digit or gl_, no __)",
            )
        if value in _RESERVED:
            raise self.error(where, f"{value!r} is a name ISF declares itself")
        if value in _GLSL_WORDS:
            raise self.error(
                where, f"{value!r} is a GLSL keyword or reserved word; pick another name"
            )
        return value

    def number(self, obj: Mapping[str, Any], key: str, path: str) -> float | None:
        value = obj.get(key)
        return None if value is None else finite(value, f"{path}{key}", self.source)

    def integer(self, obj: Mapping[str, Any], key: str, path: str) -> int | None:
        """A whole number, written as 3 or 3.0 (JSON writers differ)."""
        value = self.number(obj, key, path)
        if value is None:
            return None
        if not value.is_integer():
            raise self.error(f"{path}{key}", f"expected a whole number, got {describe(value)}")
        return int(value)

    def flag(self, obj: Mapping[str, Any], key: str, path: str) -> bool | None:
        """A boolean as ISF files write them: true/false, a number (> 0 is true) or a
        string such as "true"/"YES"/"1"."""
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return finite(value, f"{path}{key}", self.source) > 0
        if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            return value.strip().lower() in _TRUE_WORDS
        raise self.error(f"{path}{key}", f"expected true or false, got {value!r}")

    def text(self, value: Any, where: str) -> Any:
        """``value`` with a number turned into its shortest text: files write "ISFVSN": 2 and
        "WIDTH": 64 as often as the strings. Anything else is the caller's to judge."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{finite(value, where, self.source):g}"
        return value

    def numbers(self, value: list[Any], where: str, problem: str) -> tuple[float, ...]:
        """Every item of a list as a finite number, or one error ``problem`` for the list:
        a colour or a menu is written as one thing, so it is reported as one."""
        try:
            return tuple(finite(v, f"{where}[{i}]", self.source) for i, v in enumerate(value))
        except InputError:
            raise self.error(where, problem) from None

    def vector(
        self, obj: Mapping[str, Any], key: str, path: str, sizes: tuple[int, ...]
    ) -> tuple[float, ...] | None:
        value = obj.get(key)
        if value is None:
            return None
        want = " or ".join(str(s) for s in sizes)
        problem = f"expected a list of {want} numbers, got {json.dumps(value)}"
        if not isinstance(value, list) or len(value) not in sizes:
            raise self.error(f"{path}{key}", problem)
        return self.numbers(value, f"{path}{key}", problem)
