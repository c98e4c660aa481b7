"""Edge: the pictures a show's scenes give their shaders' image inputs, as GL textures.

Every picture is read and uploaded once, when the renderer is built (a frame never waits for
a PNG decoder), once however many scenes name it with the same sampler settings, and released
with the renderer. A reloaded show borrows the running show's textures whose file and
settings are unchanged (livesync.render.reuse), as it borrows its layers: saving the show
file to move a cue must not decode every picture again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from livesync.errors import InputError
from livesync.render.images import Image, load_rgba, pixels
from livesync.render.reuse import Stamp, stamp
from livesync.show.channels import Channel
from livesync.show.scenes import Scene, all_channels

# The widest or tallest picture a channel takes: a 4K frame with room to spare. Shadertoy's
# own textures are 1024 pixels at most; a larger picture only costs memory and upload time.
MAX_SIDE = 8192


def channel_image(channel: Channel) -> Image:
    """The picture of `channel`, rows ordered as its vflip says (bottom row first when
    true, as GL stores an upright picture); one InputError naming the show file and the key
    when it cannot be read or is too large."""
    try:
        image = load_rgba(channel.file)
    except InputError as exc:
        raise InputError(channel.show, f"{channel.where}: {exc.problem} ({channel.file})") from None
    if max(image.width, image.height) > MAX_SIDE:
        raise InputError(
            channel.show,
            f"{channel.where}: the picture is {image.width}x{image.height} pixels, larger than "
            f"{MAX_SIDE} on a side ({channel.file})",
        )
    if channel.vflip:
        return image
    rows = np.ascontiguousarray(pixels(image)[::-1])
    return Image(image.width, image.height, rows.tobytes())


def channel_texture(ctx: Any, channel: Channel) -> Any:
    """A texture of `channel`'s picture with its sampler settings (filter, wrap)."""
    image = channel_image(channel)
    texture = ctx.texture((image.width, image.height), 4, image.rgba)
    if channel.filter == "mipmap":
        texture.build_mipmaps()  # sets LINEAR_MIPMAP_LINEAR, LINEAR
    elif channel.filter == "nearest":
        texture.filter = (ctx.NEAREST, ctx.NEAREST)
    else:
        texture.filter = (ctx.LINEAR, ctx.LINEAR)
    texture.repeat_x = texture.repeat_y = channel.wrap == "repeat"
    return texture


class ChannelTextures:
    """The textures of every channel of a show's scenes, by channel."""

    def __init__(
        self, ctx: Any, scenes: Sequence[Scene] = (), reuse: ChannelTextures | None = None
    ) -> None:
        """`reuse`: the running show's, whose unchanged textures are borrowed (owned there
        until take_over)."""
        self._textures: dict[Channel, tuple[Any, Stamp]] = {}
        self._borrowed: set[int] = set()  # ids of textures `reuse` still owns
        self._lent: set[int] = set()  # ids of textures a newer renderer took over
        self.scenes: list[dict[str, Any]] = []  # each scene's images(), by scene index
        try:
            for channel in _unique(pictures(scenes)):
                now = stamp((channel.file,))
                old = reuse._textures.get(channel) if reuse is not None else None
                if old is not None and old[1] == now and now[0] is not None:
                    self._textures[channel] = old
                    self._borrowed.add(id(old[0]))
                else:
                    self._textures[channel] = (channel_texture(ctx, channel), now)
        except Exception:
            self.release()
            raise
        self.scenes = [self.images(s) for s in scenes]

    def images(self, scene: Scene) -> dict[str, Any]:
        """The textures of `scene`'s picture files by input name, for a layer's `images`
        (the pictures drawn each frame are the renderer's; a buffer's are "A:iChannel1")."""
        return {
            name: self._textures[c][0]
            for name, c in all_channels(scene).items()
            if isinstance(c, Channel)
        }

    def take_over(self, old: ChannelTextures) -> None:
        """What this borrowed from `old` is now this one's: `old` releases the rest."""
        old._lent.update(self._borrowed)
        self._borrowed.clear()

    def release(self) -> None:
        for texture, _ in self._textures.values():
            if id(texture) not in self._borrowed and id(texture) not in self._lent:
                texture.release()
        self._textures.clear()
        self.scenes = []


def _unique(channels: Iterable[Channel]) -> list[Channel]:
    return list(dict.fromkeys(channels))


def pictures(scenes: Sequence[Scene]) -> list[Channel]:
    """The scenes' channels that are picture files, in order."""
    return [c for s in scenes for c in all_channels(s).values() if isinstance(c, Channel)]


def channel_files(scenes: Sequence[Scene]) -> tuple[Path, ...]:
    """Every picture file the scenes' channels read (for `livesync check` and the watcher)."""
    return tuple(dict.fromkeys(c.file for c in pictures(scenes)))
