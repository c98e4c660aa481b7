"""Arguments several commands share, and turning them into a Show."""

from __future__ import annotations

import argparse
from pathlib import Path

from livesync.errors import InputError
from livesync.resources import demo_show
from livesync.show.show_file import (
    DEFAULT_BACKGROUND,
    Show,
    load_show,
    resolve_shader,
    single_scene_show,
)

EXIT_INPUT = 2  # bad input: a file, an argument
EXIT_DEVICE = 3  # a missing device: display, sound card, an optional extra


def add_show_args(p: argparse.ArgumentParser, demo: bool = False) -> None:
    p.add_argument(
        "show",
        type=Path,
        nargs="?" if demo else None,
        help="show file (.toml), or an audio file together with --timeline",
    )
    if demo:
        p.add_argument("--demo", action="store_true", help="use the bundled demo show")
    p.add_argument("--timeline", type=Path, help="timeline or Gentle JSON for an audio file")
    p.add_argument(
        "--background",
        metavar="SHADER",
        help="background shader file or bundled name such as backgrounds/plasma.glsl",
    )
    p.add_argument("--image", type=Path, help="character picture (PNG)")
    p.add_argument(
        "--landmarks",
        type=Path,
        metavar="FACE.json",
        help="draw a face puppet from these landmarks (RunwayML JSON or a face track) "
        "instead of the picture",
    )
    p.add_argument(
        "--effect",
        action="append",
        default=[],
        metavar="SHADER",
        help="add a post effect (ISF filter, e.g. effects/bloom.fs) to every "
        "scene; repeat for a chain",
    )


def add_live_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fullscreen", action="store_true", help="fill the display")
    p.add_argument("--display", type=int, help="display index (see `livesync devices`)")
    p.add_argument(
        "--silent",
        action="store_true",
        help="no sound: run on the wall clock (no audio device needed)",
    )
    p.add_argument(
        "--offset-ms",
        type=float,
        help="display/projector lag to compensate: the picture is drawn this "
        "many ms ahead of the sound",
    )
    at_end = p.add_mutually_exclusive_group()
    at_end.add_argument("--exit-at-end", action="store_true", help="quit when the song ends")
    at_end.add_argument(
        "--loop",
        action="store_true",
        help="when the song ends, play it again from the start (walk-in visuals, long shows)",
    )
    p.add_argument("--hud", action="store_true", help="start with the HUD shown (H toggles)")
    p.add_argument(
        "--osc-port",
        type=int,
        metavar="N",
        help="listen for OSC on this UDP port (default: the show's, else 9000)",
    )
    p.add_argument(
        "--frame-log",
        type=Path,
        metavar="FILE",
        help="write each frame's number, song time, scene and the monotonic "
        "time it was shown to FILE (then the flip time it was drawn for and the time "
        "its drawing was done)",
    )
    p.add_argument(
        "--osc-host",
        metavar="ADDR",
        help="listen for OSC on this address (default 127.0.0.1: this machine)",
    )


def add_render_args(p: argparse.ArgumentParser, what: str, fps: bool = True) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, help=what)
    p.add_argument("--size", type=size_arg, help="output size WxH (default: the show's)")
    if fps:
        p.add_argument("--fps", type=int, help="frames per second (default: the show's)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")


def size_arg(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"size {text} is out of range (16..8192)")
    return w, h


def show_from_args(args: argparse.Namespace) -> Show:
    if getattr(args, "demo", False) or args.show is None:
        if args.show is not None:
            raise InputError(args.show, "give either a show/audio file or --demo, not both")
        if not getattr(args, "demo", False):
            raise InputError(None, "give a show file, an audio file with --timeline, or --demo")
        show = load_show(demo_show())
    elif args.show.suffix.lower() == ".toml":
        show = load_show(args.show)
    else:
        if args.timeline is None:
            raise InputError(
                args.show,
                "an audio file needs --timeline TIMELINE.json (or pass a .toml show file)",
            )
        show = single_scene_show(
            args.show, args.timeline, resolve_shader(DEFAULT_BACKGROUND, Path.cwd())
        )
    return override(show, args)


def override(show: Show, args: argparse.Namespace) -> Show:
    from dataclasses import replace

    if args.background:
        show = show.with_background(resolve_shader(args.background, Path.cwd()))
    if args.image:
        show = replace(show, character=replace(show.character, image=args.image))
    if getattr(args, "landmarks", None):
        show = replace(show, character=replace(show.character, landmarks=args.landmarks))
    if getattr(args, "effect", None):
        extra = tuple(resolve_shader(e, Path.cwd()) for e in args.effect)
        show = replace(
            show, scenes=tuple(replace(s, effects=(*s.effects, *extra)) for s in show.scenes)
        )
    out = show.output
    if getattr(args, "size", None):
        out = replace(out, size=args.size)
    if getattr(args, "fps", None):
        if args.fps <= 0 or args.fps > 240:
            raise InputError(None, f"--fps must be between 1 and 240, got {args.fps}")
        out = replace(out, fps=args.fps)
    if getattr(args, "fullscreen", False):
        out = replace(out, fullscreen=True)
    if getattr(args, "display", None) is not None:
        out = replace(out, display=args.display)
    if getattr(args, "offset_ms", None) is not None:
        out = replace(out, offset_ms=args.offset_ms)
    return replace(show, output=out)


def check_output(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(path, "already exists; use --force to overwrite it")
    if not path.parent.exists():
        raise InputError(path, f"folder {path.parent} does not exist")
