"""Shopify's search syntax for the `query:` argument of connections.

Supported: `field:value`, comparisons `field:>value` `>=` `<` `<=`, quoted values, a
trailing `*` for a prefix, `-field:value` / `NOT field:value`, `AND` (also implied by a
space) and `OR`. Free text without a field matches a resource's main text fields. Like
Shopify, an unknown field or an unusable value does not fail the request: the term is
ignored and a warning is reported under `extensions.search`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .clock import parse_instant

DAY = 86400
_TOKEN = re.compile(
    r"""(?P<neg>-|NOT\s+)?(?:(?P<field>[A-Za-z_][\w.]*):(?P<op><=|>=|<|>|=)?)?"""
    r"""(?P<value>'[^']*'|"[^"]*"|[^\s()]+)"""
)

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    kind: str  # "time", "int", "text", "tags", "bool"
    get: Getter


@dataclass(frozen=True)
class Fields:
    by_name: dict[str, Field]
    free_text: Getter
    """The texts a bare word is looked for in."""


@dataclass(frozen=True)
class Term:
    negate: bool
    test: Callable[[Any], bool]


@dataclass
class Search:
    groups: list[list[Term]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def matches(self, record: Any) -> bool:
        if not self.groups:
            return True
        return any(all(term.test(record) != term.negate for term in group) for group in self.groups)


def parse(query: str | None, fields: Fields) -> Search:
    search = Search()
    if not query or not query.strip():
        return search
    group: list[Term] = []
    for match in _TOKEN.finditer(query):
        name, value = match.group("field"), match.group("value")
        if name is None and value in ("AND", "OR"):
            if value == "OR" and group:
                search.groups.append(group)
                group = []
            continue
        text = value[1:-1] if value[:1] in "'\"" and len(value) > 1 else value
        term = _term(name, match.group("op") or ":", text, fields, search)
        if term is not None:
            group.append(Term(negate=bool(match.group("neg")), test=term))
    if group:
        search.groups.append(group)
    return search


def _term(
    name: str | None, op: str, text: str, fields: Fields, search: Search
) -> Callable[[Any], bool] | None:
    if name is None:
        needle = text.lower().rstrip("*")
        return lambda record: any(
            needle in (value or "").lower() for value in fields.free_text(record)
        )
    spec = fields.by_name.get(name)
    if spec is None:
        search.warnings.append({"field": name, "message": "Invalid search field for this query."})
        return None
    make = _MAKERS[spec.kind]
    test = make(spec.get, op, text)
    if test is None:
        search.warnings.append({"field": name, "message": f"Invalid value for {name}: {text}"})
    return test


def _time(get: Getter, op: str, text: str) -> Callable[[Any], bool] | None:
    instant = parse_instant(text)
    if instant is None:
        return None
    if op in (":", "=") and len(text) == 10:  # a bare date means that whole (UTC) day
        return lambda record: instant <= get(record) < instant + DAY
    return _compare(get, op, instant)


def _int(get: Getter, op: str, text: str) -> Callable[[Any], bool] | None:
    try:
        number = int(text)
    except ValueError:
        return None
    return _compare(get, op, number)


def _compare(get: Getter, op: str, bound: Any) -> Callable[[Any], bool]:
    def test(record: Any) -> bool:
        value = get(record)
        if value is None:
            return False
        if op == ">":
            return bool(value > bound)
        if op == ">=":
            return bool(value >= bound)
        if op == "<":
            return bool(value < bound)
        if op == "<=":
            return bool(value <= bound)
        return bool(value == bound)

    return test


def _text(get: Getter, op: str, text: str) -> Callable[[Any], bool] | None:
    wanted = text.lower()
    if wanted.endswith("*"):
        prefix = wanted[:-1]
        return lambda record: (get(record) or "").lower().startswith(prefix)
    return lambda record: (get(record) or "").lower() == wanted


def _tags(get: Getter, op: str, text: str) -> Callable[[Any], bool] | None:
    wanted = text.lower()
    return lambda record: any(tag.lower() == wanted for tag in get(record))


def _bool(get: Getter, op: str, text: str) -> Callable[[Any], bool] | None:
    if text.lower() not in ("true", "false"):
        return None
    wanted = text.lower() == "true"
    return lambda record: bool(get(record)) == wanted


_MAKERS: dict[str, Callable[[Getter, str, str], Callable[[Any], bool] | None]] = {
    "time": _time,
    "int": _int,
    "text": _text,
    "tags": _tags,
    "bool": _bool,
}


def texts(*getters: Getter) -> Callable[[Any], Sequence[str | None]]:
    return lambda record: [getter(record) for getter in getters]
