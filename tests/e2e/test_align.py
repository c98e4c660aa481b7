"""`livesync align` as a user runs it, on real speech with Gentle's alignment as reference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from livesync.formats import load

from ..conftest import DATA, GENTLE_JSON, HARVARD_MP3

pytestmark = pytest.mark.e2e
LYRICS = DATA / "harvard-sentences-list30.txt"


def livesync(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "livesync", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ},
    )


def start_errors(out: Path) -> np.ndarray:
    ours, gentle = load(out), load(GENTLE_JSON)
    assert [w.text.lower() for w in ours.words] == [w.text.lower() for w in gentle.words]
    return np.array(
        [
            abs(a.start - b.start)
            for a, b in zip(ours.words, gentle.words, strict=True)
            if a.start is not None and b.start is not None
        ]
    )


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("align") / "harvard.timeline.json"
    result = livesync("align", HARVARD_MP3, LYRICS, "-o", out)
    assert result.returncode == 0, result.stderr
    return out, result.stderr


def test_align_matches_gentle(aligned: tuple[Path, str]) -> None:
    out, stderr = aligned
    data = json.loads(out.read_text())
    assert data["livesync_timeline"] == 1 and len(data["words"]) == 86
    timeline = load(out)
    assert len(timeline.aligned_words()) >= 80
    errors = start_errors(out)
    assert float(np.median(errors)) < 0.050  # loose: benchmarks/align.py reports the figure
    phones = timeline.phones
    assert all(p.phone.isupper() and not any(c.isdigit() for c in p.phone) for p in phones)
    assert all(p.word is not None for p in phones)
    assert "86/86 words aligned" in stderr.splitlines()[-1]


def test_gentle_format_round_trips(tmp_path: Path, aligned: tuple[Path, str]) -> None:
    out = tmp_path / "gentle.json"
    result = livesync("align", HARVARD_MP3, LYRICS, "-o", out, "--format", "gentle")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["transcript"] == LYRICS.read_text()
    word = data["words"][0]
    assert word["case"] == "success" and word["word"] == "The" and word["alignedWord"] == "the"
    assert word["phones"][0]["phone"] == "dh_B" and word["phones"][-1]["phone"].endswith("_E")
    ours = load(aligned[0])
    back = load(out)  # livesync's Gentle importer reads it
    assert [w.start for w in back.words] == pytest.approx([w.start for w in ours.words], abs=0.002)
    # One Gentle writer: exporting the aligned timeline writes the very same file.
    exported = tmp_path / "exported.json"
    result = livesync("export", aligned[0], "--format", "gentle", "-o", exported)
    assert result.returncode == 0, result.stderr
    assert exported.read_bytes() == out.read_bytes()


def test_align_and_export_write_the_same_gentle_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`align --format gentle` and `export --format gentle` of the timeline `align` wrote
    give identical bytes (in-process, with a scripted recogniser, so the two alignments are
    the same by construction)."""
    import soundfile

    from livesync import align, cli
    from livesync.align.pipeline import AlignResult, load_pcm, read_lyrics
    from livesync.align.recogniser import RATE

    from ..unit.test_align_support import LYRICS, ScriptedRecogniser, noise_song

    audio, lyrics = tmp_path / "song.wav", tmp_path / "lyrics.txt"
    soundfile.write(str(audio), noise_song(), RATE, subtype="PCM_16")
    lyrics.write_text(LYRICS)

    def scripted(
        audio_path: Path, lyrics_path: Path, vocals: Path | None = None, progress: object = None
    ) -> AlignResult:
        pcm, duration = load_pcm(audio_path)
        lines = read_lyrics(lyrics_path)
        return align.align_pcm(pcm, duration, lines, recogniser=ScriptedRecogniser(pcm))

    monkeypatch.setattr(align, "align_files", scripted)
    gentle, timeline, exported = (tmp_path / n for n in ("a.json", "t.json", "e.json"))
    assert (
        cli.main(["align", str(audio), str(lyrics), "-o", str(gentle), "--format", "gentle"]) == 0
    )
    assert cli.main(["align", str(audio), str(lyrics), "-o", str(timeline)]) == 0
    assert cli.main(["export", str(timeline), "--format", "gentle", "-o", str(exported)]) == 0
    assert gentle.read_bytes() == exported.read_bytes()
    words = json.loads(gentle.read_text())["words"]
    assert [(w["word"], w["start"], w["end"]) for w in words[:2]] == [
        ("Hello", 1.0, 1.4),
        ("brave", 1.5, 1.9),
    ]
    assert json.loads(timeline.read_text())["livesync_timeline"] == 1


