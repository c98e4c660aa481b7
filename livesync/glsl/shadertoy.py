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
    (
        "int",
        "iFrame",
        "frame number (a multipass background's: frames since its buffers were cleared)",
    ),
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
# The Common tab's lines are numbered from COMMON_LINE + 1 (`#line`), the pass's from 1, so
# a compiler line above COMMON_LINE is in the common file. GLSL's source string numbers
# (`#line 1 1`) would say it more plainly, but Mesa reports the first error with the
# previous string's number.
COMMON_LINE = 100_000

FOOTER = """
void main() {
    vec4 color = vec4(0.0, 0.0, 0.0, 1.0);
    mainImage(color, gl_FragCoord.xy);
    ls_FragColor = vec4(color.rgb, 1.0);
}
"""
# A buffer pass keeps its alpha: buffers store state (a particle's velocity, a cell's age)
# in all four channels, as Shadertoy's float buffers do. Only the Image pass is made opaque.
BUFFER_FOOTER = """
void main() {
    vec4 color = vec4(0.0, 0.0, 0.0, 1.0);
    mainImage(color, gl_FragCoord.xy);
    ls_FragColor = color;
}
"""

_MAIN_IMAGE = re.compile(r"\bvoid\s+mainImage\s*\(")


@dataclass(frozen=True)
class WrappedShader:
    source: str
    name: str


def wrap(
    user_source: str, name: str = "<shader>", common: str | None = None, buffer: bool = False
) -> WrappedShader:
    """Complete GLSL for a Shadertoy `mainImage` shader. `#line 1` makes the compiler's line
    numbers match the user's file, so errors can point at the line they wrote. `common`:
    Shadertoy's Common tab, pasted before the pass as Shadertoy does (its lines counted in
    lines numbered from COMMON_LINE + 1). `buffer`: a Buffer A-D pass, whose alpha is kept."""
    if not _MAIN_IMAGE.search(user_source):
        raise ValueError(f"{name}: no 'void mainImage(out vec4, in vec2)' function found")
    body = _no_version(user_source)
    if common is not None:
        body = f"#line {COMMON_LINE + 1}\n{_no_version(common)}\n#line 1\n{body}"
    return WrappedShader(HEADER + body + (BUFFER_FOOTER if buffer else FOOTER), name)


def _no_version(source: str) -> str:
    """The code without a `#version` line: the wrapper's own comes first (a blank line
    keeps the line numbers)."""
    return re.sub(r"^\s*#version[^\n]*\n", "\n", source)


_ERROR_LINE = re.compile(r"^\s*(\d+):(\d+)\(\d+\):\s*(.*)$")


def first_error(log: str, name: str, common: str | None = None) -> str:
    """The first line of a GLSL compiler log (Mesa style '0:12(3): error: ...') as 'file:line:
    message', which is what a performer needs to find the mistake; `common` names the
    Common tab's file, for an error in its lines."""
    for text in log.splitlines():
        m = _ERROR_LINE.match(text)
        if m and "error" in m.group(3).lower():
            where, line = name, int(m.group(2))
            if common is not None and line > COMMON_LINE:
                where, line = common, line - COMMON_LINE
            return f"{where}:{line}: {m.group(3).strip()}"
    stripped = [ln.strip() for ln in log.splitlines() if ln.strip()]
    return f"{name}: {stripped[0] if stripped else 'shader failed to compile'}"
