"""A scene's Shadertoy multipass: Buffer A-D and the Common tab, as Shadertoy's tabs paste.

    [[scenes]]
    background = "fluid/image.glsl"                      # the Image tab
    common = "fluid/common.glsl"                         # the Common tab (optional)
    buffers = { A = "fluid/buffer_a.glsl", B = "fluid/buffer_b.glsl" }
    buffer_channels = { A = { iChannel0 = "A", iChannel1 = "noise.png" }, B = { iChannel0 = "A" } }
    channels = { iChannel0 = "B" }                       # the Image tab's channels

Each tab's channels are a table as `channels` is (livesync.show.channels); `"A"`..`"D"` (or
`{ buffer = "A" }`) is that buffer's output. Shadertoy shows a buffer's channels under its
own tab, so they get their own table, keyed by the buffer's letter; the scene's `channels`
stay the Image tab's (and the effects'). Everything here is parsing and checking: the
passes are drawn by livesync.render.multipass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from livesync.errors import InputError
from livesync.show.channels import BUFFERS, BufferSource, Source, parse_channels
from livesync.values import file_name, key_text, kind_of


def parse_buffers(
    table: dict[str, Any], key: str, source: Path, find: Callable[[str], Path]
) -> tuple[dict[str, Path], Path | None, dict[str, dict[str, Source]]]:
    """(buffers by letter in drawing order, the common file or None, each buffer's channels)
    of the scene table at `key` ("scenes[0]"); one InputError naming the key per mistake."""
    buffers: dict[str, Path] = {}
    if "buffers" in table:
        raw = table["buffers"]
        if not isinstance(raw, dict):
            raise InputError(
                source,
                f'{key}.buffers: expected a table {{ A = "buffer_a.glsl", ... }}, '
                f"got {kind_of(raw)}",
            )
        for letter, name in raw.items():
            where = f"{key}.buffers.{key_text(letter)}"
            if letter not in BUFFERS:
                raise InputError(source, f"{where}: Shadertoy's buffers are A, B, C and D")
            buffers[letter] = find(file_name(name, where, source))
        buffers = {b: buffers[b] for b in BUFFERS if b in buffers}  # Shadertoy's order
    common = None
    if "common" in table:
        common = find(file_name(table["common"], f"{key}.common", source))
    reads: dict[str, dict[str, Source]] = {}
    if "buffer_channels" in table:
        raw = table["buffer_channels"]
        if not isinstance(raw, dict):
            raise InputError(
                source,
                f'{key}.buffer_channels: expected a table {{ A = {{ iChannel0 = "A" }} }}, '
                f"got {kind_of(raw)}",
            )
        for letter, channels in raw.items():
            where = f"{key}.buffer_channels.{key_text(letter)}"
            if letter not in buffers:
                have = ", ".join(buffers) or "none"
                raise InputError(
                    source, f"{where}: no buffer {letter} (the scene's buffers: {have})"
                )
            parsed = parse_channels(channels, where, source, find)
            for name in parsed:
                if not name.startswith("iChannel"):
                    raise InputError(
                        source, f"{where}.{key_text(name)}: a buffer reads iChannel0-3 only"
                    )
            reads[letter] = dict(parsed)
    return buffers, common, reads


def check_buffer_reads(
    buffers: Mapping[str, Path], tables: list[Mapping[str, Source]], source: Path
) -> None:
    """That every buffer a channel reads is one of the scene's."""
    for table in tables:
        for item in table.values():
            if isinstance(item, BufferSource) and item.buffer not in buffers:
                have = ", ".join(buffers) or 'none: add `buffers = { A = "buffer_a.glsl" }`'
                raise InputError(
                    source, f"{item.where}: no buffer {item.buffer} (the scene's buffers: {have})"
                )
