"""ISF v2 files are pure text: header, inputs, passes, size expressions and GLSL 3.30 output."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesync.errors import InputError
from livesync.glsl.isf_expr import ExpressionError, parse_expression, pass_size
from livesync.glsl.isf_glsl import (
    GLSL_HEAD,
    map_error_line,
    to_glsl330,
    uniform_declarations,
    vertex_glsl330,
)
from livesync.glsl.isf_header import parse_isf
from livesync.glsl.isf_model import (
    BUILTIN_UNIFORMS,
    INPUT_TYPES,
    LIVESYNC_UNIFORMS,
    IsfShader,
    PassSpec,
    VertexSource,
    date_value,
)

DATA = Path(__file__).parent.parent / "data" / "isf"
BODY = "void main() {\n    gl_FragColor = vec4(1.0);\n}\n"


def isf(header: dict[str, Any], body: str = BODY) -> IsfShader:
    return parse_isf("/*" + json.dumps(header, indent=2) + "*/\n" + body, "t.fs")


def one_input(**fields: Any) -> Any:
    return isf({"ISFVSN": "2", "INPUTS": [{"NAME": "x", **fields}]}).inputs[0]


def error_of(header: dict[str, Any] | str, body: str = BODY) -> str:
    text = header if isinstance(header, str) else "/*" + json.dumps(header) + "*/\n" + body
    with pytest.raises(InputError) as info:
        to_glsl330(parse_isf(text, "t.fs"))
    assert info.value.source == "t.fs"
    return info.value.problem


def load(name: str) -> IsfShader:
    path = DATA / name
    return parse_isf(path.read_text(encoding="utf-8"), str(path))


# ------------------------------------------------------------------ header


def test_header_metadata_and_where_the_body_starts() -> None:
    s = load("generator.fs")
    assert s.version == "2"
    assert s.description.startswith("Rings of colour")
    assert s.credit == "livesync contributors"
    assert s.categories == ("Generator", "Test")
    assert [i.name for i in s.inputs] == ["rings", "tint", "center", "invert", "shape", "flash"]
    lines = s.source.splitlines()
    assert lines[s.body_line - 1].endswith("}*/")
    assert s.passes == (PassSpec(None),)
    assert s.kind == "generator"


def test_missing_isfvsn_means_version_1_and_unknown_keys_are_kept() -> None:
    s = isf({"DESCRIPTION": "old", "VSN": "1.2", "HOST_THING": {"a": 1}})
    assert s.version == "1"
    assert s.vsn == "1.2"
    assert s.extra == {"HOST_THING": {"a": 1}}
    assert isf({"ISFVSN": 2}).version == "2"


def test_code_after_the_closing_comment_stays_on_its_line() -> None:
    s = parse_isf('/*{"ISFVSN": "2"}*/ float k = 1.0;\n' + BODY, "t.fs")
    assert s.body_line == 1
    assert s.body.startswith(" " * 19 + " float k = 1.0;")  # same columns as in the file
    glsl = to_glsl330(s)
    assert "\n#line 1\n" + " " * 19 + " float k = 1.0;\n" in glsl


def test_a_leading_bom_and_blank_lines_before_the_header_are_fine() -> None:
    s = parse_isf('\ufeff\n\n/*{"ISFVSN": "2"}*/\n' + BODY, "t.fs")
    assert s.body_line == 3


# ------------------------------------------------------------------ inputs


def test_float_input_range_default_identity_and_uniform() -> None:
    i = one_input(TYPE="float", LABEL="Amount", MIN=-2, MAX=2, DEFAULT=1.5, IDENTITY=0)
    assert (i.type, i.label, i.min, i.max, i.default, i.identity) == (
        "float",
        "Amount",
        -2.0,
        2.0,
        1.5,
        0.0,
    )
    assert i.uniform_type == "float"
    assert not i.is_image and i.helper_uniforms == ()


def test_float_defaults_follow_the_reference_host() -> None:
    i = one_input(TYPE="float")
    assert (i.min, i.max, i.default, i.label) == (0.0, 1.0, 0.5, "x")
    assert one_input(TYPE="float", MIN=0, MAX=10, DEFAULT=50).default == 10.0  # clamped
    assert one_input(TYPE="float", MIN=5).max == 6.0  # never an empty range
    assert one_input(TYPE="float", MAX=-3).min == -4.0


def test_min_above_max_is_swapped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """The official Radial Spectrogram.fs has MIN 1, MAX 0.05: the reference host draws it."""
    with caplog.at_level(logging.WARNING, logger="livesync"):
        size = one_input(TYPE="float", MIN=1, MAX=0.05, DEFAULT=0.001)
        count = one_input(TYPE="long", MIN=9, MAX=2, DEFAULT=5)
    assert (size.min, size.max, size.default) == (0.05, 1.0, 0.05)  # default clamped
    assert (count.min, count.max, count.default) == (2, 9, 5)
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "t.fs: INPUTS[0].MIN 1 is greater than MAX 0.05; using the range 0.05..1",
        "t.fs: INPUTS[0].MIN 9 is greater than MAX 2; using the range 2..9",
    ]


def test_bool_and_event_inputs() -> None:
    b = one_input(TYPE="bool", DEFAULT=False, IDENTITY=1)
    assert (b.default, b.identity, b.min, b.max, b.uniform_type) == (
        False,
        True,
        False,
        True,
        "bool",
    )
    assert one_input(TYPE="bool").default is True  # as in the ISF Editor
    assert one_input(TYPE="bool", DEFAULT=0).default is False
    e = one_input(TYPE="event")
    assert (e.default, e.min, e.max, e.uniform_type) == (False, None, None, "bool")


def test_long_input_values_and_labels() -> None:
    i = one_input(TYPE="long", VALUES=[0, 2, 5], LABELS=["a", "b", "c"], DEFAULT=2)
    assert (i.values, i.labels, i.default, i.min, i.max) == ((0, 2, 5), ("a", "b", "c"), 2, 0, 5)
    assert i.uniform_type == "int"
    assert one_input(TYPE="long", LABELS=["off", "on"]).values == (0, 1)
    assert one_input(TYPE="long", VALUES=[3, 4]).labels == ("3", "4")
    assert one_input(TYPE="long", VALUES=[3, 4]).default == 3
    ranged = one_input(TYPE="long", MIN=1, MAX=8, DEFAULT=3)
    assert (ranged.values, ranged.min, ranged.max, ranged.default) == ((), 1, 8, 3)


def test_color_and_point_inputs() -> None:
    c = one_input(TYPE="color", DEFAULT=[1, 0.5, 0])
    assert c.default == (1.0, 0.5, 0.0, 1.0)  # RGB gets an opaque alpha
    assert (c.min, c.max, c.uniform_type) == ((0.0,) * 4, (1.0,) * 4, "vec4")
    p = one_input(TYPE="point2D", MIN=[0, 0], MAX=[640, 480])
    assert (p.default, p.min, p.max, p.uniform_type) == (
        (320.0, 240.0),
        (0.0, 0.0),
        (640.0, 480.0),
        "vec2",
    )
    free = one_input(TYPE="point2D", DEFAULT=[0.25, 0.75])
    assert (free.default, free.min, free.max) == ((0.25, 0.75), None, None)


@pytest.mark.parametrize("kind", ["image", "audio", "audioFFT"])
def test_image_like_inputs_are_samplers_with_a_size_uniform(kind: str) -> None:
    i = one_input(TYPE=kind, MAX=256) if kind != "image" else one_input(TYPE=kind)
    assert i.is_image
    assert i.uniform_type == "sampler2D"
    assert i.helper_uniforms == (
        ("vec2", "_x_imgSize"),
        ("vec4", "_x_imgRect"),
        ("bool", "_x_flip"),
    )
    assert i.max == (256 if kind != "image" else None)  # audio: the number of samples


def test_every_spec_type_has_a_uniform_type() -> None:
    header = {"INPUTS": [{"NAME": f"in{n}", "TYPE": t} for n, t in enumerate(INPUT_TYPES)]}
    s = isf(header)
    assert [i.uniform_type for i in s.inputs] == [
        "bool",
        "bool",
        "int",
        "float",
        "vec2",
        "vec4",
        "sampler2D",
        "sampler2D",
        "sampler2D",
    ]
    assert [i.name for i in s.controls] == ["in0", "in1", "in2", "in3", "in4", "in5"]
    assert s.default_values()["in3"] == 0.5


def test_filter_and_transition_conventions() -> None:
    assert isf({"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}).kind == "filter"
    transition = isf(
        {
            "INPUTS": [
                {"NAME": "startImage", "TYPE": "image"},
                {"NAME": "endImage", "TYPE": "image"},
                {"NAME": "progress", "TYPE": "float"},
            ]
        }
    )
    assert transition.kind == "transition"


# ------------------------------------------------------------------ errors


def test_errors_name_the_key() -> None:
    inputs = [
        {"NAME": "a", "TYPE": "float"},
        {"NAME": "b", "TYPE": "bool"},
        {"NAME": "c", "TYPE": "colour"},
    ]
    assert error_of({"INPUTS": inputs}).startswith(
        "INPUTS[2].TYPE: 'colour' is not an ISF input type"
    )
    assert error_of({"INPUTS": [{"TYPE": "float"}]}).startswith("INPUTS[0].NAME: missing")
    assert error_of({"INPUTS": [{"NAME": "a"}]}).startswith("INPUTS[0].TYPE: missing")
    assert (
        error_of({"INPUTS": [{"NAME": 3, "TYPE": "float"}]})
        == "INPUTS[0].NAME: expected a string, got a number"
    )
    assert error_of({"INPUTS": {"NAME": "a"}}) == "INPUTS: expected a list of inputs, got an object"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"TYPE": "float", "MIN": "0"}, "INPUTS[0].MIN: expected a number, got a string"),
        ({"TYPE": "float", "MAX": True}, "INPUTS[0].MAX: expected a number, got a boolean"),
        ({"TYPE": "float", "DEFAULT": [1]}, "INPUTS[0].DEFAULT: expected a number, got a list"),
        ({"TYPE": "bool", "DEFAULT": "maybe"}, "INPUTS[0].DEFAULT: expected true or false"),
        ({"TYPE": "long", "DEFAULT": 1.5}, "INPUTS[0].DEFAULT: expected a whole number, got 1.5"),
        (
            {"TYPE": "long", "VALUES": [0, 1], "DEFAULT": 7},
            "INPUTS[0].DEFAULT: 7 is not one of VALUES [0, 1]",
        ),
        (
            {"TYPE": "long", "VALUES": [0, 1], "LABELS": ["a"]},
            "INPUTS[0].LABELS: has 1 labels for 2 VALUES",
        ),
        ({"TYPE": "long", "VALUES": ["a"]}, "INPUTS[0].VALUES: expected a non-empty list"),
        ({"TYPE": "color", "DEFAULT": [1, 0]}, "INPUTS[0].DEFAULT: expected a list of 3 or 4"),
        ({"TYPE": "point2D", "MAX": [1, "a"]}, "INPUTS[0].MAX: expected a list of 2 numbers"),
        ({"TYPE": "audioFFT", "MAX": 0}, "INPUTS[0].MAX: the number of samples must be at least"),
    ],
)
def test_bad_value_types(fields: dict[str, Any], message: str) -> None:
    assert error_of({"INPUTS": [{"NAME": "x", **fields}]}).startswith(message)


@pytest.mark.parametrize("kind", ["float", "long"])
@pytest.mark.parametrize("key", ["MIN", "MAX", "DEFAULT"])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_not_finite_numbers_are_refused_naming_the_key(kind: str, key: str, value: float) -> None:
    # json.dumps writes NaN/Infinity/-Infinity, which Python's json module reads back.
    header = {"INPUTS": [{"NAME": "x", "TYPE": kind, key: value}]}
    assert "NaN" in json.dumps(header) or "Infinity" in json.dumps(header)
    assert error_of(header) == f"INPUTS[0].{key}: expected a finite number, got {value!r}"


def test_not_finite_numbers_are_refused_everywhere_a_number_is_read() -> None:
    text = '/*{"INPUTS": [{"NAME": "x", "TYPE": "float", "MAX": Infinity}]}*/\n' + BODY
    assert error_of(text) == "INPUTS[0].MAX: expected a finite number, got inf"
    assert error_of("/*" + '{"ISFVSN": NaN}' + "*/\n" + BODY).startswith(
        "ISFVSN: expected a finite"
    )
    huge = '/*{"INPUTS": [{"NAME": "x", "TYPE": "long", "DEFAULT": 1' + "0" * 400 + "}]}*/\n"
    assert error_of(huge + BODY).startswith("INPUTS[0].DEFAULT: expected a finite number")
    cases: dict[str, dict[str, Any]] = {
        "INPUTS[0].DEFAULT: expected a list of 3 or 4 numbers, got [NaN, 0, 0]": {
            "INPUTS": [{"NAME": "x", "TYPE": "color", "DEFAULT": [math.nan, 0, 0]}]
        },
        "INPUTS[0].MIN: expected a list of 2 numbers, got [0, Infinity]": {
            "INPUTS": [{"NAME": "x", "TYPE": "point2D", "MIN": [0, math.inf]}]
        },
        "INPUTS[0].VALUES: expected a non-empty list of whole numbers, got [1, NaN]": {
            "INPUTS": [{"NAME": "x", "TYPE": "long", "VALUES": [1, math.nan]}]
        },
        "INPUTS[0].DEFAULT: expected a finite number, got nan": {
            "INPUTS": [{"NAME": "x", "TYPE": "bool", "DEFAULT": math.nan}]
        },
        "INPUTS[0].MAX: expected a finite number, got inf": {
            "INPUTS": [{"NAME": "x", "TYPE": "audioFFT", "MAX": math.inf}]
        },
        "PASSES[0].WIDTH: expected a finite number, got inf": {
            "PASSES": [{"TARGET": "a", "WIDTH": math.inf}, {}]
        },
        "PASSES[0].FLOAT: expected a finite number, got nan": {
            "PASSES": [{"TARGET": "a", "FLOAT": math.nan}, {}]
        },
        "PERSISTENT_BUFFERS.acc.HEIGHT: expected a finite number, got -inf": {
            "PERSISTENT_BUFFERS": {"acc": {"HEIGHT": -math.inf}},
            "PASSES": [{"TARGET": "acc"}, {}],
        },
    }
    for message, header in cases.items():
        assert error_of(header) == message


def test_whole_numbers_may_be_written_as_floats() -> None:
    i = one_input(TYPE="long", MIN=1.0, MAX=4.0, DEFAULT=2.0)
    assert (i.min, i.max, i.default) == (1, 4, 2)
    assert isinstance(i.default, int)
    assert one_input(TYPE="long", VALUES=[0.0, 3.0]).values == (0, 3)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my var", "is not a valid GLSL name"),
        ("gl_Thing", "is not a valid GLSL name"),
        ("a__b", "is not a valid GLSL name"),
        ("TIME", "is a name ISF declares itself"),
        ("half", "GLSL keyword or reserved word"),
        ("input", "GLSL keyword or reserved word"),
    ],
)
def test_names_must_be_usable_in_glsl(name: str, message: str) -> None:
    assert message in error_of({"INPUTS": [{"NAME": name, "TYPE": "float"}]})


def test_header_problems() -> None:
    assert error_of(BODY).startswith("no ISF header")
    assert error_of('/*{"ISFVSN": "2"}\n' + BODY).startswith("the ISF header comment")
    assert error_of("/*[1, 2]*/\n" + BODY).startswith("the ISF header must be a JSON object")
    bad = (
        '/*{\n    "ISFVSN": "2",\n    "INPUTS": [\n        {"NAME": "a" "TYPE": "float"}\n'
        "    ]\n}*/\n" + BODY
    )
    assert error_of(bad) == "line 4: the ISF header is not valid JSON: Expecting ',' delimiter"
    assert error_of({"CATEGORIES": "Generator"}) == "CATEGORIES: expected a list of strings"


def test_duplicate_names_are_refused() -> None:
    two = [{"NAME": "a", "TYPE": "float"}, {"NAME": "a", "TYPE": "bool"}]
    assert error_of({"INPUTS": two}) == "INPUTS[1].NAME: 'a' is already used by INPUTS[0].NAME"
    clash = {"INPUTS": [{"NAME": "buf", "TYPE": "float"}], "PASSES": [{"TARGET": "buf"}, {}]}
    assert error_of(clash) == "PASSES[0].TARGET: 'buf' is already used by INPUTS[0].NAME"


def test_pass_and_import_problems() -> None:
    assert error_of({"PASSES": {"TARGET": 3}}).startswith("PASSES[0].TARGET: expected a string")
    assert error_of({"PASSES": "two"}) == "PASSES: expected a list of passes, got a string"
    assert error_of({"PASSES": [{"PERSISTENT": True}]}).startswith(
        "PASSES[0].PERSISTENT: a persistent pass needs a TARGET"
    )
    assert error_of({"PASSES": [{"TARGET": "a", "WIDTH": "$WIDTH/$blur"}]}).startswith(
        "PASSES[0].WIDTH: unknown name $blur in '$WIDTH/$blur' (known: $HEIGHT, $WIDTH)"
    )
    assert error_of({"PASSES": [{"TARGET": "a", "HEIGHT": "__import__('os')"}]}).startswith(
        "PASSES[0].HEIGHT: unknown function '__import__'"
    )
    assert error_of({"PASSES": [{"TARGET": "a", "WIDTH": [1]}]}).startswith(
        "PASSES[0].WIDTH: expected an expression"
    )
    assert error_of({"IMPORTED": {"pic": {}}}).startswith("IMPORTED.pic.PATH: expected")
    assert (
        error_of({"IMPORTED": {"sky": {"TYPE": "cube", "PATH": ["a.png"] * 6}}})
        == "IMPORTED.sky.TYPE: cube maps are not supported"
    )


# ------------------------------------------------------------------ passes


def test_multi_pass_file_with_a_persistent_buffer_and_a_half_size_pass() -> None:
    s = load("trails.fs")
    assert s.version == "2.0"
    assert s.passes == (
        PassSpec("dotLayer", False, False, "$WIDTH/2", "$HEIGHT/2"),
        PassSpec("trails", True, True, None, None),
        PassSpec(None),
    )
    assert s.targets == ("dotLayer", "trails")
    values = s.default_values()
    assert pass_size(s.passes[0], (640, 360), values) == (320, 180)
    assert pass_size(s.passes[0], (641, 361), values) == (321, 181)  # rounded half up
    assert pass_size(s.passes[1], (640, 360), values) == (640, 360)


def test_pass_flags_as_isf_files_write_them() -> None:
    s = isf(
        {
            "PASSES": [
                {"TARGET": "a", "PERSISTENT": "true", "FLOAT": 1},
                {"TARGET": "b", "PERSISTENT": 0, "FLOAT": "NO", "WIDTH": 64},
                {},
            ]
        }
    )
    assert s.passes[0] == PassSpec("a", True, True)
    assert s.passes[1] == PassSpec("b", False, False, "64", None)
    assert isf({"PASSES": []}).passes == (PassSpec(None),)


def test_v1_persistent_buffers() -> None:
    as_list = isf({"PERSISTENT_BUFFERS": ["acc"], "PASSES": [{"TARGET": "acc"}, {}]})
    assert as_list.passes[0] == PassSpec("acc", True, False)
    as_dict = isf(
        {
            "PERSISTENT_BUFFERS": {"acc": {"WIDTH": "$WIDTH/4", "HEIGHT": 16, "FLOAT": True}},
            "PASSES": [{"TARGET": "acc"}, {}],
        }
    )
    assert as_dict.passes[0] == PassSpec("acc", True, True, "$WIDTH/4", "16")
    assert error_of(
        {"PERSISTENT_BUFFERS": {"acc": {"WIDTH": "$nope"}}, "PASSES": [{"TARGET": "acc"}]}
    ).startswith("PERSISTENT_BUFFERS.acc.WIDTH: unknown name $nope")


def test_pass_size_uses_numeric_inputs() -> None:
    s = isf(
        {
            "INPUTS": [
                {"NAME": "scale", "TYPE": "float", "MIN": 1, "MAX": 8, "DEFAULT": 4},
                {"NAME": "big", "TYPE": "bool", "DEFAULT": True},
                {"NAME": "steps", "TYPE": "long", "VALUES": [2, 3], "DEFAULT": 3},
            ],
            "PASSES": [
                {
                    "TARGET": "a",
                    "WIDTH": "max(floor($WIDTH / $scale), 8)",
                    "HEIGHT": "$HEIGHT * ($big + 1) / $steps",
                },
                {},
            ],
        }
    )
    assert pass_size(s.passes[0], (100, 90), s.default_values()) == (25, 60)
    assert pass_size(s.passes[0], (100, 90), {"scale": 50.0, "big": False, "steps": 2}) == (8, 45)
    with pytest.raises(ExpressionError, match=r"unknown name \$scale"):
        pass_size(s.passes[0], (100, 90), {})


def test_pass_size_never_gives_an_empty_or_absurd_buffer() -> None:
    p = PassSpec("a", width_expr="$WIDTH / $d", height_expr="$HEIGHT * 1000000")
    assert pass_size(p, (100, 100), {"d": 0.0}) == (1, 16384)  # x/0 is NaN -> 1
    assert pass_size(PassSpec("a", width_expr="-5", height_expr="sqrt(-1)"), (10, 10), {}) == (1, 1)
    # Floats overflow to infinity rather than raising: the size is clamped, not a crash.
    endless = PassSpec("a", width_expr="1e308 * 10", height_expr="-1e308 * 10")
    assert pass_size(endless, (10, 10), {}) == (16384, 1)


# ------------------------------------------------------------------ expressions


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 / 4", 2.5),
        ("2 - 3 - 4", -5.0),
        ("-$WIDTH + +3", -97.0),
        ("--2", 2.0),
        ("1.5e2", 150.0),
        (".5 * 4", 2.0),
        ("max(1, 7, 3)", 7.0),
        ("min($WIDTH, $HEIGHT)", 50.0),
        ("floor(2.7)", 2.0),
        ("ceil(2.1)", 3.0),
        ("round(2.5)", 3.0),
        ("pow(2, 10)", 1024.0),
        ("abs(-3)", 3.0),
        ("sqrt(16)", 4.0),
        ("WIDTH/2", 50.0),
        ("$WIDTH / pow(2, $level)", 25.0),
    ],
)
def test_expression_arithmetic(text: str, value: float) -> None:
    expr = parse_expression(text)
    assert expr.evaluate({"WIDTH": 100.0, "HEIGHT": 50.0, "level": 2.0}) == value


def test_expression_names() -> None:
    assert parse_expression("$WIDTH * $blur + HEIGHT").names == {"WIDTH", "blur", "HEIGHT"}
    with pytest.raises(ExpressionError, match=r"unknown name \$blur"):
        parse_expression("$blur * 2").evaluate({"WIDTH": 1.0})


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "().__class__",
        "$WIDTH.real",
        "2 ** 8",
        "[1]",
        "'a'",
        "lambda: 1",
        "exec(1)",
        "eval('1')",
        "1; 2",
        "$WIDTH if 1 else 2",
        "1 2",
        "max(1",
        "(1 + 2",
        "",
        "   ",
        "floor()",
        "pow(1)",
        "sqrt(1, 2)",
        "open('x')",
        "1 +",
        "$",
        "#1",
        "x[0]",
        "1 < 2",
        "~1",
        "1 % 2",
    ],
)
def test_expression_refuses_anything_that_is_not_arithmetic(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_expression_limits_length_and_depth() -> None:
    with pytest.raises(ExpressionError, match="longer than"):
        parse_expression("1+" * 200 + "1")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("(" * 40 + "1" + ")" * 40)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("-" * 40 + "1")


# ------------------------------------------------------------------ GLSL


def generated_line_of(glsl: str, s: IsfShader, file_line: int) -> str:
    """The generated line the compiler numbers `file_line` (after the #line directive)."""
    lines = glsl.split("\n")
    directive = lines.index(f"#line {s.body_line}")
    return lines[directive + 1 + file_line - s.body_line]


def test_glsl_declares_builtins_inputs_and_images() -> None:
    s = load("generator.fs")
    glsl = to_glsl330(s)
    assert glsl.startswith("#version 330 core\n")
    for kind, name, _ in BUILTIN_UNIFORMS:
        assert f"uniform {kind} {name};" in glsl
    for decl in (
        "uniform float rings;",
        "uniform vec4 tint;",
        "uniform vec2 center;",
        "uniform bool invert;",
        "uniform int shape;",
        "uniform bool flash;",
        "in vec2 isf_FragNormCoord;",
        "out vec4 isf_FragColor;",
    ):
        assert decl in glsl
    for kind, name in LIVESYNC_UNIFORMS:
        assert f"uniform {kind} {name};" in glsl
    assert "gl_FragColor" not in glsl
    assert glsl.count("#version") == 1
    trails = to_glsl330(load("trails.fs"))
    for decl in (
        "uniform sampler2D dotLayer;",
        "uniform vec2 _dotLayer_imgSize;",
        "uniform sampler2D trails;",
        "uniform vec2 _trails_imgSize;",
    ):
        assert decl in trails
    spectrum = to_glsl330(load("spectrum.fs"))
    assert "uniform sampler2D fft;" in spectrum and "uniform vec2 _fft_imgSize;" in spectrum
    imported = to_glsl330(load("imported.fs"))
    assert "uniform sampler2D logo;" in imported and "uniform vec2 _logo_imgSize;" in imported


def test_glsl_keeps_the_files_line_numbers() -> None:
    for name in (
        "generator.fs",
        "trails.fs",
        "spectrum.fs",
        "imported.fs",
        "broken.fs",
        "shifted.fs",
    ):
        s = load(name)
        glsl = to_glsl330(s)
        assert f"\n#line {s.body_line}\n" in glsl
        body = glsl.split(f"\n#line {s.body_line}\n", 1)[1]
        assert body.count("\n") == s.body.count("\n") + (0 if s.body.endswith("\n") else 1)
        for number, line in enumerate(s.source.split("\n"), start=1):
            if number > s.body_line and "void main" in line:
                assert generated_line_of(glsl, s, number).strip() == line.strip()


def test_glsl_1_idioms_are_translated() -> None:
    body = (
        "#version 120\n#extension GL_OES_standard_derivatives : enable\n"
        "varying vec2 uv;\nuniform sampler2D tex; // texture2D(in a comment)\n"
        "void main() {\n  vec4 a = texture2D(tex, uv) + texture2DRect(tex, uv);\n"
        "  a += texture2DProj(tex, vec3(uv, 1.0)) + textureCube(tex, vec3(0.0));\n"
        "  gl_FragData[0] = a * vv_FragNormCoord.x;\n  gl_FragColor = a;\n}\n"
    )
    s = isf({"ISFVSN": "2"}, body)
    glsl = to_glsl330(s)
    head, code = glsl.split(f"#line {s.body_line}\n")
    assert head.startswith("\n".join(GLSL_HEAD) + "\n#extension GL_OES_standard_derivatives")
    assert "#version 120" not in glsl and "texture2D" not in code
    assert "in vec2 uv;" in code
    assert "texture(tex, uv) + texture(tex, uv)" in code
    assert "textureProj(tex, vec3(uv, 1.0)) + texture(tex, vec3(0.0))" in code
    assert "isf_FragColor = a * isf_FragNormCoord.x;" in code
    assert "  isf_FragColor = a;" in code
    assert code.count("\n") == s.body.count("\n")


def test_img_functions_become_texture_calls() -> None:
    header = {
        "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}],
        "PASSES": [{"TARGET": "blurred"}, {}],
    }
    body = (
        "void main() {\n  vec4 a = IMG_PIXEL(inputImage, gl_FragCoord.xy);\n"
        "  vec4 b = IMG_NORM_PIXEL(blurred, isf_FragNormCoord, 1.0);\n"
        "  vec4 c = IMG_THIS_PIXEL(inputImage) + IMG_THIS_NORM_PIXEL(blurred);\n"
        "  vec2 size = IMG_SIZE(inputImage);\n"
        "  vec4 d = IMG_NORM_PIXEL(inputImage, IMG_SIZE(blurred) / (IMG_SIZE(\n"
        "      inputImage) + vec2(1.0)));\n"
        "  gl_FragColor = a + b + c + d;\n}\n"
    )
    s = isf(header, body)
    code = to_glsl330(s).split(f"#line {s.body_line}\n")[1]
    assert "texture(inputImage, ( gl_FragCoord.xy) / _inputImage_imgSize)" in code
    assert "texture(blurred,  isf_FragNormCoord, 1.0)" in code
    assert "texture(inputImage, isf_FragNormCoord) + texture(blurred, isf_FragNormCoord)" in code
    assert "vec2 size = _inputImage_imgSize;" in code
    # The call spread over two lines keeps its line break, so later lines keep their numbers.
    assert "texture(inputImage,  _blurred_imgSize / (_inputImage_imgSize\n + vec2(1.0)))" in code
    assert "IMG_" not in code
    assert code.count("\n") == s.body.count("\n")


def test_img_function_mistakes_name_the_line() -> None:
    header = {"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}
    prefix = "void main() {\n"  # the body starts on line 2 of the file: the call is on line 3
    cases = {
        "  vec4 a = IMG_PIXEL(inputImage);\n": "line 3: IMG_PIXEL takes 2 or 3 arguments, got 1",
        "  vec4 a = IMG_THIS_PIXEL();\n": "line 3: IMG_THIS_PIXEL takes 1 arguments, got 0",
        "  vec2 a = IMG_SIZE(other);\n": "line 3: IMG_SIZE: 'other' is not an image input, "
        "IMPORTED image or pass TARGET (images here: inputImage)",
        "  vec4 a = IMG_NORM_PIXEL(inputImage, vec2(0.0);\n": (
            "line 3: IMG_NORM_PIXEL( is never closed"
        ),
    }
    for line, message in cases.items():
        text = "/*" + json.dumps(header) + "*/\n" + prefix + line + "}\n"
        assert error_of(text) == message


def test_comments_are_not_translated() -> None:
    body = "// IMG_PIXEL(broken\n/* IMG_SIZE(nothing) */\n" + BODY
    code = to_glsl330(isf({}, body))
    assert "IMG_" not in code and "broken" not in code


def test_livesync_uniforms_are_declared_once() -> None:
    body = "uniform float syn_Level;\n" + BODY
    decls = uniform_declarations(isf({"INPUTS": [{"NAME": "ls_MouthOpen", "TYPE": "float"}]}, body))
    names = [name for _, name in decls]
    assert "syn_Level" not in names  # the shader declares it itself
    assert names.count("ls_MouthOpen") == 1  # an input of that name wins
    assert "syn_BassLevel" in names


def test_img_calls_inside_a_continued_define_keep_the_macro_whole() -> None:
    header = {"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}
    body = "#define SIZE_OF IMG_SIZE(\\\n    inputImage)\nvoid main() {}\n"
    s = isf(header, body)
    code = to_glsl330(s).split(f"#line {s.body_line}\n")[1]
    assert "#define SIZE_OF _inputImage_imgSize\\\n\nvoid main() {}" in code


def test_date_value() -> None:
    assert date_value(datetime(2026, 11, 25, 1, 2, 3, 500000)) == (2026.0, 11.0, 25.0, 3723.5)


def test_the_passthrough_vertex_stage_makes_the_quad_and_the_norm_coord() -> None:
    s = load("generator.fs")
    vertex = vertex_glsl330(s)
    assert vertex.startswith("\n".join(GLSL_HEAD) + "\n")
    assert "out vec2 isf_FragNormCoord;" in vertex and "gl_VertexID" in vertex
    assert "void isf_vertShaderInit(void) {" in vertex
    assert vertex.endswith("#line 1\nvoid main() {\n    isf_vertShaderInit();\n}\n")
    # Both stages declare the same uniforms, so the program links whatever either reads.
    for kind, name in uniform_declarations(s):
        assert f"uniform {kind} {name};" in vertex


def test_a_vs_file_is_the_vertex_stage_with_its_own_line_numbers() -> None:
    s = load("shifted.fs")
    vs_path = DATA / "shifted.vs"
    text = vs_path.read_text(encoding="utf-8")
    shader = replace(s, vertex=VertexSource(str(vs_path), text))
    vertex = vertex_glsl330(shader)
    code = vertex.split("\n#line 1\n", 1)[1]
    assert code.count("\n") == text.count("\n")  # line for line
    assert "out vec2 shifted;" in code and "varying" not in code
    assert "shifted = isf_FragNormCoord + vec2(shift, 0.0);" in code  # vv_ is the v1 name
    assert "uniform float shift;" in vertex  # inputs reach the vertex stage


def test_per_image_texture_coordinates_pass_between_the_stages_when_read() -> None:
    header = {"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "b", "TYPE": "image"}]}
    body = "void main() {\n    gl_FragColor = texture2D(inputImage, _inputImage_normTexCoord);\n}\n"
    s = isf(header, body)
    fragment, vertex = to_glsl330(s), vertex_glsl330(s)
    assert "in vec2 _inputImage_normTexCoord;" in fragment
    assert "out vec2 _inputImage_normTexCoord;" in vertex
    assert "_inputImage_normTexCoord = _inputImage_imgRect.xy" in vertex
    assert "_b_normTexCoord" not in fragment + vertex  # nobody reads it: no varying spent
    for name in ("inputImage", "b"):
        for decl in ("vec2 _{}_imgSize", "vec4 _{}_imgRect", "bool _{}_flip"):
            assert f"uniform {decl.format(name)};" in fragment


def test_imported_images_and_targets_have_the_image_helpers() -> None:
    for name, image in (("imported.fs", "logo"), ("trails.fs", "trails")):
        glsl = to_glsl330(load(name))
        for decl in ("vec2 _{}_imgSize", "vec4 _{}_imgRect", "bool _{}_flip"):
            assert f"uniform {decl.format(image)};" in glsl


# ------------------------------------------------------------------ compiler logs


def test_map_error_line_reads_common_compiler_logs() -> None:
    s = load("broken.fs")
    mesa = (
        "GLSL Compiler failed\n\nfragment_shader\n===============\n"
        "0:11(14): error: `undefinedBrightness' undeclared\n0:11(5): error: x\n"
    )
    assert map_error_line(mesa, s) == f"{s.name}:11: error: `undefinedBrightness' undeclared"
    nvidia = '0(11) : error C1008: undefined variable "undefinedBrightness"\n'
    assert (
        map_error_line(nvidia, s)
        == f'{s.name}:11: error C1008: undefined variable "undefinedBrightness"'
    )
    glslang = "WARNING: 0:3: something\nERROR: 0:11: 'undefinedBrightness' : undeclared\n"
    assert map_error_line(glslang, s) == f"{s.name}:11: error: 'undefinedBrightness' : undeclared"
    assert (
        map_error_line("0:4(1): warning: unused\nlink error: nope\n", s)
        == f"{s.name}: link error: nope"
    )
    assert map_error_line("", s) == f"{s.name}: shader failed to compile"


def test_map_error_line_names_the_vs_file_for_a_vertex_error() -> None:
    s = replace(load("shifted.fs"), vertex=VertexSource("shifted.vs", "void main() {}\n"))
    log = "GLSL Compiler failed\n\nvertex_shader\n=============\n0:6(5): error: `nope' undeclared\n"
    assert map_error_line(log, s) == "shifted.vs:6: error: `nope' undeclared"
    fragment = log.replace("vertex_shader", "fragment_shader")
    assert map_error_line(fragment, s) == f"{s.name}:6: error: `nope' undeclared"


# ------------------------------------------------------------------ robustness


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="$WIDTHxyz0123456789.+-*/(), _'[]maxflorcepwbsqt", max_size=60))
def test_any_expression_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        expr = parse_expression(text)
    except ExpressionError:
        return
    expr.evaluate(dict.fromkeys(expr.names, 3.0))  # only numbers come out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mangled_isf_files_raise_input_error_or_load(data: st.DataObject) -> None:
    text = (
        DATA
        / data.draw(
            st.sampled_from(
                ["generator.fs", "trails.fs", "spectrum.fs", "imported.fs", "shifted.fs"]
            )
        )
    ).read_text()
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        piece = data.draw(
            st.sampled_from(
                [
                    '"',
                    ",",
                    "{",
                    "}",
                    "[",
                    "]",
                    "-1",
                    "true",
                    "null",
                    "*/",
                    "/*",
                    "(",
                    ")",
                    "IMG_SIZE(",
                    "$",
                    "",
                ]
            )
        )
        text = text[:at] + piece + text[at + cut :]
    try:
        shader = parse_isf(text, "fuzz.fs")
        glsl = to_glsl330(shader)
        vertex_glsl330(shader)
    except InputError:
        return
    assert glsl.startswith("#version 330 core\n")
    for spec in shader.passes:
        try:
            w, h = pass_size(spec, (64, 48), shader.default_values())
        except ExpressionError:
            continue
        assert 1 <= w <= 16384 and 1 <= h <= 16384
