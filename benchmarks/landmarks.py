"""Face landmark extraction speed at 720p (`livesync landmarks`), and what each part costs.

    python benchmarks/landmarks.py                 # 4 s of 1280x720 at 30 fps
    python benchmarks/landmarks.py --seconds 10

The video is made here: scikit-image's astronaut photo (a real face, shipped with the
package) scaled so the face is ~220 px wide, as in a phone video at arm's length, moving,
zooming and turning along a known path over a grey wall. Each `--detect-every N` run is the
whole `extract_face_track` (decoding, searching, following, predicting), timed by wall clock
on one core; the error column compares its points with the known motion of frame 0's points
(median over points and frames, pixels). Parts are medians of repeated calls on one frame.
Needs the test and landmarks extras (`scripts/setup.sh --test`).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dlib
import face_recognition_models
import imageio_ffmpeg
import numpy as np
from _common import machine, table
from numpy.typing import NDArray
from skimage import data, transform

from livesync.lipsync.face import FaceTrack
from livesync.vision import landmarks
from livesync.vision.video import frames, open_video

SIZE = (1280, 720)
FPS = 30
HEAD = data.astronaut()[0:260, 90:360]  # type: ignore[no-untyped-call]
HEAD_CENTRE = np.array([130.0, 121.0])
SCALE = 2.5  # the photo's ~88 px face becomes ~220 px


def motion(u: float) -> transform.SimilarityTransform:
    """Where the photo is at fraction u of the video: across, bobbing, zooming, turning."""
    scale = SCALE * (0.9 + 0.2 * u)
    turn = math.radians(8 * math.sin(2 * math.pi * u))
    centre = np.array([SIZE[0] * (0.35 + 0.3 * u), SIZE[1] * (0.5 + 0.05 * math.sin(6 * u))])
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    return transform.SimilarityTransform(  # type: ignore[no-untyped-call]
        scale=scale, rotation=turn, translation=centre - scale * rotation @ HEAD_CENTRE
    )


def make_video(path: Path, count: int) -> Callable[[int], transform.SimilarityTransform]:
    def placement(k: int) -> transform.SimilarityTransform:
        return motion(k / max(1, count - 1))

    writer = imageio_ffmpeg.write_frames(str(path), SIZE, fps=FPS, quality=8)
    writer.send(None)
    for k in range(count):
        placed = transform.warp(  # type: ignore[no-untyped-call]
            HEAD, placement(k).inverse, output_shape=SIZE[::-1], cval=0.5
        )
        writer.send(np.ascontiguousarray((placed * 255).round().astype(np.uint8)))
    writer.close()
    return placement


def median_error(
    track: FaceTrack, placement: Callable[[int], transform.SimilarityTransform]
) -> float:
    first = track.face_at(0)
    if first is None:
        return math.nan
    reference = placement(0).inverse(first.to_68())
    errors = []
    for k in range(len(track)):
        face = track.face_at(k)
        if face is not None:
            errors.append(np.hypot(*(face.to_68() - placement(k)(reference)).T))
    return float(np.median(np.concatenate(errors)))


def timed(call: Callable[[], object], repeat: int = 20) -> float:
    """Median milliseconds of `call`."""
    spent = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        spent.append(time.perf_counter() - start)
    return float(np.median(spent) * 1e3)


def parts(frame: NDArray[np.uint8]) -> list[tuple[str, float]]:
    """What one 720p frame costs, part by part."""
    finder = landmarks.FaceFinder()
    gray = dlib.as_grayscale(frame)
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(face_recognition_models.pose_predictor_model_location())
    box = finder._search(gray, None)
    assert box is not None, "no face in the benchmark frame"
    left, top, right, bottom = (round(v) for v in box)
    rect = dlib.rectangle(left, top, right - 1, bottom - 1)
    return [
        (
            "dlib detector on the full frame, upsampled once (face_recognition's default)",
            timed(lambda: detector(frame, 1), 5),
        ),
        ("dlib detector on the full frame, no upsampling", timed(lambda: detector(frame, 0), 10)),
        (
            "whole-frame search as livesync does it (scaled to 960x540)",
            timed(lambda: finder._search(gray, None)),
        ),
        (
            "following: search in the window around the last box",
            timed(lambda: finder._follow(gray, box)),
        ),
        ("68-point shape predictor", timed(lambda: predictor(frame, rect))),
        ("grayscale conversion", timed(lambda: dlib.as_grayscale(frame))),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    print(machine())
    count = round(args.seconds * FPS)
    with tempfile.TemporaryDirectory() as folder:
        video_path = Path(folder) / "face720.mp4"
        placement = make_video(video_path, count)
        video = open_video(video_path)
        start = time.perf_counter()
        decoded = sum(1 for _ in frames(video, FPS))
        decode_ms = (time.perf_counter() - start) * 1e3 / decoded
        first = next(frames(video, FPS))
        load_s = timed(landmarks.FaceFinder, 3) / 1e3
        rows: list[list[object]] = []
        for every in (1, 5, 10):
            start = time.perf_counter()
            track = landmarks.extract_face_track(video_path, detect_every=every)
            took = time.perf_counter() - start
            rows.append(
                [
                    every,
                    len(track),
                    track.face_count,
                    f"{took:.2f}",
                    f"{len(track) / took:.1f}",
                    f"{len(track) / took / FPS:.2f}x",
                    f"{(took - load_s) * 1e3 / len(track):.1f}",
                    f"{median_error(track, placement):.2f}",
                ]
            )
    print(
        f"\n{count} frames of {SIZE[0]}x{SIZE[1]} at {FPS} fps; loading the models "
        f"{load_s:.2f} s, decoding alone {decode_ms:.1f} ms a frame\n"
    )
    print(
        table(
            [
                "detect every",
                "frames",
                "with a face",
                "seconds",
                "frames/s",
                "x real time",
                "ms a frame after loading",
                "median error (px)",
            ],
            rows,
        )
    )
    print()
    print(table(["part (one 720p frame)", "ms"], [[name, ms] for name, ms in parts(first)]))


if __name__ == "__main__":
    main()
