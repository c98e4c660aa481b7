"""A long track is analysed in bounded memory: the analysis streams over blocks of the file
with the same tables as the whole array, the cache stores the spectrum compactly, and a
picture or a video needs no decoded track (issue: a 6-hour WAV took 16.5 GB to snapshot)."""

from __future__ import annotations

import shutil
import tracemalloc
from dataclasses import astuple, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from livesync.app import prepare as prepare_module
from livesync.app.prepare import prepare, prepare_picture
from livesync.audio.analyser import Analyser, analyse, waveform_of
from livesync.audio.analysis import Analysis
from livesync.audio.decode import FileWaveform, audio_info, blocks, decode
from livesync.devices import analysis_cache
from livesync.devices.analysis_cache import analyse_file, cache_path, load_or_analyse
from livesync.errors import InputError
from livesync.show.show_file import load_show

DATA = Path(__file__).parents[1] / "data"
HARVARD_MP3 = DATA / "harvard-sentences-list30.mp3"
DEMO_OGG = Path(__file__).parents[2] / "configs" / "demo" / "demo.ogg"
TABLES = ("level", "bass", "mid", "high", "onsets", "bass_onsets", "mid_onsets", "high_onsets")


def music(seconds: float, sr: int, seed: int = 0) -> npt.NDArray[np.float32]:
    """Stereo stand-in for a song: a bass line, a chord, noisy hats and kicks, so every band,
    the onsets and the tempo have something to find."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * sr)) / sr
    beat = (t * 2.0) % 1.0  # 120 BPM
    kick = np.sin(2 * np.pi * 50 * t) * np.exp(-beat * 12)
    bass = 0.25 * np.sin(2 * np.pi * 55 * t) * ((t % 2) < 1)
    chord = 0.1 * sum(np.sin(2 * np.pi * f * t) for f in (440, 554, 659))
    hats = 0.08 * rng.standard_normal(len(t)) * np.exp(-((t * 4.0) % 1.0) * 30)
    left = 0.5 * kick + bass + chord + hats
    right = 0.5 * kick + bass + 0.5 * chord + 0.5 * hats
    return np.stack([left, right], axis=1).astype(np.float32)


def assert_same_tables(a: Analysis, b: Analysis, atol: float = 1e-6) -> None:
    for name in TABLES:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=atol, err_msg=name)
    assert a.spectrum.shape == b.spectrum.shape
    # bytes from floored dB: a last-bit difference in the samples may move one by 1
    assert np.abs(a.spectrum.astype(int) - b.spectrum.astype(int)).max() <= (
        0 if atol < 1e-9 else 1
    )
    assert (a.hop, a.spectrum_hop, a.samplerate, a.frames) == (
        b.hop,
        b.spectrum_hop,
        b.samplerate,
        b.frames,
    )
    assert (a.tempo_estimate is None) == (b.tempo_estimate is None)
    if a.tempo_estimate is not None and b.tempo_estimate is not None:
        assert a.tempo_estimate == pytest.approx(b.tempo_estimate, rel=1e-6)


def streamed(samples: npt.NDArray[np.float32], sr: int, sizes: list[int]) -> Analysis:
    """Fed in blocks of the given sizes, cycling."""
    analyser = Analyser(sr)
    start = k = 0
    while start < len(samples):
        analyser.feed(samples[start : start + sizes[k % len(sizes)]])
        start += sizes[k % len(sizes)]
        k += 1
    return analyser.finish()


@pytest.mark.parametrize(
    ("sr", "sizes"),
    [
        (44100, [1000]),  # the hop is 441 samples, the spectrum row 735
        (44100, [7, 4097, 333, 65537]),
        (48000, [479, 1, 801]),  # hop 480, row 800
        (22050, [2**16]),
    ],
)
def test_streamed_analysis_is_the_whole_array_analysis(sr: int, sizes: list[int]) -> None:
    samples = music(6.0 if min(sizes) > 100 else 2.5, sr)
    whole = analyse(samples, sr, block_frames=None)
    assert len(whole.onsets) > 3 and whole.spectrum.any()
    assert_same_tables(streamed(samples, sr, sizes), whole, atol=0.0)


def test_streamed_analysis_of_real_speech_is_the_whole_array_analysis() -> None:
    audio = decode(HARVARD_MP3)
    whole = analyse(audio.samples, audio.samplerate, block_frames=None)
    for sizes in ([1000], [4097, 1234]):
        assert_same_tables(streamed(audio.samples, audio.samplerate, sizes), whole, atol=0.0)


def test_a_file_analysed_block_by_block_matches_its_decoded_samples(tmp_path: Path) -> None:
    """Exactly for a WAV; an MP3 decoded in pieces differs from one decode in the last bit of
    some samples (libmpg123 through libsndfile), so to float tolerance."""
    wav = tmp_path / "song.wav"
    soundfile.write(str(wav), music(4.0, 44100), 44100, subtype="FLOAT")
    decoded = decode(wav)
    assert_same_tables(analyse_file(wav), analyse(decoded.samples, 44100), atol=0.0)
    mp3 = decode(HARVARD_MP3)
    assert_same_tables(analyse_file(HARVARD_MP3), analyse(mp3.samples, mp3.samplerate))


def test_tiny_and_empty_signals_still_have_one_hop() -> None:
    for n in (0, 1, 10):
        a = analyse(np.zeros((n, 2), np.float32), 48000)
        assert len(a.level) == 1 and len(a.spectrum) == 1 and a.frames == n
    analyser = Analyser(48000)
    analyser.finish()
    with pytest.raises(RuntimeError):
        analyser.feed(np.zeros(10, np.float32))


def write_in_chunks(path: Path, seconds: float, sr: int) -> None:
    with soundfile.SoundFile(str(path), "w", sr, 2, "PCM_16") as f:
        for k in np.arange(0.0, seconds, 5.0):
            f.write(music(min(5.0, seconds - k), sr, seed=int(k)))


def test_analysing_a_file_holds_a_bounded_working_set_not_the_track(tmp_path: Path) -> None:
    """Three times the track costs only the bigger tables: the peak grows with the result
    (about 2 MB for the extra two minutes), not with the decoded samples (42 MB of float32
    stereo)."""
    peaks, sizes = [], []
    for seconds in (60.123, 180.123):  # the last hop and the last spectrum row end apart
        path = tmp_path / f"{seconds:g}.wav"
        write_in_chunks(path, seconds, 44100)
        tracemalloc.start()
        try:
            analysis = analyse_file(path)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert analysis.frames == round(seconds * 44100)
        sizes.append(analysis.nbytes)
    assert peaks[1] - peaks[0] < sizes[1] - sizes[0] + 2_000_000, (peaks, sizes)


def test_finishing_copies_no_table(tmp_path: Path) -> None:
    """The tables are sized from the header once: finishing a 6-hour track must not copy
    its 660 MB spectrum (it once grew it for a row past the end, then trimmed it: 3.4 GB)."""
    path = tmp_path / "song.wav"
    write_in_chunks(path, 180.123, 44100)
    info = audio_info(path)
    analyser = Analyser(info.samplerate, info.frames)
    for block in blocks(path):
        analyser.feed(block)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        analysis = analyser.finish()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(analysis.spectrum) == -(-info.frames // round(44100 / 60))
    assert kept < analysis.spectrum.nbytes, (kept, analysis.spectrum.nbytes)


def test_blocks_refuse_samples_that_are_not_numbers_and_empty_files(tmp_path: Path) -> None:
    samples = np.zeros((200_000, 2), np.float32)
    samples[100, 0] = np.nan
    samples[150_000:150_003, 1] = np.inf
    path = tmp_path / "broken.wav"
    soundfile.write(str(path), samples, 8000, subtype="FLOAT")
    with pytest.raises(InputError, match="4 of its samples are not numbers"):
        list(blocks(path, 1000))
    empty = tmp_path / "empty.wav"
    soundfile.write(str(empty), np.zeros((0, 2), np.float32), 8000)
    with pytest.raises(InputError, match="no samples"):
        list(blocks(empty))
    with pytest.raises(InputError):
        audio_info(empty)


def frame_windows(frames: int, sr: int, fps: float) -> list[tuple[int, int]]:
    out = []
    for k in range(int(frames / sr * fps)):
        start = round(k / fps * sr) - 256
        lo, hi = max(start, 0), min(start + 512, frames)
        if lo < hi:
            out.append((lo, hi))
    return out


def test_file_waveform_reads_what_decoding_gives(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "song.wav"
    soundfile.write(str(wav), music(5.0, 22050), 22050, subtype="PCM_16")
    # MP3 through libmpg123: a last-bit difference decoding in pieces; Ogg: libsndfile's
    # seeks are not exact, so the reader must not use them
    for path, tolerance in ((wav, 0), (HARVARD_MP3, 1), (DEMO_OGG, 0)):
        whole = waveform_of(decode(path).samples)
        reader = FileWaveform(path)
        assert reader.frames == len(whole)
        sr = audio_info(path).samplerate
        rng = np.random.default_rng(3)
        jumps = [(int(s), int(s) + 512) for s in rng.integers(0, len(whole) - 512, 40)]
        for lo, hi in [*frame_windows(len(whole), sr, 30.0), *jumps, (len(whole) - 9, len(whole))]:
            got = reader.read(lo, hi)
            assert len(got) == hi - lo
            assert np.abs(got.astype(int) - whole[lo:hi]).max() <= tolerance, (path, lo)
        reader.close()
    # libmpg123 complains after each MP3 seek: never on the terminal
    assert "libmpg123" not in capfd.readouterr().err


def test_cache_is_a_fraction_of_the_raw_rows_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "song.wav"
    write_in_chunks(path, 30.0, 44100)
    first = load_or_analyse(path)
    size = cache_path(path).stat().st_size
    raw_rows = first.spectrum.nbytes
    assert size < 0.7 * raw_rows, (size, raw_rows)
    # format 1 stored a raw row per 10 ms hop: 100 rows a second
    assert size < 0.25 * len(first.level) * 512
    second = load_or_analyse(path)
    assert_same_tables(first, second, atol=0.0)
    np.testing.assert_array_equal(first.spectrum, second.spectrum)


def test_spectrum_packing_survives_rows_that_wrap_around() -> None:
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 256, (9000, 512)).astype(np.uint8)  # more than one piece
    rows[100:200] = 0
    rows[200:300] = 255
    packed = analysis_cache._pack(rows)

    def unpack(n_rows: int) -> npt.NDArray[np.uint8]:
        return analysis_cache._unpack(analysis_cache._array_chunks(packed), n_rows)

    np.testing.assert_array_equal(unpack(len(rows)), rows)
    with pytest.raises(ValueError):
        unpack(len(rows) + 1)
    with pytest.raises(ValueError):
        unpack(len(rows) - 1)


def test_a_cache_of_the_old_format_is_redone(tmp_path: Path) -> None:
    path = tmp_path / "song.wav"
    soundfile.write(str(path), music(3.0, 22050), 22050)
    load_or_analyse(path)
    with np.load(cache_path(path)) as data:
        arrays = {name: data[name] for name in data.files}
    stat = path.stat()
    arrays["cache_key"] = np.array([1, stat.st_size, stat.st_mtime_ns, 22050, 66150], np.int64)
    with cache_path(path).open("wb") as f:
        np.savez(f, **arrays)
    before = cache_path(path).read_bytes()
    load_or_analyse(path)
    after = cache_path(path).read_bytes()
    assert before != after
    with np.load(cache_path(path)) as data:
        assert int(data["cache_key"][0]) == analysis_cache.CACHE_FORMAT


SHOW = """[track]
audio = "song.mp3"
timeline = "song.json"
[[scenes]]
name = "one"
background = "bg.glsl"
"""


def test_a_picture_is_prepared_without_decoding_the_track(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(HARVARD_MP3, tmp_path / "song.mp3")
    shutil.copy(DATA / "forced-harvard-sentences-list30.json", tmp_path / "song.json")
    (tmp_path / "bg.glsl").write_text("void mainImage(out vec4 c, in vec2 p) { c = vec4(1); }\n")
    (tmp_path / "show.toml").write_text(SHOW)
    show = load_show(tmp_path / "show.toml")
    played, audio = prepare(show)

    def no_decoding(path: Path) -> None:
        raise AssertionError(f"{path} decoded whole")

    monkeypatch.setattr(prepare_module, "decode", no_decoding)
    for cached in (True, False):
        if not cached:
            cache_path(show.audio).unlink()
        drawn = prepare_picture(show)
        assert drawn.duration == played.duration == pytest.approx(audio.duration)
        assert isinstance(drawn.analysis, Analysis) and played.analysis is not None
        assert isinstance(drawn.analysis.wave_reader, FileWaveform)
        assert len(drawn.analysis.waveform) == 0
        for t in (0.0, 1.234, 20.0, audio.duration - 0.001):
            a = drawn.analysis.audio_texture_at(t)
            b = played.analysis.audio_texture_at(t)
            assert np.abs(a - b).max() <= 1.5 / 255
        assert astuple(drawn.analysis.features_at(3.0)) == pytest.approx(
            astuple(played.analysis.features_at(3.0)), abs=1e-6
        )


def test_the_played_track_is_not_copied_for_the_waveform(tmp_path: Path) -> None:
    path = tmp_path / "song.wav"
    samples = music(2.0, 22050)
    soundfile.write(str(path), samples, 22050, subtype="FLOAT")
    audio = decode(path)
    for analysis in (load_or_analyse(path, audio.samples, 22050),) * 2:  # miss, then hit
        assert len(analysis.waveform) == 0 and analysis.wave_reader is not None
        np.testing.assert_array_equal(
            analysis.wave_reader.read(1000, 1512), waveform_of(audio.samples[1000:1512])
        )
    other = replace(audio, samples=audio.samples[:-100])
    assert load_or_analyse(path, other.samples, 22050).frames == len(other.samples)
