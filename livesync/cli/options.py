"""Arguments several commands share, their values checked as they are parsed, and turning
them into a Show.

A value out of range is refused by argparse with one line naming the option
(`livesync: error: argument --fps: ...`), never accepted and discovered later as a frozen
clock or a render that never ends.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from livesync.errors import InputError
from livesync.resources import demo_show
from livesync.show.show_file import (
    DEFAULT_BACKGROUND,
    PerformerScreen,
    Show,
    load_show,
    resolve_shader,
    single_scene_show,
)
from livesync.values import LONGEST_SONG, MAX_FPS, MAX_OFFSET_MS  # as show files and OSC

EXIT_INPUT = 2  # bad input: a file, an argument
EXIT_DEVICE = 3  # a missing device: display, sound card, an optional extra


_NEGATIVE = re.compile(r"^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE)


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line naming the option and one hint line, not
    the whole usage block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # `--offset-ms -1e3` or `-inf` is a value (refused or not by its type), not an option
        self._negative_number_matcher = _NEGATIVE

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"livesync: error: {message}\n(see `{self.prog} --help`)\n")
        sys.exit(EXIT_INPUT)


def number(
    kind: Callable[[str], float], low: float, high: float, what: str
) -> Callable[[str], float]:
    """An argparse type: a finite `kind` (int or float) from `low` to `high`."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except (ValueError, OverflowError):
            value = math.nan
        if not low <= value <= high:  # NaN fails too
            raise argparse.ArgumentTypeError(
                f"expected {what} from {low:g} to {high:g}, got {text!r}"
            )
        return value

    return parse


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""
    parse = number(int, low, high, what)
    return lambda text: int(parse(text))


FPS = whole(1, MAX_FPS, "a whole number of frames per second")
RATE = number(float, 1, MAX_FPS, "frames per second")  # Moho files, landmark sampling
SECONDS = number(float, 0, LONGEST_SONG, "seconds")


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
    p.add_argument(
        "--display",
        type=whole(0, 63, "a display index"),
        help="display index (see `livesync devices`)",
    )
    p.add_argument(
        "--silent",
        action="store_true",
        help="no sound: run on the wall clock (no audio device needed)",
    )
    p.add_argument(
        "--offset-ms",
        type=number(float, -MAX_OFFSET_MS, MAX_OFFSET_MS, "milliseconds"),
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
        type=whole(0, 65535, "a UDP port"),
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
    p.add_argument(
        "--performer",
        type=whole(0, 63, "a display index"),
        nargs="?",
        const=0,
        metavar="DISPLAY",
        help="also open the performer's screen on DISPLAY (default 0): the show small with "
        "the HUD, while the main window stays clean for the projector ([output.performer])",
    )
    p.add_argument(
        "--live-vocal",
        action="store_true",
        help="move the mouth from a live input (the singer's microphone or the desk's vocal "
        "channel) analysed in real time; the timeline's mouth shows while the input is silent",
    )
    p.add_argument(
        "--input",
        type=device_arg,
        metavar="DEVICE",
        help="the input for --live-vocal: an index or part of a name from `livesync devices` "
        "(default: the system's default input)",
    )
    p.add_argument(
        "--ndi",
        nargs="?",
        const="livesync",
        type=ndi_name,
        metavar="NAME",
        help="also send the picture as an NDI source named NAME (default livesync) at the "
        "show's size and frame rate, for OBS, Resolume, vMix...; needs "
        "pip install 'livesync[ndi]'",
    )


def add_render_args(p: argparse.ArgumentParser, what: str, fps: bool = True) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, help=what)
    p.add_argument("--size", type=size_arg, help="output size WxH (default: the show's)")
    if fps:
        p.add_argument("--fps", type=FPS, help="frames per second (default: the show's)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")


def device_arg(text: str) -> int | str:
    """A sound device as PortAudio takes it: an index, or a substring of its name."""
    text = text.strip()
    if not text:
        raise argparse.ArgumentTypeError("expected a device index or part of its name")
    return int(text) if text.isdigit() else text


def ndi_name(text: str) -> str:
    """An NDI source name: receivers list it as "HOST (NAME)", so it must say something."""
    text = text.strip()
    if not text:
        raise argparse.ArgumentTypeError("expected a name for the NDI source")
    return text


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
    if getattr(args, "fps", None) is not None:
        out = replace(out, fps=args.fps)
    if getattr(args, "fullscreen", False):
        out = replace(out, fullscreen=True)
    if getattr(args, "display", None) is not None:
        out = replace(out, display=args.display)
    if getattr(args, "performer", None) is not None:
        screen = out.performer or PerformerScreen()
        out = replace(out, performer=replace(screen, display=args.performer))
    if getattr(args, "offset_ms", None) is not None:
        out = replace(out, offset_ms=args.offset_ms)
    return replace(show, output=out)


def check_output(path: Path, force: bool) -> None:
    """Before any work: `-o` can be written and may be (see livesync.devices.files)."""
    from livesync.devices import files

    files.check_output(path, force)
