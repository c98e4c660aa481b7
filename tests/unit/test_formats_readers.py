"""Each importer on a sample written to its tool's documented format (tests/data/formats),
checked against the real Gentle alignment the samples were built from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livesync.errors import InputError
from livesync.formats import load, parse_timeline, read_timeline
from livesync.formats.polly import POLLY_TO_VISEME
from livesync.lipsync.mouth import MouthTrack
from livesync.lipsync.timeline import Timeline
from livesync.lipsync.visemes import FROM_RHUBARB, Viseme

from ..conftest import GENTLE_JSON
from .test_formats_support import FORMATS_DATA, SAMPLES, assert_valid, sample

V = Viseme


def read(name: str) -> Timeline:
    return read_timeline(FORMATS_DATA / name)


@pytest.mark.parametrize("name, fmt", list(SAMPLES.items()))
def test_every_sample_is_detected_from_content_alone(name: str, fmt: str, tmp_path: Path) -> None:
    renamed = tmp_path / "timing.txt"  # the name says nothing
    renamed.write_text(sample(name), encoding="utf-8")
    tl = read_timeline(renamed)
    assert tl.source["format"] == fmt
    assert_valid(tl)
    assert tl.words or tl.cues


# --- Gentle CSV ------------------------------------------------------------------------------


def test_gentle_csv_matches_gentle_json() -> None:
    csv_tl = read("gentle-harvard-align.csv")
    json_tl = load(GENTLE_JSON)
    assert [(w.text, w.start, w.end) for w in csv_tl.words] == [
        (w.text, w.start, w.end) for w in json_tl.words[:17]
    ]
    assert csv_tl.phones == () and csv_tl.cues == ()
    assert csv_tl.word_at(1.5) == csv_tl.words[1]  # "mute"


def test_gentle_csv_not_found_words_have_no_times() -> None:
    tl = parse_timeline(
        "hello,hello,0.5,0.9\r\nwonderful,,,\r\nzorblax,<unk>,1.2,1.5\r\n", "align.csv"
    )
    assert [(w.text, w.aligned) for w in tl.words] == [
        ("hello", True),
        ("wonderful", False),
        ("zorblax", True),
    ]
    assert tl.transcript == "hello wonderful zorblax"


# --- MFA ------------------------------------------------------------------------------------


def test_mfa_long_short_and_json_agree_with_gentle() -> None:
    long_tl, short_tl, json_tl = (
        read("mfa-harvard-long.TextGrid"),
        read("mfa-harvard-short.TextGrid"),
        read("mfa-harvard.json"),
    )
    assert long_tl.words == short_tl.words == json_tl.words
    assert long_tl.phones == short_tl.phones == json_tl.phones
    gentle = load(GENTLE_JSON)
    assert [w.text for w in long_tl.words] == [w.text.lower() for w in gentle.words[:17]]
    assert [w.start for w in long_tl.words] == pytest.approx([w.start for w in gentle.words[:17]])
    gentle_phones = [p for p in gentle.phones if p.word is not None and p.word < 17]
    assert [p.phone for p in long_tl.phones] == [p.phone for p in gentle_phones]
    assert [p.start for p in long_tl.phones] == pytest.approx(
        [p.start for p in gentle_phones], abs=0.011
    )
    assert [p.word for p in long_tl.phones] == [p.word for p in gentle_phones]
    assert long_tl.duration == 10.5


def test_mfa_stress_digits_and_silences() -> None:
    text = sample("mfa-harvard-long.TextGrid")
    assert '"AH1"' in text and '"IY0"' in text  # the sample really has stress digits
    tl = read("mfa-harvard-long.TextGrid")
    assert all(not p.phone[-1].isdigit() for p in tl.phones)
    assert "" not in [w.text for w in tl.words]
    assert tl.lookup(0.5).phone is None  # the leading "" interval is silence


def _grid(tiers: list[tuple[str, list[tuple[float, float, str]]]], xmax: float) -> str:
    out = [
        'File type = "ooTextFile"',
        'Object class = "TextGrid"',
        "",
        "0",
        str(xmax),
        "<exists>",
        str(len(tiers)),
    ]
    for name, entries in tiers:
        out += ['"IntervalTier"', f'"{name}"', "0", str(xmax), str(len(entries))]
        for s, e, label in entries:
            out += [str(s), str(e), '"' + label.replace('"', '""') + '"']
    return "\n".join(out) + "\n"


def test_mfa_old_silence_labels_and_spoken_noise() -> None:
    text = _grid(
        [
            ("words", [(0, 0.5, "<eps>"), (0.5, 1.0, "zorblax"), (1.0, 1.2, "sil")]),
            ("phones", [(0, 0.5, "sil"), (0.5, 1.0, "spn"), (1.0, 1.2, "sp")]),
        ],
        1.2,
    )
    tl = parse_timeline(text, "old.TextGrid")
    assert [w.text for w in tl.words] == ["zorblax"]
    assert tl.phones == ()


def test_mfa_ipa_phones_are_spelled_in_arpabet() -> None:
    """MFA's default english_mfa model writes IPA: 'the mute' as it would align it."""
    text = _grid(
        [
            ("words", [(0, 0.2, ""), (0.2, 0.4, "the"), (0.4, 0.8, "mute")]),
            (
                "phones",
                [
                    (0, 0.2, ""),
                    (0.2, 0.3, "ð"),
                    (0.3, 0.4, "ə"),
                    (0.4, 0.5, "m"),
                    (0.5, 0.6, "j"),
                    (0.6, 0.7, "ʉː"),
                    (0.7, 0.8, "tʰ"),
                ],
            ),
        ],
        0.8,
    )
    tl = parse_timeline(text, "ipa.TextGrid")
    assert [p.phone for p in tl.phones] == ["DH", "AH", "M", "Y", "UW", "T"]
    assert [p.viseme for p in tl.phones] == [V.TH, V.AA, V.PP, V.IH, V.OU, V.DD]


