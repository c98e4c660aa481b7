"""Timing files as the tools really write them (tests/data/formats, sources in its README):
each imports with the words and phones counted in the file itself, or is refused with one
line saying what it is. Silence and noise labels are never words or phones."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.formats import parse_timeline, read_timeline, textgrid, write_timeline
from livesync.formats.labels import SILENT_LABELS, is_silent_phone, is_silent_word
from livesync.formats.registry import decode
from livesync.lipsync.timeline import Timeline
from livesync.lipsync.visemes import Viseme

from .test_formats_support import FORMATS_DATA, assert_valid

V = Viseme


def read(name: str, speaker: str | None = None) -> Timeline:
    return read_timeline(FORMATS_DATA / name, speaker=speaker)


def text_of(name: str) -> str:
    """A sample's text as livesync decodes it (Praat writes UTF-16 where ASCII is not enough)."""
    return decode((FORMATS_DATA / name).read_bytes(), name)


def raw_tiers(name: str) -> dict[str, list[tuple[float, float, str]]]:
    """The file's intervals as written, label for label (no silence rules applied)."""
    grid = textgrid.parse(text_of(name), name)
    return {t.name: list(t.entries) for t in grid.tiers}


def first_sentence_phones() -> list[str]:
    """The ARPAbet phones (stress dropped) of the MFA sample's first sentence, which the
    WebMAUS, FAVE and Praat samples were written from."""
    tiers = raw_tiers("mfa-harvard-long.TextGrid")
    return [label.rstrip("012") for s, e, label in tiers["phones"] if label and e <= 4.34 + 1e-9]


# --- silence and noise labels ----------------------------------------------------------------


@pytest.mark.parametrize("label", [*sorted(SILENT_LABELS), "[SIL]", "<P:>", " sil ", "SPN"])
def test_every_documented_silence_label_is_rest(label: str) -> None:
    assert is_silent_word(label) and is_silent_phone(label)


@pytest.mark.parametrize("label", ["x", "X", "ç", "a", "the", "AH0", "e4", "<3", "[ok"])
def test_sounds_and_words_are_not_silence(label: str) -> None:
    assert not is_silent_phone(label) and not is_silent_word(label)


def test_rhubarb_x_is_still_the_rest_shape() -> None:
    tl = parse_timeline("0.00\tA\n0.20\tX\n0.50\tX\n", "mouth.tsv")
    assert [(c.viseme, c.start) for c in tl.cues] == [(V.PP, 0.0), (V.SIL, 0.2)]


# --- Charsiu (Mandarin, pinyin phones, [SIL]) --------------------------------------------------


def test_charsiu_sil_is_rest_and_pinyin_x_is_a_sound() -> None:
    tiers = raw_tiers("charsiu-mandarin-short.TextGrid")
    tl = read("charsiu-mandarin-short.TextGrid")
    sung = [label for _, _, label in tiers["words"] if label != "[SIL]"]
    assert len(tiers["words"]) == 23 and len(sung) == 18
    assert [w.text for w in tl.words] == sung
    sounds = [(s, e) for s, e, label in tiers["phones"] if label != "[SIL]"]
    assert len(tiers["phones"]) == 39 and len(sounds) == 34
    assert [(p.start, p.end) for p in tl.phones] == sounds
    x = next(p for p in tl.phones if p.start == 0.68)
    assert (x.phone, x.viseme, tl.words[x.word or 0].text) == ("HH", V.KK, "线")
    for start, end, label in tiers["phones"]:
        if label == "[SIL]":
            assert tl.lookup((start + end) / 2).viseme is V.SIL
    assert "[SIL]" not in tl.transcript


@pytest.mark.parametrize("form", ["chronological", "binary"])
def test_praat_chronological_and_binary_forms_read_as_the_short_form(form: str) -> None:
    """Both files are Praat's own (6.1.38) saves of the Charsiu grid."""
    name = f"charsiu-mandarin-{form}.TextGrid"
    raw = (FORMATS_DATA / name).read_bytes()
    assert raw.startswith(b"ooBinaryFile" if form == "binary" else b"\xfe\xff")
    other = read(name)
    short = read("charsiu-mandarin-short.TextGrid")
    assert other.words == short.words and other.phones == short.phones
    assert other.duration == short.duration == 6.32
    assert len(other.words) == 18 and len(other.phones) == 34


def test_a_cut_binary_textgrid_is_one_error() -> None:
    raw = (FORMATS_DATA / "charsiu-mandarin-binary.TextGrid").read_bytes()
    for cut in (21, 40, 60, 200, len(raw) - 3):
        with pytest.raises(InputError, match="cut: the binary TextGrid ends early: expected"):
            decode(raw[:cut], "cut")


