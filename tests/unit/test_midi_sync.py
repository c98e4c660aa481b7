"""MTC and MIDI clock decoding, fed the bytes a DAW sends, through mido's parser (the only
MIDI library use here: it turns raw bytes into messages, as the MIDI edge does)."""

from __future__ import annotations

import mido
import pytest

from livesync.sync.midi_decoders import MidiClockDecoder, MtcDecoder, Timecode


def quarter_frames(h: int, m: int, s: int, f: int, rate_code: int) -> list[int]:
    """The 16 bytes a DAW sends for one timecode (8 quarter-frame messages)."""
    values = [
        f & 0xF,
        f >> 4,
        s & 0xF,
        s >> 4,
        m & 0xF,
        m >> 4,
        h & 0xF,
        (h >> 4) | (rate_code << 1),
    ]
    out: list[int] = []
    for piece, value in enumerate(values):
        out += [0xF1, (piece << 4) | value]
    return out


def decode(decoder: MtcDecoder, raw: list[int]) -> list[float]:
    parser = mido.Parser()
    parser.feed(raw)
    times = []
    for msg in parser:
        if msg.type == "quarter_frame":
            t = decoder.quarter_frame(msg.frame_type, msg.frame_value)
            if t is not None:
                times.append(t)
        elif msg.type == "sysex":
            t = decoder.full_frame(msg.data)
            if t is not None:
                times.append(t)
    return times


@pytest.mark.parametrize("rate_code, fps", [(0, 24.0), (1, 25.0), (3, 30.0)])
def test_quarter_frames_give_the_time_two_frames_on(rate_code: int, fps: float) -> None:
    times = decode(MtcDecoder(), quarter_frames(0, 1, 23, 10, rate_code))
    assert times == [pytest.approx(60 + 23 + 12 / fps)]


def test_session_offset_and_drop_frame() -> None:
    decoder = MtcDecoder(offset=3600.0)  # sessions often start at 01:00:00:00
    assert decode(decoder, quarter_frames(1, 0, 2, 0, 3)) == [pytest.approx(2 + 2 / 30)]
    # 29.97 drop-frame: label 00:01:00;02 is the 1800th frame (labels ;00 and ;01 skipped).
    assert Timecode(0, 1, 0, 2, 2).to_seconds() == pytest.approx(1800 / (30000 / 1001))
    assert Timecode(0, 10, 0, 0, 2).to_seconds() == pytest.approx(17982 / (30000 / 1001))


def test_out_of_order_pieces_and_garbage_are_ignored() -> None:
    raw = quarter_frames(0, 0, 5, 0, 1)
    scrambled = raw[2:8] + raw[:2] + raw[8:]
    assert decode(MtcDecoder(), scrambled) == []
    assert decode(MtcDecoder(), quarter_frames(0, 75, 5, 0, 1)) == []  # 75 minutes: invalid


def test_full_frame_locate() -> None:
    sysex = [0xF0, 0x7F, 0x7F, 0x01, 0x01, (1 << 5) | 0, 2, 3, 4, 0xF7]  # 25 fps 00:02:03:04
    assert decode(MtcDecoder(), sysex) == [pytest.approx(123 + 4 / 25)]
    assert decode(MtcDecoder(), [0xF0, 0x7E, 0x00, 0x06, 0x01, 0xF7]) == []


def test_midi_clock_tempo_and_position() -> None:
    clock = MidiClockDecoder()
    parser = mido.Parser()
    t = 0.0
    parser.feed([0xFA])  # start
    for msg in parser:
        assert msg.type == "start"
        clock.start()
    for _ in range(24 * 3 + 12):  # three and a half beats at 120 BPM
        t += 0.5 / 24
        clock.clock(t)
    state = clock.state()
    assert state.bpm == pytest.approx(120.0)
    assert state.beats == pytest.approx(3.5)
    clock.stop()
    clock.clock(t + 0.02)
    assert clock.state().beats == pytest.approx(3.5) and not clock.state().playing
    clock.song_position(32)  # bar 3 (32 sixteenths = 8 beats)
    assert clock.state().beats == 8.0
