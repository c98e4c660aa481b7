"""Commands that turn files into files: import, export, align, landmarks. None of them needs
a display or a sound card, so none imports an edge at module level.

Each checks its `-o` before the work (an hour of aligning must not end in "permission
denied") and writes it all or nothing through livesync.devices.files."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from livesync.cli.options import check_output

if TYPE_CHECKING:
    from livesync.lipsync.timeline import Timeline


def export_choices() -> list[str]:
    from livesync.formats.registry import export_formats

    return export_formats()


def cmd_export(args: argparse.Namespace) -> int:
    from livesync.devices.files import write_text
    from livesync.formats import read_timeline, write_timeline

    check_output(args.output, args.force)
    timeline = read_timeline(args.timeline, speaker=args.speaker)
    _check_speaker(args.timeline, timeline, args.speaker)
    write_text(args.output, write_timeline(timeline, args.format, fps=args.fps))
    print(f"{args.output}: {args.format}{_speaker_note(timeline)}", file=sys.stderr)
    return 0


def _check_speaker(path: object, timeline: Timeline, speaker: str | None) -> None:
    """--speaker on a file that has no speakers to pick from is a mistake worth a line, not
    something to ignore: the user expects another voice than the one they will get."""
    if speaker is not None and "speakers" not in timeline.source:
        from livesync.errors import InputError

        fmt = timeline.source.get("format", "timing")
        raise InputError(str(path), f"--speaker {speaker!r}: this {fmt} file has one speaker")


def _speaker_note(timeline: Timeline) -> str:
    """', speaker 'alice' of alice, bob' when the file holds several speakers."""
    held = timeline.source.get("speakers_in_file", "")
    if "," not in held:
        return ""
    used = timeline.source.get("speakers", "")
    return f", speaker {used!r} of {held} (--speaker NAME picks another)"


def cmd_import(args: argparse.Namespace) -> int:
    from livesync.devices.files import write_text
    from livesync.formats import landmarks, registry, write_timeline

    check_output(args.output, args.force)
    content = registry.read_content(args.file)
    if registry.detect_kind(content) == "face":
        track = landmarks.read(content, face=args.face)
        write_text(args.output, landmarks.dumps(track))
        faces = f"{track.face_count}/{len(track)} frames with a face"
        print(f"{args.output}: face track, {faces}, {track.duration:.2f} s", file=sys.stderr)
        return 0
    timeline = registry.timeline_of(content, fps=args.fps, speaker=args.speaker)
    _check_speaker(args.file, timeline, args.speaker)
    write_text(args.output, write_timeline(timeline, "livesync"))
    found = len(timeline.aligned_words())
    cues = f", {len(timeline.cues)} mouth cues" if timeline.cues else ""
    print(
        f"{args.output}: {found}/{len(timeline.words)} words aligned, "
        f"{len(timeline.phones)} phones{cues}, {timeline.duration:.2f} s"
        f"{_speaker_note(timeline)}",
        file=sys.stderr,
    )
    return 0


def cmd_landmarks(args: argparse.Namespace) -> int:
    from livesync.app.progress import ProgressBar
    from livesync.devices.files import write_text
    from livesync.formats import landmarks
    from livesync.vision import extractor

    check_output(args.output, args.force)
    extract_face_track = extractor()  # the optional extra, or DeviceError: how to install it
    started = time.perf_counter()
    track = extract_face_track(
        args.video, fps=args.fps, detect_every=args.detect_every, progress=ProgressBar("landmarks")
    )
    write_text(args.output, landmarks.dumps_runway(track))
    took = time.perf_counter() - started
    found = f"{track.face_count}/{len(track)} frames with a face, {track.duration:.2f} s of video"
    print(f"{args.output}: {found} in {took:.1f} s", file=sys.stderr)
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from livesync.audio.decode import decode
    from livesync.devices.files import write_text
    from livesync.formats import write_timeline
    from livesync.lipsync.voice_timeline import analyse_voice

    check_output(args.output, args.force)
    audio = decode(args.audio)
    timeline = analyse_voice(audio.samples, audio.samplerate, args.audio.name)
    write_text(args.output, write_timeline(timeline, "livesync"))
    print(
        f"{args.output}: {len(timeline.cues)} mouth cues from the sound, {timeline.duration:.2f} s",
        file=sys.stderr,
    )
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    from livesync.align import align_files
    from livesync.app.progress import ProgressBar
    from livesync.devices.files import write_text
    from livesync.formats import write_timeline

    check_output(args.output, args.force)
    result = align_files(args.audio, args.lyrics, vocals=args.vocals, progress=ProgressBar("align"))
    write_text(args.output, write_timeline(result.timeline, args.format))
    print(f"{args.output}: {result.summary()}", file=sys.stderr)
    return 0
