"""How the character moves besides lip sync: the mouth style and the idle motion (pure).

[character]
style = "singing"        # "speech" (the default, the mouth as the timeline says) or "singing"

[character.idle]         # each 0 turns it off; OSC and MIDI drive them as idle_blink...
blink = 1.0              # blinks: how far the lids close (1 fully)
bob = 0.5                # head bob on the beat: 1 is a clear nod
sway = 0.5               # sway over the bar: 1 is about 2 degrees each way
breath = 1.0             # breathing in rests longer than 1.5 s

The defaults keep a show written before these settings existed looking as it did for the
mouth (speech), and give every character gentle idle life unless its show turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from livesync.control.state import ParamSpec
from livesync.errors import InputError
from livesync.lipsync.idle import PARAM_NAMES, IdleAmounts
from livesync.lipsync.singing import MouthStyle
from livesync.values import describe, finite

# The top of each idle parameter's control range (a knob's full turn), unless the show's own
# amount is higher: past 1 a blink cannot close the lids further.
IDLE_MAXIMA: dict[str, float] = {"blink": 1.0, "bob": 2.0, "sway": 2.0, "breath": 2.0}
MAX_IDLE = 10.0  # the most a show may set: ten times a clear nod is already a blur


@dataclass(frozen=True)
class CharacterLife:
    style: MouthStyle = MouthStyle.SPEECH
    idle: IdleAmounts = field(default_factory=IdleAmounts)


def parse_character_life(table: dict[str, Any], path: Path) -> CharacterLife:
    """`[character] style` and `[character.idle]` from a parsed show file (its top-level
    table); a missing key keeps its default, a wrong one is an InputError naming its key."""
    character = _table(table, "character", "character", path)
    return CharacterLife(_style(character, path), _idle(character, path))


def idle_param_specs(amounts: IdleAmounts) -> tuple[ParamSpec, ...]:
    """The idle amounts as show parameters, so OSC and MIDI can reach them like any other;
    each rests at the show's own amount."""
    specs: list[ParamSpec] = []
    for name, param in PARAM_NAMES.items():
        default = float(getattr(amounts, name))
        specs.append(ParamSpec(param, 0.0, max(IDLE_MAXIMA[name], default), default))
    return tuple(specs)


def _table(data: dict[str, Any], name: str, key: str, path: Path) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(path, f"{key}: expected a table, got {describe(value)}")
    return value


def _style(character: dict[str, Any], path: Path) -> MouthStyle:
    value = character.get("style", MouthStyle.SPEECH.value)
    choices = " or ".join(f'"{s.value}"' for s in MouthStyle)
    if not isinstance(value, str) or value not in {s.value for s in MouthStyle}:
        raise InputError(path, f"character.style: expected {choices}, got {describe(value)}")
    return MouthStyle(value)


def _idle(character: dict[str, Any], path: Path) -> IdleAmounts:
    idle = _table(character, "idle", "character.idle", path)
    known = [f.name for f in fields(IdleAmounts)]
    unknown = sorted(set(idle) - set(known))
    if unknown:
        raise InputError(
            path,
            f"character.idle.{unknown[0]}: not an idle motion (motions: {', '.join(known)})",
        )
    defaults = IdleAmounts()
    return IdleAmounts(
        **{
            name: finite(idle[name], f"character.idle.{name}", path, minimum=0.0, maximum=MAX_IDLE)
            if name in idle
            else getattr(defaults, name)
            for name in known
        }
    )
