"""The objects API's search (`POST .../objects/{type}/search`): HubSpot's filter language, limits
and paging."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .clock import date_ms, parse_date, parse_datetime_ms
from .errors import bad_request
from .objects import body_object
from .objecttypes import CONTACTS, ObjectType, find_type
from .portal import Portal
from .records import Record
from .render import record_json, requested_names

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 6
MAX_FILTERS = 18
MAX_LIMIT = 200
DEFAULT_LIMIT = 10
MAX_RESULTS = 10_000
MAX_QUERY = 3000
_NO_VALUE = frozenset({"HAS_PROPERTY", "NOT_HAS_PROPERTY"})
_MANY_VALUES = frozenset({"IN", "NOT_IN"})
_ONE_VALUE = frozenset(
    {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}
)
OPERATORS = _NO_VALUE | _MANY_VALUES | _ONE_VALUE | {"BETWEEN"}
# Unset values satisfy the negative operators, as an absent field does in a search index.
_TRUE_WHEN_UNSET = frozenset({"NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN", "NOT_HAS_PROPERTY"})
_TOKEN_SPLIT = re.compile(r"[\s,;:()\[\]\"'/]+")

Key = Decimal | int | str
_Reader = Callable[[Portal, Record], list[str]]


@dataclass(frozen=True)
class _Filter:
    name: str
    operator: str
    read: _Reader
    to_key: Callable[[str], Key]
    value: Key | None
    high: Key | None
    values: tuple[str, ...]
    raw_value: str

    def matches(self, portal: Portal, record: Record) -> bool:
        found = self.read(portal, record)
        if not found:
            return self.operator in _TRUE_WHEN_UNSET
        if self.operator == "HAS_PROPERTY":
            return True
        if self.operator == "NOT_HAS_PROPERTY":
            return False
        if self.operator in ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN"):
            return not any(self._positive(v) for v in found)
        return any(self._positive(v) for v in found)

    def _positive(self, stored: str) -> bool:
        op = self.operator
        if op in _MANY_VALUES:
            # HubSpot matches IN values against lower-cased text: upper-case values never hit.
            return stored.lower() in self.values
        if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
            return _contains_token(stored, self.raw_value)
        try:
            key = self.to_key(stored)
        except (ValueError, InvalidOperation):
            return False
        if op in ("EQ", "NEQ"):
            return key == self.value
        if op == "BETWEEN":
            return _le(self.value, key) and _le(key, self.high)
        if op == "LT":
            return _lt(key, self.value)
        if op == "LTE":
            return _le(key, self.value)
        if op == "GT":
            return _lt(self.value, key)
        return _le(self.value, key)


def search(portal: Portal, otype: ObjectType, body: Any) -> dict[str, Any]:
    data = body_object(body)
    groups = _groups(portal, otype, data.get("filterGroups", []))
    sort = _sort(portal, otype, data.get("sorts", []))
    requested = data.get("properties")
    if requested is not None and (
        not isinstance(requested, list) or not all(isinstance(n, str) for n in requested)
    ):
        raise bad_request("properties must be a list of property names")
    names = requested_names(portal, otype, requested)
    limit = _int_field(data, "limit", DEFAULT_LIMIT)
    if not 0 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit must be between 0 and {MAX_LIMIT}")
    offset = _int_field(data, "after", 0)
    if offset < 0:
        raise bad_request("after must be a non-negative offset")
    if offset + limit > MAX_RESULTS:
        raise bad_request(
            f"The maximum number of results that can be paged through is {MAX_RESULTS}: "
            f"after ({offset}) + limit ({limit}) exceeds it. Narrow the search instead."
        )
    words = _query_words(data.get("query"))
    matched = [
        r
        for r in _candidates(portal, otype, groups)
        if not r.archived
        and (not groups or any(all(f.matches(portal, r) for f in g) for g in groups))
        and _query_matches(otype, r, words)
    ]
    if sort is not None:
        reader, to_key, descending = sort
        matched.sort(key=lambda r: _sort_key(portal, r, reader, to_key), reverse=descending)
    page = matched[offset : offset + limit]
    result: dict[str, Any] = {
        "total": len(matched),
        "results": [record_json(r, names) for r in page],
    }
    next_offset = offset + limit
    if limit and next_offset < len(matched) and next_offset < MAX_RESULTS:
        result["paging"] = {"next": {"after": str(next_offset)}}
    return result


def _int_field(data: dict[str, Any], name: str, default: int) -> int:
    raw = data.get(name, default)
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise bad_request(f"{name} must be an integer")


def _groups(portal: Portal, otype: ObjectType, raw: Any) -> list[list[_Filter]]:
    if not isinstance(raw, list):
        raise bad_request("filterGroups must be a list")
    if len(raw) > MAX_GROUPS:
        raise bad_request(f"Too many filter groups: at most {MAX_GROUPS} are allowed")
    groups = []
    total = 0
    for group in raw:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list) or not filters:
            raise bad_request("Each filter group needs a non-empty filters list")
        if len(filters) > MAX_FILTERS_PER_GROUP:
            raise bad_request(
                f"Too many filters in a group: at most {MAX_FILTERS_PER_GROUP} are allowed"
            )
        total += len(filters)
        groups.append([_filter(portal, otype, f) for f in filters])
    if total > MAX_FILTERS:
        raise bad_request(f"Too many filters: at most {MAX_FILTERS} are allowed in all groups")
    return groups


def _filter(portal: Portal, otype: ObjectType, raw: Any) -> _Filter:
    if not isinstance(raw, dict):
        raise bad_request("Each filter must be a JSON object")
    name = raw.get("propertyName")
    operator = raw.get("operator", "EQ")
    if not isinstance(name, str) or not name:
        raise bad_request("Each filter needs a propertyName")
    if operator not in OPERATORS:
        raise bad_request(f"Unknown filter operator {operator!r}; use one of {sorted(OPERATORS)}")
    read, to_key = _property_access(portal, otype, name)
    value = high = None
    values: tuple[str, ...] = ()
    raw_value = ""
    if operator in _ONE_VALUE or operator == "BETWEEN":
        raw_value = _filter_text(raw.get("value"), name, "value")
        value = _key_of(to_key, raw_value, name)
    if operator == "BETWEEN":
        high = _key_of(to_key, _filter_text(raw.get("highValue"), name, "highValue"), name)
    if operator in _MANY_VALUES:
        listed = raw.get("values")
        if not isinstance(listed, list) or not listed:
            raise bad_request(f"Filter on {name} with {operator} needs a non-empty values list")
        values = tuple(_filter_text(v, name, "values") for v in listed)
    return _Filter(name, operator, read, to_key, value, high, values, raw_value)


def _filter_text(raw: Any, name: str, field: str) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float | str):
        return str(raw)
    raise bad_request(f"Filter on {name} needs {field}")


def _key_of(to_key: Callable[[str], Key], text: str, name: str) -> Key:
    try:
        return to_key(text)
    except (ValueError, InvalidOperation) as exc:
        raise bad_request(f"Filter value {text!r} is not valid for property {name}") from exc


def _property_access(
    portal: Portal, otype: ObjectType, name: str
) -> tuple[_Reader, Callable[[str], Key]]:
    if name in ("hs_object_id", "id"):
        return (lambda _p, r: [r.id]), _number
    if name.startswith("associations."):
        to_type = find_type(name.removeprefix("associations."))
        if to_type is None:
            raise bad_request(f"Unable to infer object type from: {name}")
        return _linked_ids(to_type), _number
    prop = portal.properties.active(otype, name)
    if prop is None:
        raise bad_request(f'Property "{name}" does not exist on {otype.name}')

    def read(_portal: Portal, record: Record) -> list[str]:
        value = record.properties.get(name)
        if value is None:
            return []
        return value.split(";") if prop.field_type == "checkbox" else [value]

    converters: dict[str, Callable[[str], Key]] = {
        "number": _number,
        "datetime": _datetime,
        "date": _date,
    }
    return read, converters.get(prop.type, _text)


def _linked_ids(to_type: ObjectType) -> _Reader:
    def read(portal: Portal, record: Record) -> list[str]:
        linked = portal.associations.targets(record.otype, record.id, to_type)
        return [i for i in linked if portal.records.active(to_type, i) is not None]

    return read


def _number(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def _datetime(text: str) -> int:
    ms = parse_datetime_ms(text)
    if ms is None:
        raise ValueError(text)
    return ms


def _date(text: str) -> int:
    day = parse_date(text)
    if day is not None:
        return date_ms(day)
    return _datetime(text)


def _text(text: str) -> str:
    return text.lower()


def _lt(a: Key | None, b: Key | None) -> bool:
    return type(a) is type(b) and a < b  # type: ignore[operator]


def _le(a: Key | None, b: Key | None) -> bool:
    return type(a) is type(b) and a <= b  # type: ignore[operator]


def _contains_token(stored: str, pattern: str) -> bool:
    text = stored.lower()
    wanted = pattern.lower()
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    if "*" in wanted:
        return fnmatch.fnmatchcase(text, wanted) or any(
            fnmatch.fnmatchcase(t, wanted) for t in tokens
        )
    return wanted == text or wanted in tokens


def _sort(
    portal: Portal, otype: ObjectType, raw: Any
) -> tuple[_Reader, Callable[[str], Key], bool] | None:
    if not isinstance(raw, list):
        raise bad_request("sorts must be a list")
    if len(raw) > 1:
        raise bad_request("Only one sort rule is allowed")
    if not raw:
        return None
    rule = raw[0]
    if isinstance(rule, str):
        name, descending = rule.lstrip("-"), rule.startswith("-")
    elif isinstance(rule, dict) and isinstance(rule.get("propertyName"), str):
        direction = rule.get("direction", "ASCENDING")
        if direction not in ("ASCENDING", "DESCENDING"):
            raise bad_request("sort direction must be ASCENDING or DESCENDING")
        name, descending = rule["propertyName"], direction == "DESCENDING"
    else:
        raise bad_request("Each sort needs a propertyName")
    read, to_key = _property_access(portal, otype, name)
    return read, to_key, descending


def _sort_key(
    portal: Portal, record: Record, read: _Reader, to_key: Callable[[str], Key]
) -> tuple[int, Key, int]:
    found = read(portal, record)
    if not found:
        return (1, "", int(record.id))
    try:
        return (0, to_key(found[0]), int(record.id))
    except (ValueError, InvalidOperation):
        return (1, "", int(record.id))


def _candidates(portal: Portal, otype: ObjectType, groups: list[list[_Filter]]) -> Iterable[Record]:
    """Narrow to one record when a single group pins an id or a unique value, else all."""
    if len(groups) == 1:
        for f in groups[0]:
            if f.operator != "EQ":
                continue
            if f.name in ("hs_object_id", "id"):
                record = portal.records.get(otype, f.raw_value)
                return [] if record is None else [record]
            found = portal.records.find_unique(otype, f.name, f.raw_value)
            if found is not None:
                record = portal.records.get(otype, found)
                return [] if record is None else [record]
            if otype is CONTACTS and f.name == "email":
                # The email index is lower-cased like EQ's comparison, so a miss is final.
                return []
    return portal.records.all(otype)


def _query_words(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, str):
        raise bad_request("query must be a string")
    if len(raw) > MAX_QUERY:
        raise bad_request(f"query must be at most {MAX_QUERY} characters")
    return [w for w in raw.lower().split() if w]


def _query_matches(otype: ObjectType, record: Record, words: list[str]) -> bool:
    if not words:
        return True
    text = " ".join(record.properties.get(n, "") for n in otype.text_search_properties).lower()
    return all(word in text for word in words)
