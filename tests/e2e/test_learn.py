"""`livesync learn` with a real MIDI port: a virtual controller through JACK MIDI (jackd runs
in the test command), answering each prompt; the written mapping then drives a show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mido
import pytest

from livesync.show.show_file import load_show

pytestmark = pytest.mark.e2e

SHOW = """[track]
audio = "a.wav"
timeline = "t.json"
[[scenes]]
name = "verse"
[[scenes]]
name = "chorus"
[[params]]
name = "speed"
"""


def test_learn_writes_a_mapping_the_show_uses(tmp_path: Path) -> None:
    try:
        pad = mido.Backend("mido.backends.rtmidi/UNIX_JACK").open_output("learn pad", virtual=True)
    except Exception as exc:
        if os.environ.get("LIVESYNC_REQUIRE_AUDIO") == "1":
            raise
        pytest.skip(f"no JACK server here: {exc}")
    show, out = tmp_path / "show.toml", tmp_path / "pads.toml"
    show.write_text(SHOW)
    answers = {
        "'verse'": mido.Message("note_on", note=36, velocity=100),
        "'chorus'": mido.Message("control_change", control=33, value=127, channel=1),
        "'speed'": mido.Message("control_change", control=21, value=64),
    }
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "livesync",
            "learn",
            str(show),
            "--port",
            "learn pad",
            "-o",
            str(out),
            "--timeout",
            "10",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    try:
        for line in child.stderr:
            for key, message in answers.items():
                if line.startswith(("scene " + key, "param " + key)):
                    pad.send(message)
            if "controls; add" in line:
                break
        assert child.wait(timeout=20) == 0
    finally:
        pad.close()
        if child.poll() is None:
            child.kill()
    show.write_text(SHOW + '[midi]\nmapping = "pads.toml"\n')
    mapping = load_show(show).control.midi.mapping
    assert mapping.route("note_on", 0, 36, 90) is not None
    assert mapping.route("control_change", 1, 33, 127) is not None
    assert mapping.route("control_change", 0, 21, 5) is not None
