"""The INPUTS of an ISF header: each entry read into an IsfInput whose range and default are
always usable, filled in the way the spec's reference host fills them, because these inputs
become show parameters that MIDI faders and OSC drive to their very ends."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from livesync.glsl.isf_model import INPUT_TYPES, IsfInput
from livesync.glsl.isf_reader import Reader, type_name

log = logging.getLogger("livesync")


def parse_inputs(r: Reader, raw: Any) -> tuple[IsfInput, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.error("INPUTS", f"expected a list of inputs, got {type_name(raw)}")
    result: list[IsfInput] = []
    for index, item in enumerate(raw):
        path = f"INPUTS[{index}]."
        if not isinstance(item, dict):
            raise r.error(f"INPUTS[{index}]", f"expected an object, got {type_name(item)}")
        if "NAME" not in item:
            raise r.error(f"{path}NAME", "missing (every input needs a NAME)")
        name = r.name(item, "NAME", path)
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
    r: Reader, lo: float | None, hi: float | None, path: str, fallback: tuple[float, float]
) -> tuple[float, float]:
    """MIN/MAX with the missing ends filled in so the range is never empty. MIN above MAX
    (an official file has one) is a slip, not a reason to refuse the shader: the reference
    host draws it and its fader spans the two ends, so the ends are swapped, with a warning."""
    if lo is not None and hi is not None and lo > hi:
        log.warning(
            "%s: %sMIN %g is greater than MAX %g; using the range %g..%g",
            r.source,
            path,
            lo,
            hi,
            hi,
            lo,
        )
        lo, hi = hi, lo
    if lo is None:
        lo = fallback[0] if hi is None else min(fallback[0], hi - 1.0)
    if hi is None:
        hi = max(fallback[1], lo + 1.0)
    return lo, hi


def _float_input(
    r: Reader,
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
    r: Reader,
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
    r: Reader,
    item: Mapping[str, Any],
    path: str,
    name: str,
    kind: str,
    label: str,
    description: str,
) -> IsfInput:
    return IsfInput(name, kind, label, False, description=description)


def _long_input(
    r: Reader,
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
        problem = f"expected a non-empty list of whole numbers, got {json.dumps(raw_values)}"
        if not isinstance(raw_values, list) or not raw_values:
            raise r.error(f"{path}VALUES", problem)
        numbers = r.numbers(raw_values, f"{path}VALUES", problem)
        if not all(n.is_integer() for n in numbers):
            raise r.error(f"{path}VALUES", problem)
        values = tuple(int(n) for n in numbers)
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
    r: Reader,
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
    r: Reader,
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
    r: Reader,
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
    str, Callable[[Reader, Mapping[str, Any], str, str, str, str, str], IsfInput]
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
