"""Set list files: songs in order, the interlude, and one error naming the key for every
mistake (as a show file does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.resources import shader_path
from livesync.show.scenes import Tempo
from livesync.show.set_list import (
    DEFAULT_INTERLUDE,
    SetList,
    is_set_list,
    load_set_list,
    looks_like_set_list,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(text)
    return path


def test_songs_names_pauses_and_the_interlude(tmp_path: Path) -> None:
    (tmp_path / "glow.fs").write_text("")
    path = write(
        tmp_path,
        "interlude_seconds = 3\n"
        '[[songs]]\nshow = "opener/show.toml"\npause = 8\n'
        '[[songs]]\nshow = "ballad.toml"\nname = "The Ballad"\ndaw_start = 183.5\n'
        '[interlude]\nbackground = "backgrounds/plasma.glsl"\neffects = ["glow.fs"]\n'
        "params = { speed = 0.2 }\n",
    )
    s = load_set_list(path)
    assert [e.name for e in s.songs] == ["opener", "The Ballad"]  # a folder's show.toml
    assert s.songs[0].show == tmp_path / "opener" / "show.toml"
    assert (s.songs[0].pause, s.songs[1].pause) == (8.0, None)
    assert s.songs[1].daw_start == 183.5
    assert s.interlude.background == shader_path("backgrounds/plasma.glsl")
    assert s.interlude.effects == (tmp_path / "glow.fs",)  # the set's own file wins
    assert s.interlude.params == {"speed": 0.2} and not s.interlude.character
    assert s.interlude_seconds == 3.0
    assert s.find("the ballad") == 1 and s.find(0) == 0
    assert s.find(2) is None and s.find("encore") is None


def test_the_interlude_keeps_a_tempo_on_the_wall_clock(tmp_path: Path) -> None:
    from livesync.app.set_interlude import interlude_performance

    s = load_set_list(
        write(tmp_path, '[[songs]]\nshow = "a.toml"\n[interlude]\nbpm = 90\nbeats_per_bar = 3\n')
    )
    assert s.interlude_tempo == Tempo(90.0, 0.0, 3)
    assert not s.interlude_listens  # the room is heard only when asked
    performance = interlude_performance(s.interlude_tempo)
    # 90 bpm: a beat every 2/3 s; 1.5 beats in, half a beat and half of the 3-beat bar.
    assert performance.state_at(1.0).beat == pytest.approx((90.0, 0.5, 0.5))
    assert interlude_performance(None).state_at(1.0).beat == (0.0, 0.0, 0.0)


def test_the_interlude_has_a_default(tmp_path: Path) -> None:
    s = load_set_list(write(tmp_path, '[[songs]]\nshow = "a.toml"\n'))
    assert isinstance(s, SetList)
    assert s.interlude.background == shader_path(DEFAULT_INTERLUDE)
    assert s.interlude_seconds == 5.0


def test_a_song_starts_at_a_bar_of_the_daw_project(tmp_path: Path) -> None:
    text = (
        '[[songs]]\nshow = "a.toml"\ndaw_start = "bar 65"\n'
        '[[songs]]\nshow = "b.toml"\ndaw_start = "Bar 9 beat 2.5"\n'
        '[[songs]]\nshow = "c.toml"\ndaw_start = 183.5\n'
        "[daw]\ntempo = 96\nbeats_per_bar = 3\n"
    )
    songs = load_set_list(write(tmp_path, text)).songs
    # 3/4 at 96 bpm, beats of 0.625 s: bar 65 is 64 bars in; bar 9 beat 2.5 is 25.5 beats.
    assert [s.daw_start for s in songs] == pytest.approx([120.0, 25.5 * 0.625, 183.5])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("songs = []\n", "songs"),
        ('songs = ["a.toml"]\n', "songs[0]"),
        ("[[songs]]\nname = 'x'\n", "songs[0].show"),
        ("[[songs]]\nshow = 3\n", "songs[0].show"),
        ('[[songs]]\nshow = "a.toml"\npause = -1\n', "songs[0].pause"),
        ('[[songs]]\nshow = "a.toml"\npause = "soon"\n', "songs[0].pause"),
        ('[[songs]]\nshow = "a.toml"\ndaw_start = nan\n', "songs[0].daw_start"),
        ('[[songs]]\nshow = "a.toml"\nname = 5\n', "songs[0].name"),
        ('[[songs]]\nshow = "a.toml"\n[[songs]]\nshow = "b/a.toml"\n', "songs[1].name"),
        ('[[songs]]\nshow = "a.toml"\n[interlude]\neffects = [1]\n', "interlude.effects[0]"),
        ('[[songs]]\nshow = "a.toml"\n[interlude]\nparams = { a = inf }\n', "interlude.params.a"),
        ('interlude_seconds = -2\n[[songs]]\nshow = "a.toml"\n', "interlude_seconds"),
        ('[[songs]]\nshow = "a.toml"\n[interlude]\nbpm = 0\n', "interlude.bpm"),
        ('[[songs]]\nshow = "a.toml"\n[interlude]\ninput = 3\n', "interlude.input"),
        ('[[songs]]\nshow = "a.toml"\n[interlude]\ninput = " "\n', "interlude.input"),
        (
            '[[songs]]\nshow = "a.toml"\n[interlude]\nbpm = 90\nbeats_per_bar = 0\n',
            "interlude.beats_per_bar",
        ),
        ('[[songs]]\nshow = "a.toml"\ndaw_start = "bar 3"\n', "songs[0].daw_start"),
        ('[[songs]]\nshow = "a.toml"\ndaw_start = "soon"\n', "songs[0].daw_start"),
        (
            '[[songs]]\nshow = "a.toml"\ndaw_start = "bar x"\n[daw]\ntempo = 90\n',
            "songs[0].daw_start",
        ),
        (
            '[[songs]]\nshow = "a.toml"\ndaw_start = "bar 0"\n[daw]\ntempo = 90\n',
            "songs[0].daw_start",
        ),
        (
            '[[songs]]\nshow = "a.toml"\ndaw_start = "bar 2 beat 5"\n[daw]\ntempo = 90\n',
            "songs[0].daw_start",
        ),
        ('[[songs]]\nshow = "a.toml"\ndaw_start = "bar 2"\n[daw]\ntempo = 0\n', "daw.tempo"),
        (
            '[[songs]]\nshow = "a.toml"\ndaw_start = "bar 2"\n'
            "[daw]\ntempo = 90\nbeats_per_bar = 0\n",
            "daw.beats_per_bar",
        ),
    ],
)
def test_every_mistake_names_its_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(InputError) as error:
        load_set_list(write(tmp_path, text))
    message = str(error.value)
    assert f"{key}:" in message and message.count("\n") == 0


def test_a_set_list_is_told_from_a_show_file(tmp_path: Path) -> None:
    assert is_set_list({"songs": []}) and not is_set_list({"track": {}})
    assert looks_like_set_list(write(tmp_path, '[[songs]]\nshow = "a.toml"\n'))
    show = tmp_path / "show.toml"
    show.write_text('[track]\naudio = "a.wav"\ntimeline = "t.json"\n')
    assert not looks_like_set_list(show)
    assert not looks_like_set_list(tmp_path / "missing.toml")
    assert not looks_like_set_list(tmp_path / "song.wav")


def test_songs_from_midi_pads_and_program_changes(tmp_path: Path) -> None:
    from livesync.control.events import PickSong

    s = load_set_list(
        write(
            tmp_path,
            '[[songs]]\nshow = "a.toml"\nname = "Opener"\n'
            '[midi]\nport = "pad"\nnext = { note = 91 }\nprogram_changes = true\n'
            '[[midi.songs]]\nnote = 36\nchannel = 2\nsong = "Opener"\n'
            "[[midi.songs]]\ncc = 20\nsong = 0\n",
        )
    )
    assert s.midi.port == "pad" and s.midi.program_changes
    from livesync.control.midi_map import MidiMapping

    mapping = MidiMapping(songs=s.midi.songs, song_programs=True)
    assert mapping.route("note_on", 0, 91, 100, "pad") == PickSong(None, "pad note 91")
    assert mapping.route("note_on", 1, 36, 100, "pad") == PickSong("Opener", "pad note 36")
    assert mapping.route("note_on", 0, 36, 100, "pad") is None  # another channel
    assert mapping.route("control_change", 5, 20, 127, "pad") == PickSong(0, "pad cc 20")
    assert mapping.route("control_change", 5, 20, 0, "pad") is None  # released
    assert mapping.route("program_change", 0, 3, 0, "pad") == PickSong(3, "pad program 3")


@pytest.mark.parametrize(
    ("midi", "key"),
    [
        ("next = 91\n", "midi.next"),
        ("next = { note = 200 }\n", "midi.next.note"),
        ("next = { note = 1, cc = 2 }\n", "midi.next"),
        ("program_changes = 1\n", "midi.program_changes"),
        ("port = ''\n", "midi.port"),
        ("[[midi.songs]]\nnote = 36\n", "midi.songs[0].song"),
        ("[[midi.songs]]\nnote = 36\nsong = -1\n", "midi.songs[0].song"),
        ("[[midi.songs]]\nsong = 'a'\n", "midi.songs[0]"),
    ],
)
def test_every_midi_mistake_names_its_key(tmp_path: Path, midi: str, key: str) -> None:
    with pytest.raises(InputError) as error:
        load_set_list(write(tmp_path, f'[[songs]]\nshow = "a.toml"\n[midi]\n{midi}'))
    assert f"{key}" in str(error.value) and str(error.value).count("\n") == 0
