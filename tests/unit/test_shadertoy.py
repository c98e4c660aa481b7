"""Shadertoy source handling is pure text; line numbers map back to the user's file."""

from __future__ import annotations

import pytest

from livesync.glsl.shadertoy import HEADER, UNIFORMS, first_error, wrap

CODE = "void mainImage(out vec4 fragColor, in vec2 fragCoord) {\n  fragColor = vec4(1.0);\n}\n"


def test_wrap_declares_uniforms_and_calls_main_image() -> None:
    w = wrap(CODE, "a.glsl")
    assert w.source.startswith("#version 330 core")
    for kind, name, _ in UNIFORMS:
        assert f"uniform {kind} {name};" in w.source
    assert "mainImage(color, gl_FragCoord.xy)" in w.source
    assert "#line 1\n" + CODE in w.source


def test_pasted_version_line_is_dropped_and_missing_main_image_is_an_error() -> None:
    assert wrap("#version 300 es\n" + CODE).source.count("#version") == 1
    with pytest.raises(ValueError, match="mainImage"):
        wrap("void main() {}", "b.glsl")


def test_first_error_reads_mesa_logs() -> None:
    log = (
        "GLSL Compiler failed\n\nfragment_shader\n=================\n"
        "0:7(12): error: `foo' undeclared\n0:7(12): error: type mismatch\n"
    )
    assert first_error(log, "bg.glsl") == "bg.glsl:7: error: `foo' undeclared"
    assert first_error("weird", "bg.glsl") == "bg.glsl: weird"
    assert HEADER.endswith("#line 1\n")


def test_every_uniform_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "shaders.md").read_text()
    for _, name, _ in UNIFORMS:
        assert f"`{name}`" in docs, name
