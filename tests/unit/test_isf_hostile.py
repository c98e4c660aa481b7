"""A hostile ISF header is one InputError naming the file, never a Python limit's error."""

from __future__ import annotations

import pytest

from livesync.errors import InputError
from livesync.glsl.isf_header import parse_isf

BODY = "\nvoid main() { gl_FragColor = vec4(0.0); }\n"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("[" * 100000 + "]" * 100000, "the ISF header is not valid JSON: nested too deeply"),
        ('{"INPUTS": ' + "[" * 5000 + "]" * 5000 + "}", "not valid JSON: nested too deeply"),
        ('{"INPUTS": [' + "9" * 5000 + "]}", "the ISF header is not valid JSON: a number too long"),
        ('{"INPUTS": [{"NAME": "a", "TYPE": "float", "DEFAULT": NaN}]}', "INPUTS[0].DEFAULT:"),
    ],
)
def test_a_hostile_header_is_one_error_naming_the_file(header: str, expected: str) -> None:
    with pytest.raises(InputError) as err:
        parse_isf("/*" + header + "*/" + BODY, "deep.fs")
    assert str(err.value).startswith("deep.fs: ") and expected in str(err.value)
