"""A portal's own validation rules: properties its admin requires on every new record of a
type (Settings → Objects → Create Record).

From the 2026-09 API version on, HubSpot applies such rules to API writes as well (changelog
"CRM API write validation enforcement"): a create without the property is refused with 400,
the property named. The numbered paths and earlier date versions write as before. The
sandbox is given its rules through `/_sandbox/rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .objecttypes import ObjectType, find_type

ENFORCED_FROM = "2026-09"


@dataclass(frozen=True)
class RequiredOnCreate:
    otype: ObjectType
    property_name: str

    def to_json(self) -> dict[str, str]:
        return {"object_type": self.otype.name, "required_on_create": self.property_name}


Rules = tuple[RequiredOnCreate, ...]


class ValidationRules:
    def __init__(self) -> None:
        self._rules: list[RequiredOnCreate] = []

    def add(self, body: dict[str, Any]) -> RequiredOnCreate:
        """The rule `{"object_type": ..., "required_on_create": ...}`; ValueError if malformed."""
        unknown = set(body) - {"object_type", "required_on_create"}
        if unknown:
            raise ValueError(f"unknown rule field {sorted(unknown)[0]!r}")
        otype = find_type(str(body.get("object_type", "")))
        if otype is None:
            raise ValueError("object_type must name an object type the sandbox serves")
        name = body.get("required_on_create")
        if not isinstance(name, str) or not name:
            raise ValueError("required_on_create must name a property")
        rule = RequiredOnCreate(otype, name)
        if rule not in self._rules:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        self._rules.clear()

    def to_json(self) -> list[dict[str, str]]:
        return [rule.to_json() for rule in self._rules]

    def enforced(self, version: str | None) -> Rules:
        """The rules writes through a path of `version` obey (None: a numbered path)."""
        if version is None or version < ENFORCED_FROM:
            return ()
        return tuple(self._rules)


def check_create(rules: Rules, otype: ObjectType, changes: dict[str, str]) -> None:
    """Refuse a new record that lacks a property a rule requires, as HubSpot does."""
    required = [rule.property_name for rule in rules if rule.otype is otype]
    missing = [name for name in required if not changes.get(name)]
    if missing:
        raise bad_request(
            "The property values provided are invalid",
            errors=[
                {
                    "message": f"A value for {name} must be provided",
                    "code": "MISSING_REQUIRED_PROPERTY",
                    "context": {"propertyName": [name]},
                }
                for name in missing
            ],
        )