def test_chronological_entry_for_a_missing_tier_is_one_error() -> None:
    text = text_of("charsiu-mandarin-chronological.TextGrid")
    with pytest.raises(InputError, match=r"chrono: line \d+: tier number 3 \(the file has 2"):
        parse_timeline(text + '3 6 6.1\n"x"\n', "chrono")


# --- MFA IPA models: x and spn -------------------------------------------------------------------


def test_mfa_ipa_x_is_mapped_and_unk_spn_are_rest() -> None:
    tiers = raw_tiers("mfa-spanish-ipa.TextGrid")
    tl = read("mfa-spanish-ipa.TextGrid")
    assert [w.text for w in tl.words] == ["mujer", "joven"]  # "<unk>" is no lyric
    sounds = [label for _, _, label in tiers["phones"] if label not in ("", "spn")]
    assert len(tl.phones) == len(sounds) == 10
    assert [p.phone for p in tl.phones if p.viseme is V.KK] == ["HH", "HH"]  # both x
    assert tl.lookup(1.5).viseme is V.SIL  # the spn of the unknown word


# --- WebMAUS (ORT-MAU / MAU in X-SAMPA, <p:> pauses) ----------------------------------------


def test_webmaus_words_and_sampa_phones() -> None:
    tiers = raw_tiers("webmaus-harvard.TextGrid")
    tl = read("webmaus-harvard.TextGrid")
    assert [w.text for w in tl.words] == [label for _, _, label in tiers["ORT-MAU"] if label]
    assert len(tl.words) == 9
    spoken = [label for _, _, label in tiers["MAU"] if label != "<p:>"]
    assert len(tl.phones) == len(spoken) == 28
    expected = first_sentence_phones()
    # X-SAMPA keeps fewer vowel contrasts than ARPAbet: V is AH, @U OW, and so on.
    assert [p.phone for p in tl.phones] == expected
    assert all(tl.lookup((s + e) / 2).viseme is V.SIL for s, e, x in tiers["MAU"] if x == "<p:>")


def test_webmaus_older_tier_names_ort_and_mau() -> None:
    text = (FORMATS_DATA / "webmaus-harvard.TextGrid").read_text()
    renamed = text.replace('"ORT-MAU"', '"ORT"').replace('"KAN-MAU"', '"KAN"')
    tl = parse_timeline(renamed, "old-maus.TextGrid")
    assert tl.words == read("webmaus-harvard.TextGrid").words and len(tl.phones) == 28


# --- FAVE-align (speaker - phone / speaker - word, upper case, sp, {BR}) --------------------


def test_fave_first_speaker_by_default_and_noise_is_no_word() -> None:
    tiers = raw_tiers("fave-harvard-duet.TextGrid")
    alice = read("fave-harvard-duet.TextGrid")
    assert alice.source["speakers"] == "Alice"
    assert alice.source["speakers_in_file"] == "Alice, Bob"
    assert [w.text for w in alice.words] == [
        label for _, _, label in tiers["Alice - word"] if label != "sp"
    ]
    assert [p.phone for p in alice.phones] == first_sentence_phones()
    bob = read("fave-harvard-duet.TextGrid", speaker="bob")
    sung = [label for _, _, label in tiers["Bob - word"] if label not in ("sp", "{BR}")]
    assert [w.text for w in bob.words] == sung and len(sung) == 8
    bob_phones = [label for _, _, label in tiers["Bob - phone"] if label not in ("sp", "br")]
    assert len(bob.phones) == len(bob_phones)
    assert bob.lookup(5.75).viseme is V.SIL  # the breath
    both = read("fave-harvard-duet.TextGrid", speaker="all")
    assert len(both.words) == 17 and both.source["speakers"] == "Alice, Bob"


def test_an_unknown_speaker_is_one_error_naming_the_speakers() -> None:
    with pytest.raises(InputError, match=r"no speaker 'carol' in the file .*'Alice', 'Bob'"):
        read("fave-harvard-duet.TextGrid", speaker="carol")


# --- Praat SpeechSynthesizer (word / phoneme, IPA, UTF-16) ------------------------------------