def test_praat_utf16_textgrid_file(tmp_path: Path) -> None:
    path = tmp_path / "praat.TextGrid"
    path.write_text(
        sample("mfa-harvard-short.TextGrid").replace('"IY0"', '"iː"'), encoding="utf-16"
    )
    tl = read_timeline(path)
    assert tl.phones == read("mfa-harvard-short.TextGrid").phones


DUET: list[tuple[str, list[tuple[float, float, str]]]] = [
    ("alice - words", [(0, 1, "hey"), (1, 2, "")]),
    ("alice - phones", [(0, 0.5, "HH"), (0.5, 1, "EY1"), (1, 2, "")]),
    ("bob - words", [(0, 1, ""), (1, 2, "yo")]),
    ("bob - phones", [(0, 1, ""), (1, 1.5, "Y"), (1.5, 2, "OW1")]),
]


def test_mfa_speakers_first_by_default_named_or_all_merged() -> None:
    text = _grid(DUET, 2)
    tl = parse_timeline(text, "duet.TextGrid")
    assert [w.text for w in tl.words] == ["hey"]
    assert tl.source["speakers"] == "alice" and tl.source["speakers_in_file"] == "alice, bob"
    bob = parse_timeline(text, "duet.TextGrid", speaker="BOB")
    assert [w.text for w in bob.words] == ["yo"] and bob.source["speakers"] == "bob"
    tl = parse_timeline(text, "duet.TextGrid", speaker="all")
    assert [w.text for w in tl.words] == ["hey", "yo"]
    assert [(p.phone, p.word) for p in tl.phones] == [("HH", 0), ("EY", 0), ("Y", 1), ("OW", 1)]
    assert tl.source["speakers"] == "alice, bob"
    with pytest.raises(InputError, match=r"no speaker 'carol' in the file .*'alice', 'bob'"):
        parse_timeline(text, "duet.TextGrid", speaker="carol")


def test_mfa_overlapping_speakers_are_not_merged() -> None:
    text = _grid(
        [
            ("bob - words", [(0, 1, "yo")]),
            ("bob - phones", [(0, 0.5, "Y"), (0.5, 1, "OW1")]),
            ("alice - words", [(0.5, 1.5, "hey")]),
            ("alice - phones", [(0.5, 1, "HH"), (1, 1.5, "EY1")]),
        ],
        1.5,
    )
    with pytest.raises(InputError, match=r"sound at once.*--speaker NAME"):
        parse_timeline(text, "overlap.TextGrid", speaker="all")


