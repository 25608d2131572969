"""The receiver's depth limit read off the JSON text agrees with the objects it parses into,
whatever brackets, quotes and escapes its strings hold."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from webapi.nesting import deeper_than
from webapi.webhooks import MAX_DEPTH


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


def nested(levels: int, inner: Any = 1) -> Any:
    for _ in range(levels):
        inner = [inner]
    return inner


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": nested(MAX_DEPTH - 1)}, False),
        ({"a": nested(MAX_DEPTH)}, True),
        ({"a": nested(MAX_DEPTH - 1, "[[[[{")}, False),
        ({"a": nested(MAX_DEPTH - 1, '"]]]\\"[[[[')}, False),
        ({"a": nested(MAX_DEPTH - 1, "\\"), "b": "[[["}, False),
        ({"[" * 70: nested(MAX_DEPTH - 2, {"\\\\": '\\\\\\"[{'})}, False),
        ({"a": nested(MAX_DEPTH - 1, {}), "b": ""}, True),
        ({"]]]": nested(MAX_DEPTH - 2, {"": [""]}), "b": '"'}, True),
    ],
)
def test_the_limit_is_met_or_passed(value: Any, expected: bool) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert deeper_than(text.encode(), MAX_DEPTH) is expected


def test_random_json_nests_as_deep_as_its_objects() -> None:
    pieces = ['"', "\\", "[", "]", "{", "}", "a", "ü", "\n", '\\"', "\\\\", '""']
    generator = random.Random(12)

    def text() -> str:
        return "".join(generator.choices(pieces, k=generator.randint(0, 5)))

    def value(level: int) -> Any:
        draw = generator.random()
        if level > 7 or draw < 0.3:
            return generator.choice([text(), 1, None, True, 1.5])
        if draw < 0.65:
            return [value(level + 1) for _ in range(generator.randint(0, 3))]
        return {text(): value(level + 1) for _ in range(generator.randint(0, 3))}

    for _ in range(2000):
        found = value(0)
        levels = depth(found)
        encoded = json.dumps(found, ensure_ascii=generator.random() < 0.5).encode()
        for limit in {max(levels - 1, 0), levels, levels + 1}:
            assert deeper_than(encoded, limit) is (levels > limit)