def test_praat_synthesizer_word_and_phoneme_tiers() -> None:
    """Praat's own `SpeechSynthesizer: To Sound` grid of the first Harvard sentence: eSpeak
    joins "of the" into one word and writes "əl" and "ɔːɹ" as single phonemes."""
    tiers = raw_tiers("praat-synth-horn.TextGrid")
    assert list(tiers) == ["sentence", "clause", "word", "phoneme"]
    tl = read("praat-synth-horn.TextGrid")
    assert [w.text for w in tl.words] == [label for _, _, label in tiers["word"] if label]
    assert len(tl.words) == 8 and tl.words[6].text == "of the"
    assert len(tl.phones) == len([x for _, _, x in tiers["phoneme"] if x]) == 26
    assert [p.phone for p in tl.phones][:6] == ["DH", "AH", "M", "Y", "UW", "T"]
    assert [p.phone for p in tl.phones][9] == "AH" and tl.phones[-2].phone == "AO"


# --- other Praat binary objects ----------------------------------------------------------------


def test_a_praat_binary_file_that_is_not_a_textgrid_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "song.Pitch"
    path.write_bytes(b"ooBinaryFile\x05Pitch" + struct.pack(">dd", 0.0, 6.32))
    with pytest.raises(InputError) as err:
        read_timeline(path)
    message = str(err.value)
    assert message.startswith(f"{path}: a Praat binary file that is not a TextGrid")
    assert "\n" not in message


def test_binary_junk_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "junk.json"
    path.write_bytes(b"\xff\xfa\x00\x01 broken")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_timeline(path)


# --- Papagayo in Latin-1 ------------------------------------------------------------------------


def test_papagayo_latin1_voices() -> None:
    raw = (FORMATS_DATA / "papagayo-latin1.pgo").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    tl = read("papagayo-latin1.pgo")
    assert [w.text for w in tl.words] == ["¿Qué", "canción,", "señor?"]
    assert tl.source["voice"] == "Cantante" and tl.source["voices"] == "Cantante, Niño"
    assert len([c for c in tl.cues if c.viseme is not V.SIL]) >= 3
    child = read("papagayo-latin1.pgo", speaker="NIÑO")
    assert [w.text for w in child.words] == ["Sí."] and child.source["speakers"] == "Niño"
    with pytest.raises(InputError, match="no voice 'Bob' in the project"):
        read("papagayo-latin1.pgo", speaker="Bob")


# --- Gentle: not-found-in-transcript, and 2015's in-word sil ---------------------------------


def test_gentle_not_found_in_transcript_is_no_lyric_word() -> None:
    source = json.loads((FORMATS_DATA / "gentle-lucier-golden.json").read_text())["words"]
    cases = [w["case"] for w in source]
    assert cases.count("not-found-in-transcript") == 8
    tl = read("gentle-lucier-golden.json")
    lyrics = [w for w in source if w["case"] in ("success", "not-found-in-audio")]
    assert [w.text for w in tl.words] == [w["word"] for w in lyrics] and len(tl.words) == 24
    assert len(tl.aligned_words()) == cases.count("success") == 21
    sung = sum(len(w["phones"]) for w in source if w["case"] == "success")
    assert sum(p.word is not None for p in tl.phones) == sung
    # What the recogniser heard besides the lyrics still moves the mouth, with no word.
    heard = next(w for w in source if w.get("alignedWord") == "recording")
    at = tl.lookup(heard["start"] + 0.01)
    assert at.phone is not None and at.word is None and at.phone.phone == "R"


def test_gentle_export_keeps_in_word_rests() -> None:
    """Gentle's 2015 output has `sil` inside words; written back, a pause stays a pause."""
    source = json.loads((FORMATS_DATA / "gentle-lucier-2015-sil.json").read_text())["words"]
    tl = read("gentle-lucier-2015-sil.json")
    out = json.loads(write_timeline(tl, "gentle"))["words"]
    assert len(out) == len(source)
    for before, after in zip(source, out, strict=True):
        assert [p["phone"].split("_")[0] for p in before["phones"]] == [
            p["phone"].split("_")[0] for p in after["phones"]
        ]
        assert [p["duration"] for p in before["phones"]] == pytest.approx(
            [p["duration"] for p in after["phones"]], abs=0.002
        )
    again = out[-1]["phones"]
    assert [(p["phone"], p["duration"]) for p in again[4:6]] == [("n_I", 0.26), ("sil", 1.26)]


