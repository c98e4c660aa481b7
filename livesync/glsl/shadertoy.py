"""Shadertoy source handled as pure text: wrap `mainImage` code into a complete GLSL 3.30
fragment shader, and map compiler line numbers back to the user's file.

Users paste Shadertoy code unchanged, so the wrapper declares what Shadertoy declares (iTime,
iResolution, ...) plus livesync's audio uniforms, and appends the `main()` that calls them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The uniforms every background shader may use; docs/shaders.md documents them for users.
UNIFORMS: tuple[tuple[str, str, str], ...] = (
    ("vec3", "iResolution", "viewport size in pixels (z = 1)"),
    ("float", "iTime", "song time in seconds"),
    ("float", "iGlobalTime", "the same as `iTime` (its name before 2017, still in old code)"),
    ("float", "iTimeDelta", "time since the previous frame in seconds"),
    ("float", "iFrameRate", "frames per second, 1 / iTimeDelta (60 while iTimeDelta is 0)"),
    ("int", "iFrame", "frame number"),
    ("vec4", "iMouse", "Shadertoy mouse (always zero in livesync)"),
    ("vec4", "iDate", "year, month (1-12), day, seconds since midnight"),
    ("float", "iSampleRate", "44100, as on Shadertoy"),
    ("sampler2D", "iChannel0", "the song's audio: 512x2, row 0 spectrum, row 1 waveform (0..1)"),
    ("sampler2D", "iChannel1", "black"),
    ("sampler2D", "iChannel2", "black"),
    ("sampler2D", "iChannel3", "black"),
    ("vec3", "iChannelResolution[4]", "sizes of iChannel0-3 in pixels"),
    (
        "float",
        "iChannelTime[4]",
        "playback time of iChannel0-3: the song time for iChannel0, else 0",
    ),
    ("float", "syn_Level", "overall loudness of the song now, 0..1"),
    ("float", "syn_BassLevel", "loudness below 150 Hz now, 0..1"),
    ("float", "syn_MidLevel", "loudness 150-2000 Hz now, 0..1"),
    ("float", "syn_HighLevel", "loudness above 2000 Hz now, 0..1"),
    ("float", "syn_Hits", "1 at an onset (any band), decaying over ~150 ms"),
    ("float", "syn_BassHits", "1 at a bass onset (kick), decaying over ~150 ms"),
    ("float", "syn_MidHits", "1 at a mid onset (snare, voice), decaying over ~150 ms"),
    ("float", "syn_HighHits", "1 at a high onset (hats), decaying over ~150 ms"),
    ("float", "ls_MouthOpen", "how open the singer's mouth is now, 0..1"),
    ("float", "ls_Viseme", "index of the current viseme (docs/visemes.md order, 0 = rest)"),
    ("float", "ls_BPM", "the song's tempo when the show gives it (track.bpm), else 0"),
    ("float", "ls_BeatPhase", "0..1 through the current beat (0 on the beat)"),
    ("float", "ls_BarPhase", "0..1 through the current bar"),
)

# iFrameRate before a frame interval is known (the first frame, a paused picture).
FRAME_RATE = 60.0

_HEADER_LINES = (
    ["#version 330 core", "precision highp float;"]
    + [f"uniform {kind} {name};" for kind, name, _ in UNIFORMS]
    + ["out vec4 ls_FragColor;"]
)
HEADER = "\n".join(_HEADER_LINES) + "\n#line 1\n"

FOOTER = """
void main() {
    vec4 color = vec4(0.0, 0.0, 0.0, 1.0);
    mainImage(color, gl_FragCoord.xy);
    ls_FragColor = vec4(color.rgb, 1.0);
}
"""

_MAIN_IMAGE = re.compile(r"\bvoid\s+mainImage\s*\(")


@dataclass(frozen=True)
class WrappedShader:
    source: str
    name: str


def wrap(user_source: str, name: str = "<shader>") -> WrappedShader:
    """Complete GLSL for a Shadertoy `mainImage` shader. `#line 1` makes the compiler's line
    numbers match the user's file, so errors can point at the line they wrote."""
    if not _MAIN_IMAGE.search(user_source):
        raise ValueError(f"{name}: no 'void mainImage(out vec4, in vec2)' function found")
    body = re.sub(r"^\s*#version[^\n]*\n", "\n", user_source)
    return WrappedShader(HEADER + body + FOOTER, name)


_ERROR_LINE = re.compile(r"^\s*\d+:(\d+)\(\d+\):\s*(.*)$")


def first_error(log: str, name: str) -> str:
    """The first line of a GLSL compiler log (Mesa style '0:12(3): error: ...') as 'file:line:
    message', which is what a performer needs to find the mistake."""
    for line in log.splitlines():
        m = _ERROR_LINE.match(line)
        if m and "error" in m.group(2).lower():
            return f"{name}:{m.group(1)}: {m.group(2).strip()}"
    stripped = [ln.strip() for ln in log.splitlines() if ln.strip()]
    return f"{name}: {stripped[0] if stripped else 'shader failed to compile'}"
