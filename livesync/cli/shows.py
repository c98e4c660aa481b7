"""Commands that draw or play a show: snapshot, render, play, demo, learn, check, devices.
Edges are imported inside each command, so `livesync --help` starts fast anywhere."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from livesync.cli.options import EXIT_INPUT, check_output, override, show_from_args
from livesync.errors import InputError
from livesync.show.set_list import SetList
from livesync.show.show_file import Output, Show, load_show


def cmd_snapshot(args: argparse.Namespace) -> int:
    from livesync.api import render_png

    if args.shader is not None:
        if args.show is not None or args.demo:
            raise InputError(args.shader, "--shader renders a shader alone: give no show")
        args.demo = True
    elif args.landmarks is not None and args.show is None and not args.demo:
        return _snapshot_puppet(args)
    show = show_from_args(args)
    what = f"frame at {args.at:.3f} s"
    if args.shader is not None:
        show, what = _shader_alone(show, args.shader, args.at)
    check_output(args.output, args.force)
    render_png(show, args.at, args.output, show.output.size)
    print(f"{args.output}: {what}", file=sys.stderr)
    return 0


# The two pictures `snapshot --shader` shows a transition between: bundled backgrounds.
TRANSITION_FROM = "backgrounds/neon_grid.glsl"
TRANSITION_TO = "backgrounds/plasma.glsl"


def _shader_alone(show: Show, shader: Path, at: float) -> tuple[Show, str]:
    """The demo reduced to one shader, and what the picture shows. An ISF transition has
    nothing to draw alone: it is shown half way (progress 0.5) from one bundled background
    to another, which a cue fading over 1 s around `at` gives."""
    from dataclasses import replace

    from livesync.errors import read_user_text
    from livesync.glsl.isf_header import parse_isf
    from livesync.resources import shader_path
    from livesync.show.scenes import Scene, SceneCue

    text = read_user_text(shader, "shader file")
    transition = shader.suffix.lower() == ".fs" and _is_transition(parse_isf, text, shader)
    if not transition:
        one = Scene("shader", shader, character=False)
        return replace(show, scenes=(one,), cues=()), f"frame at {at:.3f} s"
    scenes = (
        Scene("from", shader_path(TRANSITION_FROM), character=False),
        Scene("to", shader_path(TRANSITION_TO), character=False),
    )
    cue = SceneCue(at - 0.5, 1, fade=1.0, transition=shader)
    what = (
        f"{shader.name} is an ISF transition: shown half way (progress 0.5) from "
        f"{TRANSITION_FROM} to {TRANSITION_TO}"
    )
    return replace(show, scenes=scenes, cues=(cue,)), what


def _is_transition(parse: object, text: str, shader: Path) -> bool:
    try:
        return bool(parse(text, str(shader)).kind == "transition")  # type: ignore[operator]
    except InputError:
        return False  # not valid ISF: drawing it says why


def _snapshot_puppet(args: argparse.Namespace) -> int:
    """`snapshot --landmarks FACE.json [--timeline T.json]`: the puppet alone, with no show
    and no song; with a timeline its lips follow the visemes, else the recorded lips."""
    from dataclasses import replace

    from livesync.api import draw_png
    from livesync.app.prepare import prepare_without_audio
    from livesync.formats.landmarks import read_face_track
    from livesync.resources import shader_path
    from livesync.show.scenes import Scene
    from livesync.show.show_file import Character, resolve_shader

    track = read_face_track(args.landmarks)
    performance = prepare_without_audio(args.timeline, track.duration)
    character = Character(landmarks=args.landmarks, height=0.9)
    character = replace(character, puppet=replace(character.puppet, lip_sync=bool(args.timeline)))
    background = (
        resolve_shader(args.background, Path.cwd())
        if args.background
        else shader_path("puppet/backdrop.glsl")
    )
    effects = tuple(resolve_shader(e, Path.cwd()) for e in args.effect)
    check_output(args.output, args.force)
    size = args.size or Output().size
    draw_png(
        performance,
        (Scene("puppet", background, effects=effects),),
        character,
        args.at,
        args.output,
        size,
    )
    print(f"{args.output}: puppet at {args.at:.3f} s", file=sys.stderr)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from livesync.app.progress import ProgressBar

    if _set_list_given(args):
        return _render_set(args)
    show = show_from_args(args)
    check_output(args.output, args.force)
    return _render(show, args.output, ProgressBar("render"))


def _render_set(args: argparse.Namespace) -> int:
    """`render SET.toml -o OUT.mp4`: the whole set in one video (livesync.app.set_render)."""
    from livesync.api import render_set
    from livesync.app.progress import ProgressBar

    set_list = _set_list(args, "renders")
    check_output(args.output, args.force)
    started = time.perf_counter()
    frames = render_set(
        set_list, args.output, ProgressBar("render set"), lambda show: override(show, args)
    )
    took = time.perf_counter() - started
    print(
        f"{args.output}: {len(set_list.songs)} songs, {frames} frames in {took:.1f} s",
        file=sys.stderr,
    )
    return 0


def _set_list(args: argparse.Namespace, verb: str) -> SetList:
    """The set list named on the command line; a show's own options have no place there."""
    from livesync.show.set_list import load_set_list

    if args.timeline is not None or args.background or args.image:
        raise InputError(
            args.show,
            f"a set list {verb} its songs' own shows: give no --timeline, --background or --image",
        )
    return load_set_list(args.show)


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
    if _set_list_given(args):
        return _play_set(args)
    return _play(show_from_args(args), args)