def test_gentle_export_writes_a_long_gap_inside_a_word_as_sil() -> None:
    """An MFA word whose silence interval was left out (a gap) is written with a `sil`."""
    tl = read("mfa-harvard-short.TextGrid")
    word = tl.words[1]  # "mute", 1.29 to 1.64: stretch it over a pause in the middle
    assert word.text == "mute"
    phones = [p for p in tl.phones if p.word == 1]
    moved = [*phones[:2], *(type(p)(p.phone, p.start + 0.5, p.end + 0.5, 1) for p in phones[2:])]
    assert word.start is not None
    others = [p for p in tl.phones if p.word != 1 and p.end <= word.start]
    stretched = Timeline(
        (tl.words[0], type(word)(word.text, word.start, (word.end or 0) + 0.5)),
        (*others, *moved),
        5.0,
        {},
    )
    out = json.loads(write_timeline(stretched, "gentle"))["words"][1]["phones"]
    assert [p["phone"] for p in out] == ["m_B", "y_I", "sil", "uw_I", "t_E"]
    assert out[2]["duration"] == pytest.approx(0.5, abs=0.002)


# --- Polly SSML marks ---------------------------------------------------------------------------


def test_polly_break_tags_are_pauses_and_the_last_word_has_a_length() -> None:
    lines = (FORMATS_DATA / "polly-ssml.marks").read_text().splitlines()
    marks = [json.loads(line) for line in lines]
    spoken = [m for m in marks if m["type"] == "word" and not m["value"].startswith("<")]
    tl = read("polly-ssml.marks")
    assert [w.text for w in tl.words] == [m["value"] for m in spoken]
    assert [w.text for w in tl.words] == ["Mary", "had", "a", "little", "lamb"]
    had, lamb = tl.words[1], tl.words[-1]
    assert had.end == 0.897  # the break mark's start
    assert lamb.end is not None and lamb.start is not None and lamb.end - lamb.start >= 0.15
    assert tl.word_at(1.0) is None  # inside the 300 ms break


# --- the new forms under the same fuzzing as the other samples ----------------------------

REAL = [
    "charsiu-mandarin-short.TextGrid",
    "charsiu-mandarin-chronological.TextGrid",
    "praat-synth-horn.TextGrid",
    "webmaus-harvard.TextGrid",
    "fave-harvard-duet.TextGrid",
    "mfa-spanish-ipa.TextGrid",
    "polly-ssml.marks",
    "gentle-lucier-2015-sil.json",
]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(text: str, speaker: str | None = None) -> None:
    try:
        tl = parse_timeline(text, "fuzz.txt", speaker=speaker)
    except InputError as err:
        assert str(err).startswith("fuzz.txt: ") and "\n" not in str(err)
        return
    assert_valid(tl)


@pytest.mark.parametrize("name", REAL)
@FUZZ
@given(cut=st.floats(0.0, 1.0), speaker=st.sampled_from([None, "all", "Bob", "x"]))
def test_truncated_real_file(name: str, cut: float, speaker: str | None) -> None:
    text = text_of(name)
    _outcome(text[: int(len(text) * cut)], speaker)


@pytest.mark.parametrize("name", REAL)
@FUZZ
@given(data=st.data())
def test_mangled_real_file(name: str, data: st.DataObject) -> None:
    lines = text_of(name).splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "swap", "char"]))
        if action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif lines[i]:
            k = data.draw(st.integers(0, len(lines[i]) - 1))
            ch = data.draw(st.sampled_from([*'-0.9e"\t <>[]{}:!Xx\n', "nan", "1e999", "<p:>"]))
            lines[i] = lines[i][:k] + ch + lines[i][k + 1 :]
    _outcome("".join(lines))


def test_a_stray_quote_is_still_one_line() -> None:
    """Found by test_mangled_real_file: a quote where xmin should be opens a string that runs
    over several lines, and the message showed it raw, newlines and all."""
    text = 'File type = "ooTextFile"\nObject class = "TextGrid"\n"0\n6.32\n<exists>\n"\n'
    with pytest.raises(InputError) as error:
        parse_timeline(text, "fuzz.txt")
    message = str(error.value)
    assert "\n" not in message and "expected the TextGrid's xmin, found '0\\n6.32" in message


@FUZZ
@given(cut=st.integers(0, 1438), flip=st.integers(0, 1437), byte=st.integers(0, 255))
def test_damaged_binary_textgrid(cut: int, flip: int, byte: int) -> None:
    raw = bytearray((FORMATS_DATA / "charsiu-mandarin-binary.TextGrid").read_bytes())
    raw[flip % len(raw)] = byte
    try:
        text = decode(bytes(raw[: max(cut, 12)]), "fuzz.txt")
    except InputError as err:
        assert str(err).startswith("fuzz.txt: ") and "\n" not in str(err)
        return
    _outcome(text)


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes_decode_or_are_refused_in_one_line(data: bytes) -> None:
    try:
        text = decode(b"lipsync version 1\n" + data, "fuzz.txt")
    except InputError as err:
        assert str(err).startswith("fuzz.txt: ") and "\n" not in str(err)
        return
    _outcome(text)


