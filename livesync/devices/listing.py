"""Edge: `livesync devices`, what outputs this machine offers (sound, screens)."""

from __future__ import annotations

import os
from typing import Literal

import pygame

from livesync.devices import audio_out
from livesync.quiet import c_library_output


def describe_devices() -> str:
    return "\n".join(
        [
            "Audio outputs:",
            *_audio_lines("output"),
            "",
            "Audio inputs (a microphone, the desk's vocal channel):",
            *_audio_lines("input"),
            "",
            "Displays:",
            *_display_lines(),
            "",
            "MIDI inputs:",
            *_midi_lines(),
        ]
    )


def _midi_lines() -> list[str]:
    try:
        from livesync.devices.midi_ports import MidoBackend

        names = MidoBackend().input_names()
    except Exception as exc:  # no ALSA sequencer, no rtmidi: say so, never a traceback
        return [f"  none: MIDI is not available here ({exc.__class__.__name__}: {exc})"]
    return [f"  {name}" for name in names] or ["  none found"]


def _audio_lines(kind: Literal["input", "output"]) -> list[str]:
    sounddevice = audio_out.sounddevice
    if sounddevice is None:
        return [f"  none: PortAudio is not installed ({audio_out.PORTAUDIO_ERROR})"]
    channels = f"max_{kind}_channels"
    try:
        devices = sounddevice.query_devices()
        default = sounddevice.default.device[0 if kind == "input" else 1]
    except Exception as exc:
        return [f"  none: {exc}"]
    lines = [
        f"  {i}: {d['name']} ({d[channels]} ch, "
        f"{d['default_samplerate']:.0f} Hz){'  [default]' if i == default else ''}"
        for i, d in enumerate(devices)
        if d[channels] > 0
    ]
    if kind == "input":
        return lines or ["  none found"]
    return lines or ["  none found (use --silent to play on the wall clock)"]


def _display_lines() -> list[str]:
    try:
        with c_library_output("display (SDL)"):
            pygame.display.init()
    except pygame.error as exc:
        return [f"  none: {exc}"]
    try:
        driver = pygame.display.get_driver()
        if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
            return ["  none: no screen or X/Wayland session found (render videos instead)"]
        sizes = pygame.display.get_desktop_sizes()
        rates = list(getattr(pygame.display, "get_desktop_refresh_rates", lambda: [])())
        rates += [0] * (len(sizes) - len(rates))
        return [
            f"  {i}: {w}x{h}" + (f" @ {rate} Hz" if rate else "")
            for i, ((w, h), rate) in enumerate(zip(sizes, rates, strict=False))
        ] or ["  none found"]
    finally:
        pygame.display.quit()