def _set_list_given(args: argparse.Namespace) -> bool:
    from livesync.show.set_list import looks_like_set_list

    show = getattr(args, "show", None)
    return show is not None and not getattr(args, "demo", False) and looks_like_set_list(show)


def _play_set(args: argparse.Namespace) -> int:
    """`play SET.toml`: the set list's songs in one window (livesync.app.set_player)."""

    from livesync.api import play_set

    if args.live_vocal or args.loop:
        raise InputError(args.show, "--live-vocal and --loop are for one show, not a set list")
    set_list = _set_list(args, "plays")
    if args.frame_log is not None:
        check_output(args.frame_log, force=True)
    play_set(
        set_list,
        silent=args.silent,
        hud=args.hud,
        osc_host=args.osc_host,
        osc_port=args.osc_port,
        frame_log=args.frame_log,
        exit_at_end=args.exit_at_end,
        adjust=lambda show: override(show, args),
        ndi=args.ndi,
    )
    return 0


def _play(show: Show, args: argparse.Namespace) -> int:
    from livesync.api import play

    if args.frame_log is not None:  # a log is rewritten on every run: no --force needed
        check_output(args.frame_log, force=True)
    if args.input is not None and not args.live_vocal:
        raise InputError(None, "--input names the input for --live-vocal; add --live-vocal")
    play(
        show,
        silent=args.silent,
        exit_at_end=args.exit_at_end,
        hud=args.hud,
        osc_host=args.osc_host,
        osc_port=args.osc_port,
        frame_log=args.frame_log,
        loop=args.loop,
        live_vocal=args.live_vocal,
        vocal_input=args.input,
        ndi=args.ndi,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    args.show, args.demo, args.timeline, args.background, args.image = None, True, None, None, None
    show = show_from_args(args)
    if args.render is not None:
        from livesync.app.progress import ProgressBar

        check_output(args.render, args.force)
        return _render(show, args.render, ProgressBar("render demo"))
    return _play(show, args)


def cmd_learn(args: argparse.Namespace) -> int:
    from livesync.app.learn import learn

    check_output(args.output, args.force)
    return learn(load_show(args.show), args.output, args.port, args.timeout)


def cmd_check(args: argparse.Namespace) -> int:
    from livesync.app.check import check_set, check_show
    from livesync.show.set_list import looks_like_set_list

    report = check_set(args.show) if looks_like_set_list(args.show) else check_show(args.show)
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
