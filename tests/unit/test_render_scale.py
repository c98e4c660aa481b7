"""The render scale: parsed from the show, resolved per scene, and the auto controller driven
by scripted frame costs (a fixed part plus a part in proportion to the scaled pixels)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from livesync.errors import InputError
from livesync.frame.render_scale import AutoScale
from livesync.show.render_scale import AUTO, parse_render_scale, scale_now
from livesync.show.show_file import parse_show

PERIOD = 1 / 60
SHOW = Path("show.toml")


def run(
    auto: AutoScale, cost: Callable[[float, float], float], seconds: float, start: float = 0.0
) -> list[tuple[float, float]]:
    """Frames at the pace they can be drawn (never faster than the refresh) from `start`
    for `seconds`; the (time, scale) of each."""
    t, seen = start, []
    while t < start + seconds:
        work = cost(t, auto.scale)
        t += max(work, PERIOD)
        seen.append((t, auto.update(t, work)))
    return seen


def scene_cost(fixed_ms: float, scaled_ms: float) -> Callable[[float, float], float]:
    return lambda t, s: (fixed_ms + scaled_ms * s * s) / 1000


def test_a_light_scene_stays_at_full_size() -> None:
    auto = AutoScale(PERIOD)
    run(auto, scene_cost(3, 6), 60)
    assert auto.scale == 1.0 and auto.changes == 0


def test_a_heavy_scene_steps_down_until_it_fits_and_stays() -> None:
    auto = AutoScale(PERIOD)
    seen = run(auto, scene_cost(4, 30), 120)  # 34 ms at full size
    assert auto.scale == pytest.approx(0.6)  # 4 + 30 x 0.36 = 14.8 ms fits in 16.7
    assert auto.changes == 4
    settled = [s for t, s in seen if t > 10]
    assert set(settled) == {auto.scale}


def test_a_scene_far_too_heavy_steps_down_at_a_few_frames_a_second() -> None:
    """Three frames a second: each decision waits for five frames instead of one second."""
    auto = AutoScale(PERIOD)
    seen = run(auto, scene_cost(20, 300), 30)
    assert auto.scale == 0.5
    assert next(t for t, s in seen if s < 1.0) < 3.0


def test_never_below_the_lowest_scale() -> None:
    auto = AutoScale(PERIOD)
    run(auto, scene_cost(20, 100), 60)
    assert auto.scale == 0.5


def test_headroom_brings_the_scale_back_up_one_step_at_a_time() -> None:
    auto = AutoScale(PERIOD)
    heavy, light = scene_cost(4, 30), scene_cost(2, 5)
    seen = run(auto, lambda t, s: heavy(t, s) if t < 30 else light(t, s), 90)
    assert auto.scale == 1.0
    rising = [s for t, s in seen if t >= 30]
    steps = np.diff(rising)
    assert steps.min() >= 0 and steps.max() == pytest.approx(0.1)


def test_one_slow_frame_a_second_changes_nothing() -> None:
    auto = AutoScale(PERIOD)
    run(auto, lambda t, s: 0.05 if (t % 1.0) < PERIOD else 0.005, 30)
    assert auto.scale == 1.0 and auto.changes == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_noisy_scene_at_the_edge_settles_instead_of_pumping(seed: int) -> None:
    rng = np.random.default_rng(seed)
    auto = AutoScale(PERIOD)
    edge = scene_cost(3, 14)  # 17 ms at full size, just over the refresh
    seen = run(auto, lambda t, s: edge(t, s) * float(rng.uniform(0.8, 1.25)), 600)
    late = [s for t, s in seen if t > 300]
    assert auto.changes <= 12  # in ten minutes: a few tries up, each waiting longer
    assert len(set(late)) <= 2 and np.count_nonzero(np.diff(late)) <= 2


def test_a_step_up_that_fails_is_tried_ever_more_rarely() -> None:
    """A scene that fits at 0.9 with room, but whose full size costs far more than its
    pixels say (a cache falling over, say): each try at 1.0 is taken back, and the waits
    double, so ten minutes see few tries and almost no time at the failing size."""
    auto = AutoScale(PERIOD)

    def cliff(t: float, s: float) -> float:
        return (2 + 6 * s * s + (12 if s > 0.95 else 0)) / 1000

    seen = run(auto, cliff, 600)
    at_full = sum(1 for t, s in seen if s == 1.0 and t > 10)
    tries = sum(1 for (_, a), (_, b) in itertools.pairwise(seen) if b > a)
    assert 3 <= tries <= 10
    assert at_full / len(seen) < 0.05
    assert [s for t, s in seen][-1] == pytest.approx(0.9)
    # Then a lighter scene: the long wait is forgotten and the scale goes back up at once.
    later = run(auto, scene_cost(1, 3), 10, start=seen[-1][0])
    assert later[-1][1] == 1.0


def test_parse_accepts_numbers_and_auto_only() -> None:
    assert parse_render_scale(None, "k", SHOW) is None
    assert parse_render_scale("auto", "k", SHOW) == AUTO
    assert parse_render_scale(0.75, "k", SHOW) == 0.75
    for bad, needle in [
        (0.2, "k: must be 0.5 or more, got 0.2"),
        (2, "k: must be 1 or less, got 2"),
        ("half", "k: expected a number from 0.5 to 1 or \"auto\", got 'half'"),
        (True, "k: expected a number"),
    ]:
        with pytest.raises(InputError, match=needle):
            parse_render_scale(bad, "k", SHOW)


def test_the_scale_now_of_each_setting() -> None:
    assert scale_now(None, 0.7) is None and scale_now(None, None) is None
    assert scale_now(AUTO, 0.7) == 0.7
    assert scale_now(0.8, 0.7) == 0.8
    assert scale_now(0.8, None) == scale_now(AUTO, None) == 1.0  # offline: full size


def test_show_files_carry_it_on_output_and_scenes() -> None:
    data = {
        "track": {"audio": "a.wav", "timeline": "t.json"},
        "output": {"render_scale": "auto"},
        "scenes": [
            {"name": "one", "background": "a.glsl", "render_scale": 0.5},
            {"name": "two", "background": "b.glsl"},
        ],
    }
    show = parse_show(data, SHOW)
    assert show.output.render_scale == AUTO
    assert [s.render_scale for s in show.scenes] == [0.5, AUTO]  # the output's, folded in
    data["scenes"][1]["render_scale"] = "fast"  # type: ignore[index]
    with pytest.raises(InputError, match=r"scenes\[1\]\.render_scale"):
        parse_show(data, SHOW)
