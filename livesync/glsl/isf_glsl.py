"""An ISF shader's GLSL as a complete ``#version 330 core`` fragment shader, and compiler
errors mapped back to the user's file.

ISF bodies are GLSL 1.x in spirit (gl_FragColor, texture2D, varying) with IMG_* helper
functions; livesync's renderer speaks 3.30 core, so the body is rewritten here as text, line
for line, and the declarations the spec promises are put in front of it. Compiler errors point
at the user's file: the generated source carries a ``#line`` directive so the compiler numbers
the shader body exactly as the file does (the JSON header included), and
:func:`map_error_line` turns a compiler log into ``file:line: message``.

What the renderer (livesync.render.layers.IsfLayer) has to do with the result:

* Draw every pass with :data:`VERTEX_SHADER`: a full-screen triangle from ``gl_VertexID`` (no
  vertex buffer, 3 vertices) that hands the fragment stage ``isf_FragNormCoord`` (0..1, origin
  bottom left) as an ``in`` varying, as ISF's own hosts do.
* Set the built-ins of ``BUILTIN_UNIFORMS`` every pass (``RENDERSIZE`` is the size of the
  pass's target, ``PASSINDEX`` the index of the pass), every input uniform by its ``NAME``, and
  for every image (image/audio/audioFFT input, IMPORTED image, pass target) the sampler plus a
  ``vec2 _<name>_imgSize`` with its size in pixels. Images are sampled with GL's convention (row
  0 at the bottom): upload pictures bottom-up. There is no ``_<name>_flip``/``_imgRect``.
* Execute ``IsfShader.passes`` in order, sizing targets with ``isf_expr.pass_size``; keep
  ``persistent`` targets across frames (cleared to transparent black when created or resized),
  use float textures where ``float`` is set, and draw a pass with ``target=None`` to the output.
"""

from __future__ import annotations

import re

from livesync.errors import InputError
from livesync.glsl.isf_model import (
    BUILTIN_UNIFORMS,
    FRAG_COLOR,
    LIVESYNC_UNIFORMS,
    NORM_COORD,
    IsfShader,
)

VERTEX_SHADER = """#version 330 core
// Full-screen triangle from gl_VertexID (draw 3 vertices, no vertex buffer); hands the ISF
// fragment stage its normalized coordinate: (0,0) bottom left, (1,1) top right.
out vec2 isf_FragNormCoord;
void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    isf_FragNormCoord = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
"""


def _blank_comments(text: str) -> str:
    """The text with comments replaced by spaces (newlines kept), so searches never match
    inside a comment and every character keeps its line and column."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            j = min((k for k in (text.find("//", i), text.find("/*", i)) if k >= 0), default=n)
            out.append(text[i:j])
            i = j
    return "".join(out)


_IMG_CALL = re.compile(
    r"\b(IMG_THIS_NORM_PIXEL|IMG_THIS_PIXEL|IMG_NORM_PIXEL|IMG_PIXEL|"
    r"IMG_SIZE)\s*\("
)
_IMG_ARGS = {
    "IMG_PIXEL": (2, 3),
    "IMG_NORM_PIXEL": (2, 3),
    "IMG_THIS_PIXEL": (1, 1),
    "IMG_THIS_NORM_PIXEL": (1, 1),
    "IMG_SIZE": (1, 1),
}
# GLSL 1.x spellings ISF files still use, and their GLSL 3.30 equivalents, in this order.
_WORDS = [
    (re.compile(r"\bgl_FragData\s*\[\s*0\s*\]"), FRAG_COLOR),
    (re.compile(r"\bgl_FragColor\b"), FRAG_COLOR),
    (re.compile(r"\bvv_FragNormCoord\b"), NORM_COORD),
    (re.compile(r"\btexture2DRect(?=\s*\()"), "texture"),
    (re.compile(r"\btexture2DProj(?=\s*\()"), "textureProj"),
    (re.compile(r"\btexture(?:2D|2DRect|Cube)Lod(?=\s*\()"), "textureLod"),
    (re.compile(r"\btexture(?:2D|Cube)(?=\s*\()"), "texture"),
    (re.compile(r"\bvarying\b"), "in"),
]
_VERSION_LINE = re.compile(r"^[ \t]*#[ \t]*version\b[^\n]*", re.MULTILINE)
_EXTENSION_LINE = re.compile(r"^[ \t]*#[ \t]*extension\b[^\n]*", re.MULTILINE)
_DECLARED_UNIFORM = r"\buniform\s+(?:(?:lowp|mediump|highp)\s+)?\w+\s+{}\b"


def _split_args(text: str, open_at: int) -> tuple[list[tuple[int, str]], int] | None:
    """Arguments of the call whose '(' is at ``open_at`` as (start index, text), split at
    top-level commas, and the index just past its ')'; None when it never closes."""
    depth, start = 0, open_at + 1
    args: list[tuple[int, str]] = []
    for i in range(open_at, len(text)):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0:
                args.append((start, text[start:i]))
                return args, i + 1
        elif c == "," and depth == 1:
            args.append((start, text[start:i]))
            start = i + 1
    return None


class _Expander:
    """Replaces the IMG_* functions with plain GLSL 3.30, keeping every newline."""

    def __init__(self, shader: IsfShader) -> None:
        self.shader = shader
        self.sized = set(_images(shader))

    def error(self, line: int, message: str) -> InputError:
        return InputError(self.shader.name, f"line {line}: {message}")

    def expand(self, text: str, first_line: int) -> str:
        """``text`` starts on file line ``first_line``."""
        out: list[str] = []
        pos = 0
        while True:
            m = _IMG_CALL.search(text, pos)
            if m is None:
                out.append(text[pos:])
                return "".join(out)
            out.append(text[pos : m.start()])
            line = first_line + text.count("\n", 0, m.start())
            func = m.group(1)
            split = _split_args(text, m.end() - 1)
            if split is None:
                raise self.error(line, f"{func}( is never closed")
            args, end = split
            lo, hi = _IMG_ARGS[func]
            if len(args) == 1 and not args[0][1].strip() and lo > 0:
                args = []
            if not lo <= len(args) <= hi:
                want = str(lo) if lo == hi else f"{lo} or {hi}"
                raise self.error(line, f"{func} takes {want} arguments, got {len(args)}")
            inner = [self.expand(a, first_line + text.count("\n", 0, start)) for start, a in args]
            image = inner[0].replace("\\\n", "").strip()
            if func in ("IMG_PIXEL", "IMG_SIZE") and image not in self.sized:
                known = ", ".join(sorted(self.sized)) or "none"
                raise self.error(
                    line,
                    f"{func}: {image!r} is not an image input, IMPORTED "
                    f"image or pass TARGET (images here: {known})",
                )
            rest = "".join("," + a for a in inner[2:])
            if func == "IMG_SIZE":
                call = f"_{image}_imgSize"
            elif func == "IMG_PIXEL":
                call = f"texture({image}, ({inner[1]}) / _{image}_imgSize{rest})"
            elif func == "IMG_NORM_PIXEL":
                call = f"texture({image}, {inner[1]}{rest})"
            else:  # IMG_THIS_PIXEL / IMG_THIS_NORM_PIXEL: full-frame 2D textures, same thing
                call = f"texture({image}, {NORM_COORD})"
            # Keep the call's line breaks (as continuations inside a #define).
            missing = text.count("\n", m.start(), end) - call.count("\n")
            brk = "\\\n" if "\\\n" in text[m.start() : end] else "\n"
            out.append(call + brk * max(0, missing))
            pos = end


def _images(shader: IsfShader) -> list[str]:
    names = [i.name for i in shader.inputs if i.is_image]
    names += [i.name for i in shader.imported]
    names += list(shader.targets)
    return names


def translate_body(shader: IsfShader) -> tuple[str, list[str]]:
    """The shader body as GLSL 3.30 with the file's lines (comments come out as blanks), and
    the #extension lines, which must move above the declarations."""
    text = _blank_comments(shader.body)
    extensions = [m.group(0).strip() for m in _EXTENSION_LINE.finditer(text)]
    text = _EXTENSION_LINE.sub("", text)
    text = _VERSION_LINE.sub("", text)
    text = _Expander(shader).expand(text, shader.body_line)
    for pattern, replacement in _WORDS:
        text = pattern.sub(replacement, text)
    return text, extensions


