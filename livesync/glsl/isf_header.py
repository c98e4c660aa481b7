"""Reading an ISF file's header: the leading ``/*{ JSON }*/`` comment split from the GLSL
body, and its top-level keys, PASSES (with v1's PERSISTENT_BUFFERS) and IMPORTED images read
into an IsfShader. Every error is an InputError naming the file and the key, so a user can
fix a downloaded shader without reading livesync's code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from livesync.errors import InputError
from livesync.glsl.isf_expr import ExpressionError, parse_expression
from livesync.glsl.isf_inputs import parse_inputs
from livesync.glsl.isf_model import NUMERIC_TYPES, ImportedImage, IsfShader, PassSpec
from livesync.glsl.isf_reader import Reader, type_name


def _split_header(source: str, name: str) -> tuple[str, int, str, int]:
    """(JSON text, file line where it starts, body, file line where the body starts)."""
    text = source.lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped.startswith("/*"):
        raise InputError(name, "no ISF header: the file must start with a /*{ ... }*/ JSON comment")
    start = len(text) - len(stripped) + 2
    end = text.find("*/", start)
    if end < 0:
        raise InputError(name, "the ISF header comment /* ... is never closed with */")
    json_line = text.count("\n", 0, start) + 1
    body_line = text.count("\n", 0, end) + 1
    # The rest of the */ line stays in the body, after blanks standing for the header part of
    # that line, so nothing is lost and the body's lines and columns are the file's.
    column = end + 2 - (text.rfind("\n", 0, end) + 1)
    return text[start:end], json_line, " " * column + text[end + 2 :], body_line


def parse_isf(source: str, name: str) -> IsfShader:
    """Read an ISF file's text. ``name`` (usually the path) names the file in errors, which
    are :class:`InputError` naming the key, e.g. ``INPUTS[2].TYPE: 'colour' is not an ISF
    input type``."""
    json_text, json_line, body, body_line = _split_header(source, name)
    try:
        top = json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise InputError(
            name, f"line {json_line + exc.lineno - 1}: the ISF header is not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:  # [[[[... thousands deep: no header nests like that
        raise InputError(name, "the ISF header is not valid JSON: nested too deeply") from None
    except ValueError:  # an integer of thousands of digits (Python's int parsing limit)
        raise InputError(name, "the ISF header is not valid JSON: a number too long") from None
    if not isinstance(top, dict):
        raise InputError(
            name, f"the ISF header must be a JSON object {{...}}, not {type_name(top)}"
        )
    r = Reader(name)
    version = r.text(top.get("ISFVSN", "1"), "ISFVSN")
    if not isinstance(version, str):
        raise r.error("ISFVSN", f'expected a version string such as "2", got {version!r}')
    categories = top.get("CATEGORIES", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise r.error("CATEGORIES", "expected a list of strings")
    inputs = parse_inputs(r, top.get("INPUTS"))
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


def _parse_imported(r: Reader, raw: Any) -> tuple[ImportedImage, ...]:
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
        raise r.error("IMPORTED", f"expected an object of images, got {type_name(raw)}")
    result: list[ImportedImage] = []
    for key, value in entries:
        if not isinstance(value, dict):
            raise r.error(key, f"expected an object with a PATH, got {type_name(value)}")
        if value.get("TYPE") == "cube":
            raise r.error(f"{key}.TYPE", "cube maps are not supported")
        image_name = r.name(value, "NAME", f"{key}.")
        if not isinstance(value.get("PATH"), str) or not value["PATH"]:
            raise r.error(f"{key}.PATH", "expected the image file's path, relative to the ISF file")
        result.append(ImportedImage(image_name, value["PATH"]))
    return tuple(result)


@dataclass(frozen=True)
class _BufferSpec:
    """A v1 buffer's settings; WIDTH/HEIGHT stay as the file wrote them until the passes are
    read, because only then are the inputs they may name known."""

    float: bool | None = None
    width: Any = None
    height: Any = None


def _size_expr(r: Reader, raw: Any, where: str, numeric: set[str]) -> str | None:
    """A WIDTH/HEIGHT as expression text, checked now so a bad one is a load error, not a
    failure on the first frame; the names it may use are the numeric inputs."""
    value = r.text(raw, where)
    if value is None:
        return None
    if not isinstance(value, str):
        raise r.error(where, f'expected an expression such as "$WIDTH/2", got {type_name(value)}')
    try:
        expr = parse_expression(value)
    except ExpressionError as exc:
        raise r.error(where, f"{exc} in {value!r}") from None
    known = numeric | {"WIDTH", "HEIGHT"}
    unknown = sorted(expr.names - known)
    if unknown:
        raise r.error(
            where,
            f"unknown name ${unknown[0]} in {value!r} (known: "
            f"{', '.join('$' + n for n in sorted(known))})",
        )
    return value


def _parse_persistent_buffers(r: Reader, raw: Any) -> dict[str, _BufferSpec]:
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
        raise r.error("PERSISTENT_BUFFERS", f"expected a list of names, got {type_name(raw)}")
    result: dict[str, _BufferSpec] = {}
    for key, value in raw.items():
        spec = value if isinstance(value, dict) else {}
        path = f"PERSISTENT_BUFFERS.{key}."
        result[key] = _BufferSpec(
            r.flag(spec, "FLOAT", path), spec.get("WIDTH"), spec.get("HEIGHT")
        )
    return result


def _parse_passes(
    r: Reader, raw: Any, persistent: dict[str, _BufferSpec], numeric: set[str]
) -> tuple[PassSpec, ...]:
    if raw is None or raw == []:
        return (PassSpec(None),)
    if isinstance(raw, dict):  # some v1 files give a single pass as an object
        raw = [raw]
    if not isinstance(raw, list):
        raise r.error("PASSES", f"expected a list of passes, got {type_name(raw)}")
    result: list[PassSpec] = []
    for index, item in enumerate(raw):
        path = f"PASSES[{index}]."
        if not isinstance(item, dict):
            raise r.error(f"PASSES[{index}]", f"expected an object, got {type_name(item)}")
        target = None if item.get("TARGET") in (None, "") else r.name(item, "TARGET", path)
        v1 = persistent.get(target or "")
        v1_path = f"PERSISTENT_BUFFERS.{target}."
        width = _size_expr(r, item.get("WIDTH"), f"{path}WIDTH", numeric)
        if width is None and v1 is not None:
            width = _size_expr(r, v1.width, f"{v1_path}WIDTH", numeric)
        height = _size_expr(r, item.get("HEIGHT"), f"{path}HEIGHT", numeric)
        if height is None and v1 is not None:
            height = _size_expr(r, v1.height, f"{v1_path}HEIGHT", numeric)
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
