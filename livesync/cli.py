"""`livesync <verb>`: the command line. Parses arguments, calls the library, and turns every
error a user can cause into one line on stderr and a non-zero exit status, never a traceback.

Exit status: 0 success, 2 bad input (file, argument), 3 missing device (display, sound card).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from livesync import __version__
from livesync.app.logs import configure as configure_logging
from livesync.errors import DeviceError, InputError
from livesync.resources import demo_show
from livesync.show.show_file import (
    DEFAULT_BACKGROUND,
    Output,
    Show,
    load_show,
    resolve_shader,
    single_scene_show,
)

EXIT_INPUT = 2
EXIT_DEVICE = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    try:
        result: int = args.func(args)
        return result
    except InputError as exc:
        print(f"livesync: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except DeviceError as exc:
        print(f"livesync: {exc}", file=sys.stderr)
        return EXIT_DEVICE
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livesync",
        description="Lip-synced character visuals for your music: "
        "play them live or render a music video.",
    )
    parser.add_argument("--version", action="version", version=f"livesync {__version__}")
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    p = verbs.add_parser(
        "import",
        help="another tool's timing file to a livesync timeline, or face landmarks to a face track",
        description="Content decides. Timing files (Gentle JSON/CSV, MFA TextGrid/JSON, Rhubarb, "
        "Papagayo, Moho .dat, Polly marks) become a livesync timeline; face landmark JSON "
        "(RunwayML, face_recognition, `livesync landmarks`) a livesync face track: one face per "
        "frame (the largest, or --face N) or none, which reads back the same way.",
    )
    p.add_argument("file", type=Path, help="timing or landmark file (detected from its content)")
    p.add_argument("-o", "--output", type=Path, required=True, help="timeline/face track to write")
    p.add_argument("--fps", type=float, help="frame rate of a Moho .dat file (default 24)")
    p.add_argument("--face", type=int, metavar="N", help="landmarks: keep face N, not the largest")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_import)

    p = verbs.add_parser(
        "landmarks",
        help="face landmarks of a video as RunwayML's JSON (needs livesync[landmarks])",
        description="The largest face of each frame by dlib's 68-point model, as RunwayML's "
        'Face Landmarks JSON: [{"time": s, "landmarks": [face]}, ...], [] where there is none.',
    )
    p.add_argument("video", type=Path, help="the video (anything ffmpeg reads)")
    p.add_argument("-o", "--output", type=Path, required=True, help="landmark JSON to write")
    p.add_argument("--fps", type=float, help="frames per second to take (default: the video's)")
    p.add_argument(
        "--detect-every",
        type=int,
        default=5,
        metavar="N",
        help="search the whole frame every N frames, tracking the face in between (default 5)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_landmarks)

    p = verbs.add_parser(
        "export",
        help="write a timeline for Rhubarb-, Moho- or "
        "Gentle-reading tools (After Effects, Spine, Godot, OpenToonz...)",
    )
    p.add_argument("timeline", type=Path, help="a livesync timeline or any importable file")
    p.add_argument("--format", required=True, choices=_export_formats(), help="what to write")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument("--fps", type=float, default=24.0, help="frame rate for moho-dat (default 24)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_export)

    p = verbs.add_parser("align", help="align lyrics to a song offline (words and phones)")
    p.add_argument("audio", type=Path, help="the song (WAV, FLAC, OGG or MP3)")
    p.add_argument("lyrics", type=Path, help="lyrics as text (one line per sung line) or LRC")
    p.add_argument("-o", "--output", type=Path, required=True, help="timeline JSON to write")
    p.add_argument(
        "--vocals",
        type=Path,
        metavar="STEM",
        help="the isolated vocal stem of the same song: aligned instead of the mix",
    )
    p.add_argument(
        "--format",
        choices=("livesync", "gentle"),
        default="livesync",
        help="output format: livesync timeline (default) or Gentle-compatible JSON",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_align)

    p = verbs.add_parser("play", help="play a show in a window (or fullscreen) with sound")
    _add_show_args(p, demo=True)
    _add_live_args(p)
    p.add_argument("--size", type=_size, help="window size WxH (default: the show's)")
    p.set_defaults(func=cmd_play)

    p = verbs.add_parser("render", help="render a show to a video file with its audio")
    _add_show_args(p, demo=True)
    _add_render_args(p, "video file to write (.mp4)")
    p.set_defaults(func=cmd_render)

    p = verbs.add_parser("snapshot", help="render one frame of a show to a PNG")
    _add_show_args(p, demo=True)
    p.add_argument("--at", type=float, default=0.0, metavar="SECONDS", help="song time")
    p.add_argument(
        "--shader",
        type=Path,
        metavar="FILE",
        help="render this background shader alone, fed by the demo song's audio",
    )
    _add_render_args(p, "PNG file to write", fps=False)
    p.set_defaults(func=cmd_snapshot)

    p = verbs.add_parser("demo", help="play the bundled demo song (or render it with --render)")
    p.add_argument("--render", type=Path, metavar="OUT.mp4", help="render to a video instead")
    p.add_argument("--size", type=_size, help="output size WxH (default 1280x720)")
    p.add_argument("--fps", type=int, help="frames per second of the video (default 30)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _add_live_args(p)
    p.set_defaults(func=cmd_demo)

    p = verbs.add_parser(
        "learn",
        help="MIDI learn: touch a control for each scene and "
        "parameter of a show; writes a mapping file the show can include",
    )
    p.add_argument("show", type=Path, help="show file (.toml)")
    p.add_argument("-o", "--output", type=Path, required=True, help="mapping file to write")
    p.add_argument(
        "--port", help="MIDI input port (substring of its name; default: the show's [midi] port)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        help="seconds to wait for each control before skipping it",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_learn)

    p = verbs.add_parser("check", help="check a show file: files, timeline, audio, shaders")
    p.add_argument("show", type=Path, help="show file (.toml)")
    p.set_defaults(func=cmd_check)

    p = verbs.add_parser("devices", help="list audio outputs, displays and MIDI inputs")
    p.set_defaults(func=cmd_devices)
    return parser


def _add_show_args(p: argparse.ArgumentParser, demo: bool = False) -> None:
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
        "--effect",
        action="append",
        default=[],
        metavar="SHADER",
        help="add a post effect (ISF filter, e.g. effects/bloom.fs) to every "
        "scene; repeat for a chain",
    )


def _add_live_args(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--exit-at-end", action="store_true", help="quit when the song ends")
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
        "time it was shown to FILE",
    )
    p.add_argument(
        "--osc-host",
        metavar="ADDR",
        help="listen for OSC on this address (default 127.0.0.1: this machine)",
    )


def _add_render_args(p: argparse.ArgumentParser, what: str, fps: bool = True) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, help=what)
    p.add_argument("--size", type=_size, help="output size WxH (default: the show's)")
    if fps:
        p.add_argument("--fps", type=int, help="frames per second (default: the show's)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"size {text} is out of range (16..8192)")
    return w, h


def _show_from_args(args: argparse.Namespace) -> Show:
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
    return _override(show, args)


def _override(show: Show, args: argparse.Namespace) -> Show:
    from dataclasses import replace

    if args.background:
        show = show.with_background(resolve_shader(args.background, Path.cwd()))
    if args.image:
        show = replace(show, character=replace(show.character, image=args.image))
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


def _check_output(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(path, "already exists; use --force to overwrite it")
    if not path.parent.exists():
        raise InputError(path, f"folder {path.parent} does not exist")


def _export_formats() -> list[str]:
    from livesync.formats.registry import export_formats

    return export_formats()


def cmd_export(args: argparse.Namespace) -> int:
    from livesync.formats import read_timeline, write_timeline

    _check_output(args.output, args.force)
    timeline = read_timeline(args.timeline)
    args.output.write_text(write_timeline(timeline, args.format, fps=args.fps), encoding="utf-8")
    print(f"{args.output}: {args.format}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from livesync.formats import landmarks, registry, write_timeline

    _check_output(args.output, args.force)
    content = registry.read_content(args.file)
    if registry.detect_kind(content) == "face":
        track = landmarks.read(content, face=args.face)
        landmarks.save(track, args.output, force=args.force)
        faces = f"{track.face_count}/{len(track)} frames with a face"
        print(f"{args.output}: face track, {faces}, {track.duration:.2f} s", file=sys.stderr)
        return 0
    timeline = registry.timeline_of(content, fps=args.fps)
    args.output.write_text(write_timeline(timeline, "livesync"), encoding="utf-8")
    found = len(timeline.aligned_words())
    cues = f", {len(timeline.cues)} mouth cues" if timeline.cues else ""
    print(
        f"{args.output}: {found}/{len(timeline.words)} words aligned, "
        f"{len(timeline.phones)} phones{cues}, {timeline.duration:.2f} s",
        file=sys.stderr,
    )
    return 0


def cmd_landmarks(args: argparse.Namespace) -> int:
    from livesync.app.progress import ProgressBar
    from livesync.formats import landmarks
    from livesync.vision import extractor

    _check_output(args.output, args.force)
    extract_face_track = extractor()  # the optional extra, or DeviceError: how to install it
    started = time.perf_counter()
    track = extract_face_track(
        args.video, fps=args.fps, detect_every=args.detect_every, progress=ProgressBar("landmarks")
    )
    landmarks.save(track, args.output, form="runway", force=args.force)
    took = time.perf_counter() - started
    found = f"{track.face_count}/{len(track)} frames with a face, {track.duration:.2f} s of video"
    print(f"{args.output}: {found} in {took:.1f} s", file=sys.stderr)
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    from livesync.align import align_files
    from livesync.app.progress import ProgressBar
    from livesync.formats import write_timeline

    _check_output(args.output, args.force)
    result = align_files(args.audio, args.lyrics, vocals=args.vocals, progress=ProgressBar("align"))
    args.output.write_text(write_timeline(result.timeline, args.format), encoding="utf-8")
    print(f"{args.output}: {result.summary()}", file=sys.stderr)
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from livesync.api import render_png

    if args.shader is not None:
        if args.show is not None or args.demo:
            raise InputError(args.shader, "--shader renders a shader alone: give no show")
        args.demo = True
    show = _show_from_args(args)
    if args.shader is not None:
        from dataclasses import replace

        from livesync.show.scenes import Scene

        show = replace(show, scenes=(Scene("shader", args.shader, character=False),), cues=())
    _check_output(args.output, args.force)
    render_png(show, args.at, args.output, show.output.size)
    print(f"{args.output}: frame at {args.at:.3f} s", file=sys.stderr)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from livesync.app.progress import ProgressBar

    show = _show_from_args(args)
    _check_output(args.output, args.force)
    return _render(show, args.output, ProgressBar("render"))


def _render(show: Show, out: Path, progress: object) -> int:
    from livesync.api import render_video

    started = time.perf_counter()
    frames = render_video(show, out, progress=progress)  # type: ignore[arg-type]
    took = time.perf_counter() - started
    o: Output = show.output
    print(
        f"{out}: {frames} frames at {o.size[0]}x{o.size[1]}, {o.fps} fps in {took:.1f} s "
        f"({frames / took:.1f} fps)",
        file=sys.stderr,
    )
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from livesync.api import play

    show = _show_from_args(args)
    play(
        show,
        silent=args.silent,
        exit_at_end=args.exit_at_end,
        hud=args.hud,
        osc_host=args.osc_host,
        osc_port=args.osc_port,
        frame_log=args.frame_log,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    args.show, args.demo, args.timeline, args.background, args.image = None, True, None, None, None
    show = _show_from_args(args)
    if args.render is not None:
        from livesync.app.progress import ProgressBar

        _check_output(args.render, args.force)
        return _render(show, args.render, ProgressBar("render demo"))
    from livesync.api import play

    play(
        show,
        silent=args.silent,
        exit_at_end=args.exit_at_end,
        hud=args.hud,
        osc_host=args.osc_host,
        osc_port=args.osc_port,
        frame_log=args.frame_log,
    )
    return 0


def cmd_learn(args: argparse.Namespace) -> int:
    from livesync.app.learn import learn

    _check_output(args.output, args.force)
    return learn(load_show(args.show), args.output, args.port, args.timeout)


def cmd_check(args: argparse.Namespace) -> int:
    from livesync.app.check import check_show

    report = check_show(args.show)
    for line in report.checked:
        print(f"ok  {line}", file=sys.stderr)
    for unused in report.unused:
        print(f"unused file (not referenced by the show): {unused}", file=sys.stderr)
    for problem in report.problems:
        print(f"livesync: error: {problem}", file=sys.stderr)
    if report.problems:
        return EXIT_INPUT
    print(f"{args.show}: ok", file=sys.stderr)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from livesync.devices.listing import describe_devices

    print(describe_devices())
    return 0


if __name__ == "__main__":
    sys.exit(main())