def test_mfa_overlapping_speakers_keep_the_first() -> None:
    text = _grid(
        [
            ("bob - words", [(0, 1, "yo")]),
            ("bob - phones", [(0, 0.5, "Y"), (0.5, 1, "OW1")]),
            ("alice - words", [(0.5, 1.5, "hey")]),
            ("alice - phones", [(0.5, 1, "HH"), (1, 1.5, "EY1")]),
        ],
        1.5,
    )
    tl = parse_timeline(text, "overlap.TextGrid")
    assert [w.text for w in tl.words] == ["yo"]
    assert tl.source["speakers"] == "bob"


def test_mfa_long_form_strings_with_quotes_and_point_tiers() -> None:
    text = sample("mfa-harvard-long.TextGrid").replace('text = "mute"', 'text = "say ""hi"""')
    text = text.replace("size = 2 ", "size = 3 ").rstrip("\n") + (
        '\n    item [3]:\n        class = "TextTier"\n        name = "beats"\n'
        "        xmin = 0\n        xmax = 10.5\n        points: size = 1\n"
        '        points [1]:\n            number = 1.5\n            mark = "x"\n'
    )
    tl = parse_timeline(text, "quoted.TextGrid")
    assert tl.words[1].text == 'say "hi"'


# --- Rhubarb --------------------------------------------------------------------------------


def test_rhubarb_three_outputs_give_the_same_cues() -> None:
    tsv, xml, js = (
        read("rhubarb-harvard.tsv"),
        read("rhubarb-harvard.xml"),
        read("rhubarb-harvard.json"),
    )
    assert tsv.cues == xml.cues == js.cues
    assert js.duration == pytest.approx(4.8) and xml.duration == pytest.approx(4.8)
    assert js.source["sound_file"].endswith("harvard-sentences-list30.wav")
    assert js.cues[0] == js.cues[0].__class__(V.SIL, 0.0, 1.03)
    assert js.lookup(1.3).viseme is FROM_RHUBARB["A"]  # the M of "mute"


def test_rhubarb_tsv_cue_ends_where_the_next_starts() -> None:
    tl = parse_timeline("0.00\tX\n0.50\tA\n0.62\tC\n0.90\tX\n", "out.tsv")
    assert [(c.viseme, c.start, c.end) for c in tl.cues] == [
        (V.SIL, 0.0, 0.5),
        (V.PP, 0.5, 0.62),
        (V.EH, 0.62, 0.9),
    ]
    assert tl.duration == pytest.approx(0.9)
    assert MouthTrack.for_timeline(tl).sample(0.55).viseme is V.PP


# --- Papagayo and Moho ----------------------------------------------------------------------


def test_papagayo_words_and_cues() -> None:
    tl = read("papagayo-harvard.pgo")
    assert [w.text for w in tl.words][:3] == ["The", "mute", "muffled"]
    assert tl.words[0].start == pytest.approx(25 / 24)
    assert tl.words[0].end == pytest.approx(31 / 24)  # end frame 30 is the word's last frame
    assert tl.lookup(31.5 / 24).viseme is V.PP  # "31 MBP"
    assert tl.lookup(0.5).viseme is V.SIL  # before the first word: rest
    assert tl.cues[0].start == 0 and tl.cues[-1].end == pytest.approx(tl.duration)
    assert tl.duration == pytest.approx(115 / 24)
    assert tl.source["voice"] == "Voice 1"


def test_papagayo_reads_the_first_of_several_voices() -> None:
    text = sample("papagayo-harvard.pgo").replace("\n1\n\tVoice 1", "\n2\n\tVoice 1", 1)
    text += "\tBackup\n\tla\n\t1\n\t\tla\n\t\t0\n\t\t5\n\t\t1\n\t\t\tla 0 5 1\n\t\t\t\t0 L\n"
    tl = parse_timeline(text, "two.pgo")
    assert tl.source["voices"] == "Voice 1, Backup"
    assert "la" not in [w.text for w in tl.words]


