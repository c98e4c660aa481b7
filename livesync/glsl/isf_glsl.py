"""An ISF shader's GLSL as a complete ``#version 330 core`` program (fragment stage, and the
vertex stage: the file's own ``.vs`` or the hosts' pass-through), and compiler errors mapped
back to the user's file.

ISF bodies are GLSL 1.x in spirit (gl_FragColor, texture2D, varying) with IMG_* helper
functions; livesync's renderer speaks 3.30 core, so the bodies are rewritten here as text,
line for line, and the declarations the spec promises are put in front of them. Compiler
errors point at the user's file: the generated source carries a ``#line`` directive so the
compiler numbers each body exactly as its file does (the JSON header included), and
:func:`map_error_line` turns a compiler log into ``file:line: message``.

What the renderer (livesync.render.layers.IsfLayer) has to do with the result:

* Link :func:`to_glsl330` with :func:`vertex_glsl330` and draw every pass as a 4-vertex
  triangle strip with no vertex buffer: ``isf_vertShaderInit()`` makes the quad's corners
  (-1..1, as the reference hosts draw them) from ``gl_VertexID``, so a vertex shader that
  moves or tests the corners sees what its author saw.
* Set the built-ins of ``BUILTIN_UNIFORMS`` every pass (``RENDERSIZE`` is the size of the
  pass's target, ``PASSINDEX`` the index of the pass), every input uniform by its ``NAME``, and
  for every image (image/audio/audioFFT input, IMPORTED image, pass target) the sampler plus
  the helpers of ``isf_model.image_uniforms`` (``_<name>_imgSize`` in pixels,
  ``_<name>_imgRect`` = (0, 0, 1, 1), ``_<name>_flip`` = false). Images are sampled with GL's
  convention (row 0 at the bottom): upload pictures bottom-up.
* Execute ``IsfShader.passes`` in order, sizing targets with ``isf_expr.pass_size``; keep
  ``persistent`` targets across frames (cleared to transparent black when created or resized),
  use float textures where ``float`` is set, draw a pass with ``target=None`` to the output,
  and when the last pass has a target, paint that target to the output (as the reference host
  does).

GLSL strictness: desktop ISF hosts compile leniently, and files rely on implicit conversions
GLSL 3.30 refuses (``return 0;`` in a float function, ``uint c = 0;``). The two ARB
extensions that define exactly those conversions (``GL_ARB_shading_language_420pack``: return
values; ``GL_ARB_gpu_shader5``: int to uint) are enabled in :data:`GLSL_HEAD`; a driver
without them only warns, and those files then fail as before. Measured on the official
collection (docs/shaders.md): 3.30 alone refuses 3 files, 4.00 core 1; 4.20+ core accepts them
but needs a driver that offers it and refuses a fragment input no vertex output feeds; 3.30
with the two extensions accepts all 3 and draws every other file pixel for pixel the same.
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
    image_uniforms,
    texcoord_varyings,
)

GLSL_HEAD = (
    "#version 330 core",
    "#extension GL_ARB_shading_language_420pack : enable",
    "#extension GL_ARB_gpu_shader5 : enable",
)
# What the reference hosts run when a file has no .vs of its own.
PASSTHROUGH_VERTEX = "void main() {\n    isf_vertShaderInit();\n}\n"
VERTEX_NAME_SUFFIXES = (".vs", ".vert")  # next to NAME.fs, in this order (as VVISF looks)


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
    (re.compile(r"\bvv_vertShaderInit\b"), "isf_vertShaderInit"),
    (re.compile(r"\btexture2DRect(?=\s*\()"), "texture"),
    (re.compile(r"\btexture2DProj(?=\s*\()"), "textureProj"),
    (re.compile(r"\btexture(?:2D|2DRect|Cube)Lod(?=\s*\()"), "textureLod"),
    (re.compile(r"\btexture(?:2D|Cube)(?=\s*\()"), "texture"),
]
# Per stage: what `varying` (and a vertex stage's `attribute`) means in GLSL 3.30.
_STAGE_WORDS = {
    "fragment": [(re.compile(r"\bvarying\b"), "in")],
    "vertex": [(re.compile(r"\bvarying\b"), "out"), (re.compile(r"\battribute\b"), "in")],
}
_VERSION_LINE = re.compile(r"^[ \t]*#[ \t]*version\b[^\n]*", re.MULTILINE)
_EXTENSION_LINE = re.compile(r"^[ \t]*#[ \t]*extension\b[^\n]*", re.MULTILINE)
_DECLARED_UNIFORM = r"\buniform\s+(?:(?:lowp|mediump|highp)\s+)?\w+\s+{}\b"
_TEXCOORD = re.compile(r"\b_(\w+?)_(?:normTexCoord|texCoord)\b")


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

    def __init__(self, shader: IsfShader, name: str) -> None:
        self.sized = set(shader.images)
        self.name = name  # the file the text comes from (the .fs or its .vs)

    def error(self, line: int, message: str) -> InputError:
        return InputError(self.name, f"line {line}: {message}")

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


def _translate(
    shader: IsfShader, text: str, first_line: int, name: str, stage: str
) -> tuple[str, list[str]]:
    """One stage's code as GLSL 3.30 with its file's lines (comments come out as blanks), and
    its #extension lines, which must move above the declarations."""
    text = _blank_comments(text)
    extensions = [m.group(0).strip() for m in _EXTENSION_LINE.finditer(text)]
    text = _EXTENSION_LINE.sub("", text)
    text = _VERSION_LINE.sub("", text)
    text = _Expander(shader, name).expand(text, first_line)
    for pattern, replacement in _WORDS + _STAGE_WORDS[stage]:
        text = pattern.sub(replacement, text)
    return text, extensions


