"""`livesync check SHOW`: everything that can go wrong with a show, found before the gig.

Loads the show file, the timeline, the audio, the picture, the drawn mouths and the face
landmarks, compiles every scene's shader headlessly, and lists files next to the show that
nothing uses (a renamed shader that is no longer referenced is a common surprise on stage).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livesync.errors import InputError

if TYPE_CHECKING:
    from livesync.show.scenes import Scene

MEDIA = {
    ".glsl",
    ".frag",
    ".fs",
    ".wav",
    ".flac",
    ".ogg",
    ".mp3",
    ".png",
    ".jpg",
    ".jpeg",
    ".json",
    ".lrc",
    ".txt",
    ".textgrid",
}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    unused: list[Path] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def check_show(path: Path) -> Report:
    """Problems (each one line naming a file) and unused files; raises nothing for content."""
    from livesync.audio.decode import blocks
    from livesync.formats import load
    from livesync.formats.landmarks import read_face_track
    from livesync.render.channels import channel_image, pictures
    from livesync.render.images import load_rgba
    from livesync.render.layers import load_layer
    from livesync.render.renderer import create_headless_context
    from livesync.render.sprite_mouth import load_drawings
    from livesync.render.transitions import load_transition
    from livesync.show.show_file import load_show

    report = Report()
    show = load_show(path)  # a show that does not parse is one problem: let it raise
    used = {_real(path)}

    def attempt(what: str, target: Path, action: object) -> None:
        used.add(_real(target))
        try:
            action()  # type: ignore[operator]
            report.checked.append(f"{what}: {target}")
        except InputError as exc:
            report.problems.append(str(exc))

    attempt("timeline", show.timeline, lambda: load(show.timeline))
    # Decoded to the end a block at a time: a 6-hour recording is checked in bounded memory.
    attempt("audio", show.audio, lambda: sum(1 for _ in blocks(show.audio)))
    if show.character.image is not None:
        image = show.character.image
        attempt("picture", image, lambda: load_rgba(image))
    eyes = show.character.eyes
    if eyes is not None and eyes.closed is not None:
        closed = eyes.closed
        attempt("eyes-closed picture", closed, lambda: load_rgba(closed))
    sheet = show.character.mouth_sheet
    if sheet is not None:
        attempt("mouth drawings", sheet.source, lambda: load_drawings(sheet))
    landmarks = show.character.landmarks
    if landmarks is not None:
        attempt("face landmarks", landmarks, lambda: read_face_track(landmarks))
    for channel in dict.fromkeys(pictures(show.scenes)):
        attempt(channel.where, channel.file, lambda c=channel: channel_image(c))
    ctx = create_headless_context()

    def compile_layer(shader: Path, transition: bool = False) -> None:
        layer = load_transition(ctx, shader) if transition else load_layer(ctx, shader)
        used.update(_real(f) for f in layer.files)  # its .vs and IMPORTED images too
        layer.release()

    for scene in show.scenes:
        background = partial(_compile_background, ctx, scene, used)
        attempt(f"scene {scene.name}", scene.background, background)
        for shader in scene.effects:
            attempt(f"scene {scene.name}", shader, lambda s=shader: compile_layer(s))
    for shader in show.transitions:
        attempt("transition", shader, lambda s=shader: compile_layer(s, transition=True))
    folder = path.parent
    report.unused = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in MEDIA
        and _real(p) not in used
        and not p.name.startswith(".")
    )
    return report


def _compile_background(ctx: Any, scene: Scene, used: set[Path]) -> None:
    """Compile a scene's background, a multipass's buffers and Common tab too, and count
    every file it is made of as used."""
    from livesync.render.multipass import load_background

    layer = load_background(ctx, scene)
    used.update(_real(f) for f in layer.files)
    layer.release()


def _real(path: Path) -> Path:
    """The file a path names, through symlinks; a symlink loop is itself (its reading is
    the problem reported), not a RuntimeError from Path.resolve."""
    return Path(os.path.realpath(path))


def check_set(path: Path) -> Report:
    """`livesync check SET.toml`: every song's show as check_show checks it (its lines
    named by song), and the interlude's shaders. A song whose show file does not even read
    is one problem, and the other songs are still checked."""
    from livesync.render.layers import load_layer
    from livesync.render.renderer import create_headless_context
    from livesync.show.set_list import load_set_list

    set_list = load_set_list(path)  # a set list that does not parse is one problem: raise
    report = Report()
    for entry in set_list.songs:
        try:
            song = check_show(entry.show)
        except InputError as exc:
            report.problems.append(f"song {entry.name}: {exc}")
            continue
        report.checked += [f"song {entry.name}: {line}" for line in song.checked]
        report.problems += [f"song {entry.name}: {line}" for line in song.problems]
        report.unused += song.unused
    ctx = create_headless_context()
    for shader in (set_list.interlude.background, *set_list.interlude.effects):
        try:
            load_layer(ctx, shader).release()
            report.checked.append(f"interlude: {shader}")
        except InputError as exc:
            report.problems.append(f"interlude: {exc}")
    ctx.release()
    return report
