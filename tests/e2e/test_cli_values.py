"""Every command-line value is checked as it is parsed: out of range, not a number, NaN or
infinite is one line naming the option (and one hint), exit status 2, before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.cli import build_parser, main

from ..conftest import GENTLE_JSON
from .test_cli import livesync

pytestmark = pytest.mark.e2e

G = str(GENTLE_JSON)

REFUSED = [
    (["snapshot", "--demo", "--at", "nan", "-o", "f.png"], "--at"),
    (["snapshot", "--demo", "--at", "inf", "-o", "f.png"], "--at"),
    (["snapshot", "--demo", "--at", "1e308", "-o", "f.png"], "--at"),
    (["snapshot", "--demo", "--at", "-1", "-o", "f.png"], "--at"),
    (["play", "--demo", "--offset-ms", "nan"], "--offset-ms"),
    (["play", "--demo", "--offset-ms", "-1e9"], "--offset-ms"),
    (["play", "--demo", "--offset-ms", "2001"], "--offset-ms"),
    (["play", "--demo", "--offset-ms", "-inf"], "--offset-ms"),
    (["play", "--demo", "--osc-port", "70000"], "--osc-port"),
    (["play", "--demo", "--osc-port", "-1"], "--osc-port"),
    (["play", "--demo", "--display", "-1"], "--display"),
    (["demo", "--osc-port", "1e3"], "--osc-port"),
    (["render", "--demo", "--fps", "0", "-o", "v.mp4"], "--fps"),
    (["render", "--demo", "--fps", "241", "-o", "v.mp4"], "--fps"),
    (["render", "--demo", "--fps", "29.97", "-o", "v.mp4"], "--fps"),
    (["demo", "--fps", "0", "--render", "v.mp4"], "--fps"),
    (["export", G, "--format", "moho-dat", "--fps", "1e12", "-o", "m.dat"], "--fps"),
    (["export", G, "--format", "moho-dat", "--fps", "1e-300", "-o", "m.dat"], "--fps"),
    (["export", G, "--format", "moho-dat", "--fps", "nan", "-o", "m.dat"], "--fps"),
    (["import", G, "--fps", "0", "-o", "t.json"], "--fps"),
    (["import", G, "--face", "-1", "-o", "t.json"], "--face"),
    (["landmarks", "v.mp4", "--fps", "inf", "-o", "f.json"], "--fps"),
    (["landmarks", "v.mp4", "--detect-every", "0", "-o", "f.json"], "--detect-every"),
    (["learn", "show.toml", "-o", "m.toml", "--timeout", "nan"], "--timeout"),
    (["learn", "show.toml", "-o", "m.toml", "--timeout", "1e9"], "--timeout"),
    (["render", "--demo", "--size", "0x0", "-o", "v.mp4"], "--size"),
    (["import", G], "-o/--output"),
    (["render", "--demo", "-o", "v.mp4", "--frobnicate"], "--frobnicate"),
    (["frobnicate"], "frobnicate"),
]


@pytest.mark.parametrize("argv, option", REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_a_bad_value_is_one_line_naming_the_option(
    argv: list[str],
    option: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # where the outputs named would be written
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) <= 2, lines  # the error, and at most one hint
    assert lines[0].startswith("livesync: error: ") and option in lines[0], lines
    assert "usage:" not in "\n".join(lines)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv, key, value",
    [
        (["play", "--demo", "--offset-ms", "-40"], "offset_ms", -40.0),
        (["play", "--demo", "--offset-ms", "-2000"], "offset_ms", -2000.0),
        (["play", "--demo", "--offset-ms", "1.5e3"], "offset_ms", 1500.0),
        (["play", "--demo", "--osc-port", "0"], "osc_port", 0),
        (["render", "--demo", "--fps", "240", "-o", "v.mp4"], "fps", 240),
        (["snapshot", "--demo", "--at", "86400", "-o", "f.png"], "at", 86400.0),
        (["export", G, "--format", "moho-dat", "--fps", "29.97", "-o", "m"], "fps", 29.97),
    ],
)
def test_values_in_range_are_taken(argv: list[str], key: str, value: float) -> None:
    assert getattr(build_parser().parse_args(argv), key) == value


def test_the_process_prints_the_line_and_the_hint() -> None:
    result = livesync("render", "--demo", "--fps", "0", "-o", "never.mp4")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "livesync: error: argument --fps: expected a whole number of frames per second "
        "from 1 to 240, got '0'",
        "(see `livesync render --help`)",
    ]
