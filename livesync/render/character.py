"""Edge: draws the character over a scene's background: the still picture with its mouth
(livesync's vector mouth, or the user's drawings through livesync.render.sprite_mouth) and
its blinks, or instead a face puppet from a landmark track (livesync.render.puppet).

Every part moves with the frame's idle pose (head bob, sway, breathing) as one body: points
go through `livesync.lipsync.idle.place` about the character's centre, so a picture, its
mouth, its lids and a puppet's face cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import moderngl

from livesync.errors import InputError
from livesync.frame.state import FrameState
from livesync.lipsync.idle import place
from livesync.render.layers import set_uniform as _set
from livesync.render.lids import Lids
from livesync.render.picture_cache import premultiplied_picture
from livesync.render.puppet import Puppet
from livesync.render.sprite_mouth import SpriteMouth
from livesync.render.vector_mouth import VectorMouth
from livesync.resources import shader_path
from livesync.show.eyes import BLINK_SWAP
from livesync.show.scenes import Scene
from livesync.show.show_file import Character

Point = tuple[float, float]


class Picture:
    """The character picture (and its eyes-closed twin, for blinks) on the GPU, premultiplied
    and clamped to its edges: wrapping, linear filtering at the top edge pulled in the bottom
    row (a 1-pixel line of shirt over the hair)."""

    def __init__(self, ctx: Any, character: Character, corners: Any) -> None:
        assert character.image is not None
        self.ctx = ctx
        picture = premultiplied_picture(character.image)
        self.aspect = picture.width / picture.height
        self.height = picture.height
        self._mipmapped: bool | None = None
        self.textures = [self._texture(picture)]
        eyes = character.eyes
        if eyes is not None and eyes.closed is not None:
            closed = premultiplied_picture(eyes.closed)
            if (closed.width, closed.height) != (picture.width, picture.height):
                self.release_textures()
                raise InputError(
                    eyes.closed,
                    f"the eyes-closed picture is {closed.width}x{closed.height} pixels; it "
                    f"must match the character picture ({picture.width}x{picture.height})",
                )
            self.textures.append(self._texture(closed))
        self.program = ctx.program(
            vertex_shader=shader_path("common/quad.vert").read_text(encoding="utf-8"),
            fragment_shader=shader_path("common/image.frag").read_text(encoding="utf-8"),
        )
        _set(self.program, "u_premultiplied", True)
        self.vao = ctx.vertex_array(self.program, [(corners, "2f", "in_corner")])

    def _texture(self, image: Any) -> Any:
        texture = self.ctx.texture((image.width, image.height), 4, image.rgba)
        texture.repeat_x = texture.repeat_y = False
        texture.build_mipmaps()
        return texture

    def draw(self, center: Point, height: float, angle: float, eyes_shut: bool, size: Any) -> None:
        """`height` pixels tall at `center` (pixels, y up); the eyes-closed picture while
        `eyes_shut`, where there is one. Blending is premultiplied."""
        # Trilinear filtering only where the picture is shrunk: it costs twice as much on a
        # software renderer and changes nothing when the picture is magnified.
        mipmapped = height < 0.75 * self.height
        if mipmapped is not self._mipmapped:
            for texture in self.textures:
                texture.filter = (
                    (moderngl.LINEAR_MIPMAP_LINEAR if mipmapped else moderngl.LINEAR),
                    moderngl.LINEAR,
                )
            self._mipmapped = mipmapped
        self.ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
        self.textures[-1 if eyes_shut else 0].use(0)
        p = self.program
        _set(p, "u_image", 0)
        _set(p, "u_resolution", (float(size[0]), float(size[1])))
        _set(p, "u_center", center)
        _set(p, "u_half_size", (height * self.aspect / 2, height / 2))
        _set(p, "u_angle", angle)
        self.vao.render(moderngl.TRIANGLE_STRIP)

    def release_textures(self) -> None:
        for texture in self.textures:
            texture.release()

    def release(self) -> None:
        self.release_textures()
        self.vao.release()
        self.program.release()


class CharacterLayer:
    """The character's GL parts, built from the show's [character] table."""

    def __init__(self, ctx: Any, character: Character, corners: Any) -> None:
        for _ in self.build(ctx, character, corners):
            pass

    def build(self, ctx: Any, character: Character, corners: Any) -> Generator[None, None, None]:
        """The construction, pausing after each part (a set list builds the next song's
        renderer a piece a frame: livesync.render.in_steps). Stopped early (closed), it
        releases what it made."""
        self.ctx = ctx
        self.character = character
        self.picture: Picture | None = None
        self.lids: Lids | None = None
        self.sprite: SpriteMouth | None = None
        self.puppet: Puppet | None = None
        self.mouth = VectorMouth(ctx, corners)
        try:
            yield
            if character.landmarks is not None:
                self.puppet = Puppet(ctx, character, self.mouth)
                yield
            if character.mouth_sheet is not None:
                self.sprite = SpriteMouth(ctx, character.mouth_sheet, corners)
                yield
            if character.image is not None:
                self.picture = Picture(ctx, character, corners)
                self.lids = Lids(ctx, corners)
        except BaseException:  # GeneratorExit too: a build stopped early
            self.release()
            raise

    def release(self) -> None:
        for part in (self.picture, self.lids, self.sprite, self.puppet, self.mouth):
            if part is not None:
                part.release()

    def opacity(self, state: FrameState) -> float:
        """How visible the character is: a face puppet fades out in a long gap of its
        recording (and is gone, 0, until the face comes back); a picture is always there."""
        if self.puppet is None:
            return 1.0
        sample = self.puppet.sample(state.time)
        return 0.0 if sample is None else sample.visibility

    def draw(
        self, state: FrameState, size: tuple[int, int], scene: Scene, solid: bool = False
    ) -> None:
        """Into the bound framebuffer, blending over what is there; `solid` draws a fading
        character at full opacity (the renderer lays it over at its opacity)."""
        self.ctx.enable(moderngl.BLEND)
        if self.puppet is not None:  # a face puppet draws instead of the picture
            self.puppet.draw(state, size, scene.mouth_colors, solid)
            return
        w, h = size
        c = self.character
        if self.picture is not None:
            ih = c.height * h
            center, scale = self.idle_place((c.center[0] * w, (1 - c.center[1]) * h), state, size)
            eyes = c.eyes
            shut = eyes is not None and eyes.closed is not None and state.idle.lids >= BLINK_SWAP
            self.picture.draw(center, scale * ih, state.idle.angle, shut, size)
            self._draw_lids(state, size, ih)
        mouth_center, mouth_width = self.place(w, h)
        mouth_center, scale = self.idle_place(mouth_center, state, size)
        if self.sprite is not None and self.sprite.sheet.used_in(scene.name):
            width = scale * self.sprite_width(w, h)
            self.sprite.draw(self.ctx, state, mouth_center, width, size)
            return
        colors = {**vars(c.colors), **scene.mouth_colors}
        self.mouth.draw(
            self.ctx, state.pose, mouth_center, scale * mouth_width, state.idle.angle, colors, size
        )

    def _draw_lids(self, state: FrameState, size: tuple[int, int], picture_h: float) -> None:
        """Lids over the picture's eyes while it blinks, moving with the idle motion; none
        where the show gives an eyes-closed picture instead."""
        eyes = self.character.eyes
        if eyes is None or eyes.closed is not None or state.idle.lids <= 0.0:
            return
        assert self.picture is not None and self.lids is not None
        w, h = size
        picture_w = picture_h * self.picture.aspect
        left = self.character.center[0] * w - picture_w / 2
        top = self.character.center[1] * h - picture_h / 2
        placed = [
            self.idle_place((left + x * picture_w, h - (top + y * picture_h)), state, size)
            for x, y in eyes.at
        ]
        eye_size = (eyes.size[0] * picture_w, eyes.size[1] * picture_h)
        self.lids.draw(eyes, state.idle, placed, eye_size, size)

    def idle_place(
        self, point: Point, state: FrameState, size: tuple[int, int]
    ) -> tuple[Point, float]:
        """Where a point of the character (pixels, y up) is after the frame's idle motion,
        and the scale to draw at there."""
        w, h = size
        c = self.character
        center = (c.center[0] * w, (1 - c.center[1]) * h)
        x, y = place(state.idle, point, center, c.height * h)
        return (float(x), float(y)), state.idle.scale

    def sprite_width(self, w: int, h: int) -> float:
        """Pixels across a drawing: the sheet's own width, else the mouth width, of the
        picture's width (of the screen height without a picture)."""
        c = self.character
        sheet = c.mouth_sheet
        fraction = sheet.width if sheet is not None and sheet.width is not None else c.mouth_width
        if self.picture is None:
            return fraction * h
        return fraction * c.height * h * self.picture.aspect

    def place(self, w: int, h: int) -> tuple[Point, float]:
        """Mouth centre (pixels, y up) and width (pixels) for this output size, before the
        idle motion."""
        c = self.character
        if self.picture is None:
            mx, my = c.mouth
            return (mx * w, (1 - my) * h), c.mouth_width * h
        ih = c.height * h
        iw = ih * self.picture.aspect
        left = c.center[0] * w - iw / 2
        top = c.center[1] * h - ih / 2
        x = left + c.mouth[0] * iw
        y = top + c.mouth[1] * ih
        return (x, h - y), c.mouth_width * iw
