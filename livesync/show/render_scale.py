"""`render_scale`: how much of the output's resolution the backgrounds and effects are drawn
at, for a machine that cannot draw a heavy scene at the refresh rate (`[output]`, or per
scene in `[[scenes]]`).

    [output]
    render_scale = "auto"     # or a number from 0.5 to 1; omitted: everything at full size

A number draws the scene's background and its effects at that fraction of the output's width
and height, upscaled; the character, its mouth and the HUD stay sharp at full resolution,
drawn over the effects. "auto" starts at 1 and is lowered when frames miss the refresh and
raised again when there is headroom (livesync.frame.render_scale). A scene's own value wins
over the output's. With a render scale the scene's effects apply to the background under
the character, at every scale, so a changing auto scale never changes the look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from livesync.errors import InputError
from livesync.values import describe, finite

AUTO: Literal["auto"] = "auto"
LOWEST = 0.5  # below this a background is a blur: drop effects instead
RenderScale = float | Literal["auto"] | None


def parse_render_scale(value: object, key: str, path: Path) -> RenderScale:
    """None for a missing key; a number 0.5..1 or "auto", else one InputError naming it."""
    if value is None:
        return None
    if value == AUTO:
        return AUTO
    if isinstance(value, str):
        raise InputError(
            path, f'{key}: expected a number from {LOWEST} to 1 or "auto", got {describe(value)}'
        )
    return finite(value, key, path, minimum=LOWEST, maximum=1.0)


def scale_now(setting: RenderScale, auto: float | None) -> float | None:
    """The scale a scene is drawn at this frame, from its setting (the output's folded in
    when the show is read): None draws as without a render scale (effects over the
    character, all at full size); a number as set; "auto" as the controller has it now.
    Offline (`auto` None) every scene draws at full size: a video has no refresh to keep."""
    if setting is None:
        return None
    if auto is None:
        return 1.0
    return auto if setting == AUTO else float(setting)
