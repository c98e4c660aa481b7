"""`livesync import` and `export` on the files other tools really write: the output line
says which speaker of a multi-speaker file was read, --speaker picks another, and what
cannot load is refused in one line."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from ..conftest import DATA, GENTLE_JSON
from .test_cli import livesync

pytestmark = pytest.mark.e2e
FORMATS = DATA / "formats"


def test_import_names_the_speaker_and_speaker_picks_another(tmp_path: Path) -> None:
    out = tmp_path / "duet.json"
    first = livesync("import", FORMATS / "fave-harvard-duet.TextGrid", "-o", out)
    assert first.returncode == 0, first.stderr
    assert "9/9 words aligned, 28 phones" in first.stderr
    assert "speaker 'Alice' of Alice, Bob" in first.stderr
    bob = livesync(
        "import", FORMATS / "fave-harvard-duet.TextGrid", "-o", out, "--force", "--speaker", "Bob"
    )
    assert bob.returncode == 0, bob.stderr
    assert "8/8 words aligned" in bob.stderr and "speaker 'Bob' of Alice, Bob" in bob.stderr
    words = [w["word"] for w in json.loads(out.read_text())["words"]]
    assert words == ["THE", "GOLD", "RING", "FITS", "ONLY", "A", "PIERCED", "EAR"]


def test_export_reads_the_speaker_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "bob.json"
    done = livesync(
        "export", FORMATS / "fave-harvard-duet.TextGrid", "--format", "gentle",
        "-o", out, "--speaker", "bob",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "speaker 'Bob'" in done.stderr
    assert [w["word"] for w in json.loads(out.read_text())["words"]][:2] == ["THE", "GOLD"]


def test_speaker_on_a_file_without_speakers_is_refused(tmp_path: Path) -> None:
    result = livesync("import", GENTLE_JSON, "-o", tmp_path / "x.json", "--speaker", "bob")
    assert result.returncode == 2
    assert "--speaker 'bob': this gentle file has one speaker" in result.stderr
    assert result.stderr.count("\n") == 1 and not (tmp_path / "x.json").exists()


def test_latin1_papagayo_binary_textgrid_and_a_cut_one(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    done = livesync("import", FORMATS / "papagayo-latin1.pgo", "-o", out, "--speaker", "niño")
    assert done.returncode == 0, done.stderr
    assert [w["word"] for w in json.loads(out.read_text())["words"]] == ["Sí."]
    binary = FORMATS / "charsiu-mandarin-binary.TextGrid"
    done = livesync("import", binary, "-o", tmp_path / "b.json")
    assert done.returncode == 0 and "18/18 words aligned, 34 phones" in done.stderr
    cut = tmp_path / "cut.TextGrid"
    cut.write_bytes(binary.read_bytes()[:100] + struct.pack(">d", 1.0))
    refused = livesync("import", cut, "-o", tmp_path / "c.json")
    assert refused.returncode == 2
    assert "the binary TextGrid ends early" in refused.stderr
    assert refused.stderr.count("\n") == 1