def uniform_declarations(shader: IsfShader) -> list[tuple[str, str]]:
    """Every uniform the generated fragment shader declares, as (GLSL type, name)."""
    decls = [(kind, name) for kind, name, _ in BUILTIN_UNIFORMS]
    for item in shader.inputs:
        decls.append((item.uniform_type, item.name))
        decls.extend(item.helper_uniforms)
    for image in shader.imported:
        decls += [("sampler2D", image.name), ("vec2", f"_{image.name}_imgSize")]
    for target in shader.targets:
        decls += [("sampler2D", target), ("vec2", f"_{target}_imgSize")]
    body = _blank_comments(shader.body)
    taken = {name for _, name in decls}
    decls += [
        (kind, name)
        for kind, name in LIVESYNC_UNIFORMS
        if name not in taken and not re.search(_DECLARED_UNIFORM.format(re.escape(name)), body)
    ]
    return decls


def to_glsl330(shader: IsfShader) -> str:
    """A complete ``#version 330 core`` fragment shader for every pass of ``shader`` (the
    passes differ only by PASSINDEX, RENDERSIZE and which buffers are bound). Pair it with
    :data:`VERTEX_SHADER`. The body keeps the file's line numbers through ``#line``."""
    body, extensions = translate_body(shader)
    head = [
        "#version 330 core",
        *extensions,
        "// Generated by livesync from an ISF file: declarations first, then the file's",
        "// code, numbered as in the file by the #line below.",
        f"in vec2 {NORM_COORD};",
        f"out vec4 {FRAG_COLOR};",
        *(f"uniform {kind} {name};" for kind, name in uniform_declarations(shader)),
        f"#line {shader.body_line}",
    ]
    return "\n".join(head) + "\n" + body + ("" if body.endswith("\n") else "\n")


# Compiler log lines: Mesa "0:12(3): error: msg", NVIDIA "0(12) : error C0000: msg",
# AMD/Intel on Windows and glslang "ERROR: 0:12: msg".
_LOG_LINE = (
    re.compile(r"^\s*\d+:(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$"),
    re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),
    re.compile(r"^\s*(?P<kind>ERROR|WARNING):\s*\d+:(?P<line>\d+):\s*(?P<msg>.*)$"),
)


def map_error_line(compiler_log: str, shader: IsfShader) -> str:
    """The first error of a compiler log for ``to_glsl330(shader)`` as ``file:line:
    message``, the line being the user's file's (the #line directive already numbered it)."""
    for raw in compiler_log.splitlines():
        for pattern in _LOG_LINE:
            m = pattern.match(raw)
            if m is None:
                continue
            message = m.group("msg").strip()
            if "kind" in m.groupdict():
                message = f"{m.group('kind').lower()}: {message}"
            if "error" in message.lower():
                return f"{shader.name}:{m.group('line')}: {message}"
    stripped = [ln.strip() for ln in compiler_log.splitlines() if ln.strip()]
    errors = [ln for ln in stripped if "error" in ln.lower() and "failed" not in ln.lower()]
    detail = (errors or stripped or ["shader failed to compile"])[0]
    return f"{shader.name}: {detail}"
