"""The receiver reads a body's JSON as the standard library does (which the worker reads the
payload with), NaN and Infinity aside: nothing it would read is refused, nothing else taken."""

from __future__ import annotations

import json
import math

import pytest

from webapi.jsonbody import parse

ORDER = {"id": 820982911946154508, "note": 'a "quoted" ünïcode \\ [', "lines": [{"q": 1.5}]}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(ORDER),
        json.dumps(ORDER, ensure_ascii=False, indent=2),
        '{"a": "\\ud800"}',  # a lone surrogate escape
        '{"id": ' + "7" * 400 + "}",  # an integer beyond a double
        '{"id": 18446744073709551616}',  # and beyond 64 bits
        "[" * 900 + "]" * 900,
    ],
)
def test_what_the_standard_library_reads_is_read_alike(text: str) -> None:
    assert parse(text) == json.loads(text)


def test_a_number_beyond_a_double_reads_as_infinity_as_before() -> None:
    assert parse('{"a": 1e400}') == {"a": math.inf}


@pytest.mark.parametrize(
    "text", ["", "{", '{"a": NaN}', '{"a": -Infinity}', '{"a": 1,}', "7" * 5000, "\ufeff{}"]
)
def test_what_is_not_json_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)


def test_nesting_too_deep_to_read_is_told_apart() -> None:
    with pytest.raises(RecursionError):
        parse("[" * 100_000 + "]" * 100_000)