def translate_body(shader: IsfShader) -> tuple[str, list[str]]:
    """The fragment body as GLSL 3.30 with the file's lines, and its #extension lines."""
    return _translate(shader, shader.body, shader.body_line, shader.name, "fragment")


def _vertex_text(shader: IsfShader) -> str:
    return PASSTHROUGH_VERTEX if shader.vertex is None else shader.vertex.text


def uniform_declarations(shader: IsfShader) -> list[tuple[str, str]]:
    """Every uniform the generated shaders declare (both stages the same), as (GLSL type,
    name)."""
    decls = [(kind, name) for kind, name, _ in BUILTIN_UNIFORMS]
    for item in shader.inputs:
        decls.append((item.uniform_type, item.name))
        decls.extend(item.helper_uniforms)
    for name in (*(i.name for i in shader.imported), *shader.targets):
        decls += [("sampler2D", name), *image_uniforms(name)]
    bodies = _blank_comments(shader.body) + "\n" + _blank_comments(_vertex_text(shader))
    taken = {name for _, name in decls}
    decls += [
        (kind, name)
        for kind, name in LIVESYNC_UNIFORMS
        if name not in taken and not re.search(_DECLARED_UNIFORM.format(re.escape(name)), bodies)
    ]
    return decls


def texcoord_images(shader: IsfShader) -> list[str]:
    """The images whose per-image texture coordinates (``_<name>_normTexCoord``,
    ``_<name>_texCoord``) either stage reads: only those are passed between the stages, so a
    file with many images does not run out of varyings for coordinates it never uses."""
    bodies = _blank_comments(shader.body) + "\n" + _blank_comments(_vertex_text(shader))
    used = {m.group(1) for m in _TEXCOORD.finditer(bodies)}
    return [name for name in shader.images if name in used]


def _head(extensions: list[str], generated: str) -> list[str]:
    return [
        *GLSL_HEAD,
        *extensions,
        f"// Generated by livesync from an ISF file ({generated}): declarations first, then the",
        "// file's code, numbered as in the file by the #line below.",
    ]


def to_glsl330(shader: IsfShader) -> str:
    """The fragment stage for every pass of ``shader`` (the passes differ only by PASSINDEX,
    RENDERSIZE and which buffers are bound). Link it with :func:`vertex_glsl330`. The body
    keeps the file's line numbers through ``#line``."""
    body, extensions = translate_body(shader)
    head = [
        *_head(extensions, "fragment stage"),
        f"in vec2 {NORM_COORD};",
        *(f"in vec2 {v};" for name in texcoord_images(shader) for v in texcoord_varyings(name)),
        f"out vec4 {FRAG_COLOR};",
        *(f"uniform {kind} {name};" for kind, name in uniform_declarations(shader)),
        f"#line {shader.body_line}",
    ]
    return "\n".join(head) + "\n" + body + ("" if body.endswith("\n") else "\n")