def test_lrc_lyrics_and_unknown_words(tmp_path: Path) -> None:
    """LRC line stamps place the chunks; an invented word gets a letter-to-sound
    pronunciation and is reported; a line that is never sung does not crash anything."""
    gentle = load(GENTLE_JSON)
    lines = [line for line in LYRICS.read_text().splitlines() if line.strip()]
    starts, k = [], 0
    for line in lines:
        starts.append(gentle.words[k].start)
        k += len(line.split())
    lrc = ["[ti:Harvard list 30]"]
    for t, line in zip(starts, lines, strict=True):
        assert t is not None
        t = max(0.0, t - 0.4)  # LRC stamps usually come a little early
        lrc.append(f"[{int(t // 60):02d}:{t % 60:05.2f}]{line}")
    lrc.append("[00:53.00]zorblax")
    lyrics = tmp_path / "song.lrc"
    lyrics.write_text("\n".join(lrc) + "\n")
    out = tmp_path / "out.json"
    result = livesync("align", HARVARD_MP3, lyrics, "-o", out)
    assert result.returncode == 0, result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert "zorblax" in summary and "not in the dictionary" in summary
    errors = start_errors_prefix(out, 86)
    assert float(np.median(errors)) < 0.050


def start_errors_prefix(out: Path, n: int) -> np.ndarray:
    ours, gentle = load(out), load(GENTLE_JSON)
    pairs = zip(ours.words[:n], gentle.words, strict=True)
    return np.array(
        [abs(a.start - b.start) for a, b in pairs if a.start is not None and b.start is not None]
    )


def test_decoded_times_are_absolute() -> None:
    """soundfile/libmpg123 honours the MP3 encoder delay like ffmpeg does: a decoder that
    ignores it would shift every time ~140 ms late."""
    import imageio_ffmpeg

    from livesync.audio.decode import decode

    ours = decode(HARVARD_MP3)
    raw = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(HARVARD_MP3),
            "-f",
            "f32le",
            "-ac",
            "1",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    ref = np.frombuffer(raw, dtype=np.float32)
    assert ours.samplerate == 8000
    assert abs(len(ours.samples) - len(ref)) <= 8  # within 1 ms
    a, b = ours.samples[:, 0][: 8000 * 10], ref[: 8000 * 10]
    lag = int(np.argmax(np.correlate(a[4000:12000], b[4000 - 400 : 12000 + 400], "valid"))) - 400
    assert abs(lag) <= 8, f"decoded audio is shifted by {lag / 8:.1f} ms against ffmpeg"


@pytest.mark.parametrize(
    "case",
    ["missing-audio", "missing-lyrics", "empty-lyrics", "bad-audio", "exists", "missing-vocals"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    audio, lyrics, out = HARVARD_MP3, LYRICS, tmp_path / "out.json"
    extra: list[str | Path] = []
    if case == "missing-audio":
        audio = tmp_path / "nope.wav"
    elif case == "missing-lyrics":
        lyrics = tmp_path / "nope.txt"
    elif case == "empty-lyrics":
        lyrics = tmp_path / "empty.txt"
        lyrics.write_text("[Chorus]\n\n  \n")
    elif case == "bad-audio":
        audio = tmp_path / "song.mp3"
        audio.write_bytes(b"this is not audio" * 100)
    elif case == "exists":
        out.write_text("mine")
    elif case == "missing-vocals":
        extra = ["--vocals", tmp_path / "vocals.wav"]
    result = livesync("align", audio, lyrics, "-o", out, *extra)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    if case == "exists":
        assert "--force" in lines[0] and out.read_text() == "mine"
    else:
        assert not out.exists()


def test_vocal_stem_is_aligned_and_times_are_the_songs(tmp_path: Path) -> None:
    """With --vocals the stem is what gets aligned; the mix (here the speech under loud
    noise, as long as the stem) only gives the song its length."""
    import soundfile

    from livesync.audio.decode import decode

    speech = decode(HARVARD_MP3)
    rng = np.random.default_rng(1)
    mix = speech.samples[:, 0] * 0.3 + rng.normal(0, 0.2, len(speech.samples))
    song = tmp_path / "song.wav"
    soundfile.write(str(song), mix.astype(np.float32), speech.samplerate)
    out = tmp_path / "out.json"
    result = livesync("align", song, LYRICS, "-o", out, "--vocals", HARVARD_MP3)
    assert result.returncode == 0, result.stderr
    assert float(np.median(start_errors(out))) < 0.050
    assert load(out).duration == pytest.approx(speech.duration, abs=0.01)