# --- PolyglotDB's MAUS and FAVE test grids ------------------------------------------------------


def test_mau_tier_in_arpabet_is_read_as_arpabet() -> None:
    tiers = raw_tiers("polyglotdb-maus-arpabet.TextGrid")
    tl = read("polyglotdb-maus-arpabet.TextGrid")
    assert [w.text for w in tl.words] == [x for _, _, x in tiers["ORT"] if x]
    assert [p.phone for p in tl.phones] == [x for _, _, x in tiers["MAU"] if x != "<p:>"]
    assert len(tl.phones) == 18 and tl.phones[1].phone == "S"  # s, not X-SAMPA's sh


def test_fave_three_speakers_and_an_empty_one() -> None:
    tiers = raw_tiers("polyglotdb-fave-test.TextGrid")
    gary = read("polyglotdb-fave-test.TextGrid")
    assert gary.source["speakers_in_file"] == "Gary Salvi, Interviewer, Noise"
    assert [w.text for w in gary.words] == ["ASPIRIN", "PLANET", "JURASSIC"]
    assert len(gary.phones) == len([x for _, _, x in tiers["Gary Salvi - phone"] if x]) == 18
    interviewer = read("polyglotdb-fave-test.TextGrid", speaker="interviewer")
    assert [w.text for w in interviewer.words] == ["MURDER", "KNOW"]
    assert [p.phone for p in interviewer.phones] == ["M", "ER", "D", "ER", "N", "OW"]
    with pytest.raises(InputError, match=r"no words or phones: .* of speaker 'Noise' hold only"):
        read("polyglotdb-fave-test.TextGrid", speaker="Noise")


# --- Papagayo-NG: .pg2 JSON and its other phoneme sets ----------------------------------------


def test_papagayo_ng_pg2_with_fleming_dobbs_shapes() -> None:
    data = json.loads((FORMATS_DATA / "papagayo-ng-fleming-dobbs.pg2").read_text())
    source_words = [w for p in data["voices"][0]["phrases"] for w in p["words"]]
    tl = read("papagayo-ng-fleming-dobbs.pg2")
    assert tl.source["format"] == "papagayo-ng"
    assert [w.text for w in tl.words] == [w["text"] for w in source_words]
    pgo = read("papagayo-harvard.pgo")  # the same project saved as .pgo (Preston Blair)
    assert tl.words == pgo.words and tl.duration == pgo.duration
    # Each phoneme starts a cue at its frame (24 fps): the names map, none is refused.
    first = source_words[1]["phonemes"][0]  # "mute" starts on MBP
    assert first["text"] == "MBP"
    assert tl.cues[[c.start for c in tl.cues].index(first["frame"] / 24)].viseme is V.PP
    names = {p["text"] for w in source_words for p in w["phonemes"]}
    assert names <= {"MBP", "NLTDR", "FV", "TH", "GK", "SH", "O", "EHSZ", "AA", "IY", "rest"}


def test_papagayo_ng_cmu39_names_in_a_pgo() -> None:
    text = (FORMATS_DATA / "papagayo-ng-cmu39.pgo").read_text()
    names = [line.split()[1] for line in text.splitlines() if line.startswith("\t\t\t\t")]
    assert {"DH", "IY", "M", "UW", "AO"} <= set(names)
    tl = read("papagayo-ng-cmu39.pgo")
    assert [w.text for w in tl.words] == [w.text for w in read("papagayo-harvard.pgo").words]
    mute = next(c for c in tl.cues if abs(c.start - 31 / 24) < 1e-9)
    assert mute.viseme is V.PP  # M
    assert {c.viseme for c in tl.cues} >= {V.TH, V.IH, V.PP, V.OU, V.OH}


def test_an_unknown_shape_is_still_one_error() -> None:
    text = (
        (FORMATS_DATA / "papagayo-ng-cmu39.pgo")
        .read_text()
        .replace("\t\t\t\t31 M", "\t\t\t\t31 Q7")
    )
    expected = r"line 17 .*unknown CMU 39 mouth shape 'Q7' \(expected one of AA, AE,"
    with pytest.raises(InputError, match=expected):
        parse_timeline(text, "bad.pgo")


def test_gentle_tokens_key_of_november_2015_reads_as_words() -> None:
    data = json.loads((FORMATS_DATA / "gentle-lucier-golden.json").read_text())
    data["tokens"] = data.pop("words")
    tl = parse_timeline(json.dumps(data), "tokens.json")
    assert tl.words == read("gentle-lucier-golden.json").words and len(tl.words) == 24