def test_moho_frames_are_one_based_at_the_given_fps() -> None:
    text = "MohoSwitch1\n1 rest\n25 MBP\n31 AI\n49 rest\n"
    tl = parse_timeline(text, "mouth.dat")
    assert [(c.viseme, c.start, c.end) for c in tl.cues] == [
        (V.SIL, 0.0, 1.0),
        (V.PP, 1.0, 1.25),
        (V.AA, 1.25, 2.0),
    ]  # the last rest ends it
    assert tl.duration == 2.0
    held = parse_timeline("MohoSwitch1\n1 rest\n25 MBP\n", "open-end.dat")
    assert held.cues[-1] == held.cues[-1].__class__(V.PP, 1.0, 1.0 + 1 / 24)
    assert tl.source["fps"] == "24"
    at_30 = parse_timeline(text, "mouth.dat", fps=30)
    assert at_30.cues[1].start == pytest.approx(24 / 30)
    with_line = parse_timeline(text.replace("MohoSwitch1\n", "MohoSwitch1\nFPS 12\n"), "x.dat")
    assert with_line.cues[1].start == pytest.approx(2.0)


def test_moho_from_rhubarb_letters() -> None:
    tl = parse_timeline("MohoSwitch1\n1 X\n5 B\n9 E\n13 X\n", "rhubarb.dat")
    assert [c.viseme for c in tl.cues] == [V.SIL, V.SS, V.OH]  # E is Rhubarb's E
    blair = parse_timeline("MohoSwitch1\n1 rest\n5 etc\n9 E\n13 rest\n", "blair.dat")
    assert [c.viseme for c in blair.cues] == [V.SIL, V.SS, V.EH]


def test_moho_sample_matches_papagayo_it_came_from() -> None:
    pgo, dat = read("papagayo-harvard.pgo"), read("moho-harvard.dat")
    for t in (1.1, 1.3, 2.0, 3.3, 4.0):
        assert dat.lookup(t).viseme is pgo.lookup(t).viseme


# --- Polly ----------------------------------------------------------------------------------


def test_polly_visemes_and_words() -> None:
    tl = read("polly-harvard.marks")
    assert [w.text for w in tl.words] == "The mute muffled the high tones of the horn".split()
    assert tl.words[0].start == pytest.approx(1.03)
    assert tl.words[0].end == pytest.approx(1.29)  # the next word's start
    assert tl.words[-1].end == pytest.approx(4.34)  # the final "sil"
    assert tl.lookup(1.3).viseme is V.PP
    assert tl.cues[-1].end == pytest.approx(4.34)


def test_polly_table_covers_every_documented_viseme() -> None:
    documented = "p t S T f k i r s u @ a e E o O sil".split()
    assert set(documented) <= set(POLLY_TO_VISEME)
    marks = "\n".join(
        json.dumps({"time": i * 100, "type": "viseme", "value": v})
        for i, v in enumerate(documented)
    )
    tl = parse_timeline(marks, "all.marks")
    for i, v in enumerate(documented[:-1]):
        assert tl.lookup(i * 0.1 + 0.05).viseme is POLLY_TO_VISEME[v]
    assert tl.duration == pytest.approx(1.6)  # the final "sil" marks the end