def _vertex_init(shader: IsfShader) -> list[str]:
    """``isf_vertShaderInit()`` as the reference hosts define it, on livesync's quad."""
    lines = [
        "void isf_vertShaderInit(void) {",
        "    // The quad's corners, -1..1, from gl_VertexID (a 4-vertex triangle strip).",
        "    vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));",
        "    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);",
        f"    {NORM_COORD} = corner;",
    ]
    for name in texcoord_images(shader):
        norm, pixels = texcoord_varyings(name)
        rect, flip, size = f"_{name}_imgRect", f"_{name}_flip", f"_{name}_imgSize"
        lines += [
            f"    {norm} = {rect}.xy + {rect}.zw * vec2(corner.x, {flip} ? 1.0 - corner.y"
            " : corner.y);",
            f"    {pixels} = {norm} * {size};",
        ]
    return [*lines, "}"]


def vertex_glsl330(shader: IsfShader) -> str:
    """The vertex stage: the file's ``.vs`` (``shader.vertex``) or the pass-through one, with
    the declarations the hosts give it (every uniform of the fragment stage,
    ``isf_FragNormCoord`` and the per-image texture coordinates as outputs, and
    ``isf_vertShaderInit()``). A ``.vs`` keeps its own line numbers through ``#line 1``."""
    name = shader.name if shader.vertex is None else shader.vertex.name
    body, extensions = _translate(shader, _vertex_text(shader), 1, name, "vertex")
    head = [
        *_head(extensions, "vertex stage"),
        f"out vec2 {NORM_COORD};",
        *(f"out vec2 {v};" for image in texcoord_images(shader) for v in texcoord_varyings(image)),
        *(f"uniform {kind} {name};" for kind, name in uniform_declarations(shader)),
        *_vertex_init(shader),
        "#line 1",
    ]
    return "\n".join(head) + "\n" + body + ("" if body.endswith("\n") else "\n")


# Compiler log lines: Mesa "0:12(3): error: msg", NVIDIA "0(12) : error C0000: msg",
# AMD/Intel on Windows and glslang "ERROR: 0:12: msg".
_LOG_LINE = (
    re.compile(r"^\s*\d+:(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$"),
    re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),
    re.compile(r"^\s*(?P<kind>ERROR|WARNING):\s*\d+:(?P<line>\d+):\s*(?P<msg>.*)$"),
)
# moderngl titles each stage's log with its name.
_STAGE_TITLE = re.compile(r"^\s*(?P<stage>vertex|fragment)_shader\s*$")


def map_error_line(compiler_log: str, shader: IsfShader) -> str:
    """The first error of a compiler log for the program of ``shader`` as ``file:line:
    message``: the line is the user's file's (the #line directives already numbered it), and
    the file is the ``.vs`` when the error is in its vertex stage."""
    stage = "fragment"
    for raw in compiler_log.splitlines():
        title = _STAGE_TITLE.match(raw)
        if title is not None:
            stage = title.group("stage")
            continue
        for pattern in _LOG_LINE:
            m = pattern.match(raw)
            if m is None:
                continue
            message = m.group("msg").strip()
            if "kind" in m.groupdict():
                message = f"{m.group('kind').lower()}: {message}"
            if "error" in message.lower():
                name = shader.name
                if stage == "vertex" and shader.vertex is not None:
                    name = shader.vertex.name
                return f"{name}:{m.group('line')}: {message}"
    stripped = [ln.strip() for ln in compiler_log.splitlines() if ln.strip()]
    errors = [ln for ln in stripped if "error" in ln.lower() and "failed" not in ln.lower()]
    detail = (errors or stripped or ["shader failed to compile"])[0]
    return f"{shader.name}: {detail}"
