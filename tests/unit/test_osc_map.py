"""The OSC address space and DAW presets, as pure routing (the server tests use real UDP)."""

from __future__ import annotations

import pytest

from livesync.control.events import SelectScene, SetOffset, SetParam, Transport, TriggerCue
from livesync.control.osc_map import OscRouter, SyncReport


def test_livesync_address_space() -> None:
    r = OscRouter()
    assert r.route("/livesync/scene", ["chorus"]) == SelectScene("chorus", "osc /livesync/scene")
    assert r.route("/livesync/scene", [2]) == SelectScene(2, "osc /livesync/scene")
    assert r.route("/livesync/scene", [2.0]) == SelectScene(2, "osc /livesync/scene")
    assert r.route("/livesync/param/speed", [0.5]) == SetParam(
        "speed", 0.5, "osc /livesync/param/speed"
    )
    assert r.route("/livesync/transport/play", []) == Transport(
        "play", "osc /livesync/transport/play"
    )
    assert r.route("/livesync/transport/seek", [61.5]) == Transport(
        "seek", "osc /livesync/transport/seek", 61.5
    )
    assert r.route("/livesync/offset", [40]) == SetOffset(40.0, "osc /livesync/offset")
    assert r.route("/livesync/cue", ["drop"]) == TriggerCue("drop", "osc /livesync/cue")


@pytest.mark.parametrize(
    "address, args",
    [
        ("/livesync/scene", []),
        ("/livesync/scene", [1.5]),
        ("/livesync/scene", [True]),
        ("/livesync/scene", [b"blob"]),
        ("/livesync/param/", [1.0]),
        ("/livesync/param/speed", ["fast"]),
        ("/livesync/param/speed", [float("nan")]),
        ("/livesync/param/speed", [float("inf")]),
        ("/livesync/param/speed", [True]),
        ("/livesync/transport/seek", [float("-inf")]),
        ("/livesync/offset", [float("nan")]),
        ("/livesync/offset", [10**400]),
        ("/livesync/param/speed", [1.0, 2.0]),
        ("/livesync/transport/seek", []),
        ("/livesync/transport/rewind", []),
        ("/livesync/cue", [3]),
        ("/livesync", []),
        ("/somewhere/else", [1]),
        ("/time", [12.0]),
    ],
)
def test_wrong_addresses_and_arguments_are_dropped(address: str, args: list[object]) -> None:
    assert OscRouter().route(address, args) is None


def test_reaper_preset() -> None:
    r = OscRouter("reaper")
    assert r.route("/time", [12.25]) == SyncReport("reaper /time", song_time=12.25)
    assert r.route("/play", [1.0]) == SyncReport("reaper /play", playing=True)
    assert r.route("/play", [0.0]) == SyncReport("reaper /play", playing=False)
    assert r.route("/stop", [1.0]) == SyncReport("reaper /stop", playing=False)
    assert r.route("/stop", [0.0]) is None
    assert r.route("/tempo/raw", [128.0]) == SyncReport("reaper /tempo/raw", bpm=128.0)
    assert r.route("/tempo/raw", [-1.0]) is None
    assert r.subscriptions() == []


def test_ableton_preset_converts_beats_with_the_tempo() -> None:
    r = OscRouter("ableton")
    assert [a for a, _ in r.subscriptions()][:3] == [
        "/live/song/start_listen/tempo",
        "/live/song/start_listen/is_playing",
        "/live/song/start_listen/current_song_time",
    ]
    assert r.route("/live/song/get/current_song_time", [8.0]) is None  # tempo not known yet
    r.route("/live/song/get/tempo", [120.0])
    assert r.route("/live/song/get/current_song_time", [8.0]) == SyncReport(
        "ableton current_song_time", song_time=4.0
    )
    assert r.route("/live/song/get/is_playing", [True]) == SyncReport(
        "ableton is_playing", playing=True
    )


def test_bitwig_preset_and_unknown_preset() -> None:
    r = OscRouter("bitwig")
    assert r.route("/play", [1]) == SyncReport("bitwig /play", playing=True)
    assert r.route("/tempo/raw", [90.0]) == SyncReport("bitwig /tempo/raw", bpm=90.0)
    assert r.route("/time", [3.0]) is None
    with pytest.raises(ValueError, match="unknown DAW preset"):
        OscRouter("cubase")


@pytest.mark.parametrize("daw, address", [("reaper", "/tempo/raw"), ("bitwig", "/tempo/raw")])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), False])
def test_daw_tempo_must_be_finite(daw: str, address: str, bad: object) -> None:
    r = OscRouter(daw)
    assert r.route(address, [bad]) is None
    assert r.route(address, [100.0]) == SyncReport(f"{daw} {address}", bpm=100.0)


@pytest.mark.parametrize("bad", [float("nan"), float("-inf"), True])
def test_ableton_drops_a_tempo_or_time_that_is_not_finite(bad: object) -> None:
    r = OscRouter("ableton")
    assert r.route("/live/song/get/tempo", [bad]) is None
    assert r.route("/live/song/get/tempo", [120.0]) == SyncReport("ableton tempo", bpm=120.0)
    assert r.route("/live/song/get/current_song_time", [bad]) is None
    assert r.route("/live/song/get/current_song_time", [2.0]) == SyncReport(
        "ableton current_song_time", song_time=1.0
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_reaper_drops_a_time_that_is_not_finite(bad: object) -> None:
    assert OscRouter("reaper").route("/time", [bad]) is None


@pytest.mark.parametrize("bad", [1e306, -1.0, 24 * 3600.0 + 1])
def test_song_positions_from_outside_are_bounded(bad: float) -> None:
    """A seek or a DAW position beyond a day (or before the start) is dropped, never handed
    to a clock: 1e306 overflowed the audio feature lookup and crashed the player."""
    assert OscRouter().route("/livesync/transport/seek", [bad]) is None
    assert OscRouter("reaper").route("/time", [bad]) is None
    ableton = OscRouter("ableton")
    ableton.route("/live/song/get/tempo", [120.0])
    assert ableton.route("/live/song/get/current_song_time", [bad * 2]) is None
    assert OscRouter("reaper").route("/time", [3600.0]) == SyncReport("reaper /time", 3600.0)


@pytest.mark.parametrize("daw", ["reaper", "bitwig"])
@pytest.mark.parametrize("bad", [5e-324, 5.0, 5000.0])
def test_tempos_are_ones_a_musician_plays(daw: str, bad: float) -> None:
    assert OscRouter(daw).route("/tempo/raw", [bad]) is None
    assert OscRouter(daw).route("/tempo/raw", [174.0]) == SyncReport(f"{daw} /tempo/raw", bpm=174.0)


def test_a_tiny_ableton_tempo_cannot_make_song_time_infinite() -> None:
    ableton = OscRouter("ableton")
    assert ableton.route("/live/song/get/tempo", [5e-324]) is None
    assert ableton.route("/live/song/get/current_song_time", [8.0]) is None  # no tempo yet


def test_set_list_addresses() -> None:
    from livesync.control.events import PickSong

    r = OscRouter()
    assert r.route("/livesync/next", []) == PickSong(None, "osc /livesync/next")
    assert r.route("/livesync/song", ["Opener"]) == PickSong("Opener", "osc /livesync/song")
    assert r.route("/livesync/song", [2]) == PickSong(2, "osc /livesync/song")
    for bad in ([], [""], [-1], [True], [1.5], ["a", "b"]):
        assert r.route("/livesync/song", bad) is None
    assert r.route("/livesync/next", [1]) is None