def test_polly_marks_run_together_and_last_viseme_hold() -> None:
    text = (
        '{"time":6,"type":"word","start":0,"end":4,"value":"Mary"} '
        '{"time":6,"type":"viseme","value":"p"} {"time":73,"type":"viseme","value":"E"}'
    )
    tl = parse_timeline(text, "doc-example.txt")
    assert tl.cues[-1].end == pytest.approx(0.173)
    assert tl.words[0].end == pytest.approx(0.173)


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, needle",
    [
        ("hello there", "unrecognised timing format"),
        ("0.00\tX\n0.50\tQ\n", "line 2: unknown Rhubarb mouth shape 'Q'"),
        ("0.00\tX\n0.50\tA\n0.20\tB\n", "line 3: time 0.200 s is before"),
        ("0.00\tX\n-0.5\tA\n", "line 2 time: must be 0 or more, got -0.5"),
        ('{"mouthCues": [{"start": 0.5, "end": 0.2, "value": "A"}]}', "mouthCues[0] ends before"),
        (
            '{"mouthCues": [{"start": 0, "end": 1, "value": "A"}, {"start": 0.5, "end": 2, '
            '"value": "B"}]}',
            "mouthCues[1] starts at 0.500 s, before the previous cue ends",
        ),
        (
            '{"mouthCues": [{"start": "0", "end": 1, "value": "A"}]}',
            "mouthCues[0].start: expected a number, got a string",
        ),
        ('{"mouthCues": [{"start": 0, "end": 1}]}', "mouthCues[0] has no 'value'"),
        (
            '<rhubarbResult><mouthCues><mouthCue start="0" end="x">A</mouthCue></mouthCues>'
            "</rhubarbResult>",
            "mouthCue 1 end: expected a number",
        ),
        ("<rhubarbResult><mouthCues>", "malformed XML"),
        ("<html></html>", "expected <rhubarbResult>"),
        ("MohoSwitch1\n1 rest\n5 blah\n", "line 3: unknown Preston Blair mouth shape 'blah'"),
        ("MohoSwitch1\n5 rest\n1 MBP\n", "line 3: time 0.000 s is before"),
        ("MohoSwitch1\n0 rest\n", "line 2 frame: must be 1 or more"),
        ("MohoSwitch1\n", "no mouth shapes"),
        ("lipsync version 1\nx.wav\n24\n10\n1\n\tVoice\n\ttext\n\t1\n", "ends early"),
        ("lipsync version 1\nx.wav\nfast\n", "line 3 (the frame rate): expected a number"),
        ('{"time": 0, "type": "viseme", "value": "Z"}', "line 1: unknown Polly viseme 'Z'"),
        (
            '{"time": 5, "type": "viseme", "value": "p"}\n{"time": 1, "type": "viseme", '
            '"value": "a"}',
            "line 2: time 0.001 s is before",
        ),
        (
            '{"time": -1, "type": "word", "value": "a"}',
            "line 1 time (milliseconds): must be 0 or more",
        ),
        ('{"time": 0, "type": "word", "value": "a"}\n{"time": 1, ', "line 2: malformed speech"),
        (
            'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n1\n<exists>\n1\n'
            '"IntervalTier"\n"words"\n0\n1\n2\n0\n0.6\n"a"\n0.4\n1\n"b"\n',
            "intervals out of order",
        ),
        (
            'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n1\n<exists>\n1\n'
            '"IntervalTier"\n"words"\n0\n1\n1\n0\n1\n"a\n',
            "line 14: an unterminated string",
        ),
        (
            'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n1\n<exists>\n1\n'
            '"IntervalTier"\n"tones"\n0\n1\n1\n0\n1\n"a"\n',
            "no 'words' or 'phones' tier",
        ),
        (
            'File type = "ooTextFile"\nObject class = "TextGrid"\n0\n1\n<exists>\n1\n'
            '"IntervalTier"\n"words"\n0\n1\n1\n0\n',
            "ends early: expected tier 1 ('words') interval 1 xmax",
        ),
        (
            '{"tiers": {"words": {"type": "interval", "entries": [[0, "1", "a"]]}}}',
            "tiers['words'].entries[0] end: expected a number, got a string",
        ),
        ("a,b,1.0,0.5\n", "line 1: word 'a' ends before it starts"),
        ("a,b,0.5,1\nc,d,0.2,0.3\n", "words out of order"),
        ("a,b,,1.0\n", "unrecognised"),
    ],
)
def test_bad_input_is_one_clear_error(text: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        parse_timeline(text, "bad.file")
    assert str(err.value).startswith("bad.file: ")
    assert needle in str(err.value)


def test_missing_file_and_bad_fps_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_timeline(tmp_path / "nope.dat")
    with pytest.raises(InputError, match="frame rate"):
        parse_timeline("MohoSwitch1\n1 rest\n", "x.dat", fps=0)
