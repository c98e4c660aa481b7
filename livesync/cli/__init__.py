"""`livesync <verb>`: the command line. Parses arguments, calls the library, and turns every
error a user can cause into one line on stderr and a non-zero exit status, never a traceback.

Exit status: 0 success, 2 bad input (file, argument), 3 missing device (display, sound card);
stopped by a signal: 128 + its number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), after the same
cleanup as Ctrl-C (no partial file, no ffmpeg left running).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from livesync import __version__
from livesync.app.logs import configure as configure_logging
from livesync.cli.files import (
    cmd_align,
    cmd_analyze,
    cmd_export,
    cmd_import,
    cmd_landmarks,
    export_choices,
)
from livesync.cli.options import (
    EXIT_DEVICE,
    EXIT_INPUT,
    FPS,
    RATE,
    SECONDS,
    Parser,
    add_live_args,
    add_render_args,
    add_show_args,
    number,
    size_arg,
    whole,
)
from livesync.cli.shows import (
    cmd_check,
    cmd_demo,
    cmd_devices,
    cmd_learn,
    cmd_play,
    cmd_render,
    cmd_snapshot,
)
from livesync.cli.signals import Stopped, stop_on_signals
from livesync.errors import DeviceError, InputError

VERBOSE_HELP = "debug lines too: every dropped OSC message, what sound and MIDI libraries printed"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=bool(getattr(args, "verbose", False)))
    try:
        with stop_on_signals():
            result: int = args.func(args)
        return result
    except InputError as exc:
        print(f"livesync: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except DeviceError as exc:
        print(f"livesync: {exc}", file=sys.stderr)
        return EXIT_DEVICE
    except Stopped as exc:
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # the last net: a file system problem no command foresaw
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"livesync: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT


SPEAKER_HELP = (
    "the speaker of a multi-speaker file to read (TextGrid '<speaker> - words' tiers, a "
    "Papagayo voice; 'all' merges speakers who take turns); default: the first"
)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="livesync",
        description="Lip-synced character visuals for your music: "
        "play them live or render a music video.",
    )
    parser.add_argument("--version", action="version", version=f"livesync {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    p = verbs.add_parser(
        "import",
        help="another tool's timing file to a livesync timeline, or face landmarks to a face track",
        description="Content decides. Timing files (Gentle JSON/CSV; TextGrids of MFA, Charsiu, "
        "WebMAUS, FAVE and Praat, text or binary; MFA JSON; Rhubarb; Papagayo .pgo/.pg2; Moho "
        ".dat; Polly marks) become a livesync timeline; face landmark JSON "
        "(RunwayML, face_recognition, `livesync landmarks`) a livesync face track: one face per "
        "frame (the largest, or --face N) or none, which reads back the same way.",
    )
    p.add_argument("file", type=Path, help="timing or landmark file (detected from its content)")
    p.add_argument("-o", "--output", type=Path, required=True, help="timeline/face track to write")
    p.add_argument("--fps", type=RATE, help="frame rate of a Moho .dat file (default 24)")
    p.add_argument("--speaker", metavar="NAME", help=SPEAKER_HELP)
    p.add_argument(
        "--face",
        type=whole(0, 9999, "a face index"),
        metavar="N",
        help="landmarks: keep face N, not the largest",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_import)

    p = verbs.add_parser(
        "analyze",
        help="lip sync from the sound alone (no lyrics): a timeline of mouth shapes",
        description="The live-vocal analyser run over a file: mouth shapes from loudness and "
        "spectrum, for scat, other languages or instrumental leads. The timeline plays, renders "
        "and exports (rhubarb-json, moho-dat, ...) like any other.",
    )
    p.add_argument("audio", type=Path, help="the vocal (or the mix), any format soundfile reads")
    p.add_argument("-o", "--output", type=Path, required=True, help="timeline to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_analyze)

    p = verbs.add_parser(
        "landmarks",
        help="face landmarks of a video as RunwayML's JSON (needs livesync[landmarks])",
        description="The largest face of each frame by dlib's 68-point model, as RunwayML's "
        'Face Landmarks JSON: [{"time": s, "landmarks": [face]}, ...], [] where there is none.',
    )
    p.add_argument("video", type=Path, help="the video (anything ffmpeg reads)")
    p.add_argument("-o", "--output", type=Path, required=True, help="landmark JSON to write")
    p.add_argument("--fps", type=RATE, help="frames per second to take (default: the video's)")
    p.add_argument(
        "--detect-every",
        type=whole(1, 1000, "a whole number of frames"),
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
    p.add_argument("--format", required=True, choices=export_choices(), help="what to write")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument("--fps", type=RATE, default=24.0, help="frame rate for moho-dat (default 24)")
    p.add_argument("--speaker", metavar="NAME", help=SPEAKER_HELP)
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
    add_show_args(p, demo=True)
    add_live_args(p)
    p.add_argument("--size", type=size_arg, help="window size WxH (default: the show's)")
    p.set_defaults(func=cmd_play)

    p = verbs.add_parser("render", help="render a show to a video file with its audio")
    add_show_args(p, demo=True)
    add_render_args(p, "video file to write (.mp4)")
    p.set_defaults(func=cmd_render)

    p = verbs.add_parser("snapshot", help="render one frame of a show to a PNG")
    add_show_args(p, demo=True)
    p.add_argument("--at", type=SECONDS, default=0.0, metavar="SECONDS", help="song time")
    p.add_argument(
        "--shader",
        type=Path,
        metavar="FILE",
        help="render this background shader alone, fed by the demo song's audio",
    )
    add_render_args(p, "PNG file to write", fps=False)
    p.set_defaults(func=cmd_snapshot)

    p = verbs.add_parser("demo", help="play the bundled demo song (or render it with --render)")
    p.add_argument("--render", type=Path, metavar="OUT.mp4", help="render to a video instead")
    p.add_argument("--size", type=size_arg, help="output size WxH (default 1280x720)")
    p.add_argument("--fps", type=FPS, help="frames per second of the video (default 30)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    add_live_args(p)
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
        type=number(float, 0.1, 3600, "seconds"),
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
    for command in verbs.choices.values():  # also after the command: livesync play -v
        command.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP
        )
    return parser
