"""Property and property-group definitions per object type, with HubSpot's rules for them."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .clock import iso_ms, now_ms
from .errors import already_exists, bad_request, not_found
from .objecttypes import ALL_TYPES, ObjectType

# Valid `type` → `fieldType` pairs (HubSpot's properties guide). `calculation_equation` is
# left out: the sandbox cannot evaluate formulas, so it refuses rather than fakes them.
FIELD_TYPES: dict[str, frozenset[str]] = {
    "string": frozenset({"text", "textarea", "html", "file"}),
    "number": frozenset({"number"}),
    "date": frozenset({"date"}),
    "datetime": frozenset({"date"}),
    "enumeration": frozenset({"select", "radio", "checkbox"}),
    "bool": frozenset({"booleancheckbox"}),
    "phone_number": frozenset({"phonenumber"}),
}
MAX_UNIQUE_PROPERTIES = 10
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,99}$")


@dataclass(frozen=True)
class Option:
    label: str
    value: str
    display_order: int = 0
    hidden: bool = False
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "displayOrder": self.display_order,
            "hidden": self.hidden,
            "description": self.description,
        }


@dataclass(frozen=True)
class PropertyDef:
    name: str
    label: str
    type: str
    field_type: str
    group_name: str
    description: str = ""
    options: tuple[Option, ...] = ()
    display_order: int = -1
    hidden: bool = False
    has_unique_value: bool = False
    form_field: bool = False
    calculated: bool = False
    external_options: bool = False
    hubspot_defined: bool = False
    read_only_value: bool = False
    read_only_definition: bool = False
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)
    archived: bool = False

    @cached_property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @cached_property
    def option_set(self) -> frozenset[str]:
        return frozenset(self.option_values)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "description": self.description,
            "groupName": self.group_name,
            "options": [o.to_json() for o in self.options],
            "displayOrder": self.display_order,
            "calculated": self.calculated,
            "externalOptions": self.external_options,
            "hasUniqueValue": self.has_unique_value,
            "hidden": self.hidden,
            "hubspotDefined": self.hubspot_defined,
            "modificationMetadata": {
                "archivable": not self.hubspot_defined,
                "readOnlyDefinition": self.read_only_definition,
                "readOnlyValue": self.read_only_value,
            },
            "formField": self.form_field,
            "createdAt": iso_ms(self.created_ms),
            "updatedAt": iso_ms(self.updated_ms),
            "archived": self.archived,
        }


@dataclass(frozen=True)
class PropertyGroup:
    name: str
    label: str
    display_order: int = -1
    archived: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "displayOrder": self.display_order,
            "archived": self.archived,
        }


class PropertyRegistry:
    """Each object type's properties and groups. Callers hold the portal lock."""

    def __init__(
        self,
        groups: dict[str, list[PropertyGroup]],
        properties: dict[str, list[PropertyDef]],
    ) -> None:
        self._groups = {t.name: {g.name: g for g in groups[t.name]} for t in ALL_TYPES}
        self._props = {t.name: {p.name: p for p in properties[t.name]} for t in ALL_TYPES}
        self._archived: dict[str, dict[str, PropertyDef]] = {t.name: {} for t in ALL_TYPES}
        self._unique: dict[str, frozenset[str]] = {}

    def active(self, otype: ObjectType, name: str) -> PropertyDef | None:
        return self._props[otype.name].get(name)

    def all_active(self, otype: ObjectType) -> dict[str, PropertyDef]:
        return self._props[otype.name]

    def unique_names(self, otype: ObjectType) -> frozenset[str]:
        cached = self._unique.get(otype.name)
        if cached is None:
            props = self._props[otype.name].values()
            cached = frozenset(p.name for p in props if p.has_unique_value)
            self._unique[otype.name] = cached
        return cached

    def definitions(self, otype: ObjectType, archived: bool) -> list[PropertyDef]:
        source = self._archived if archived else self._props
        return list(source[otype.name].values())

    def get(self, otype: ObjectType, name: str, archived: bool = False) -> PropertyDef:
        source = self._archived if archived else self._props
        found = source[otype.name].get(name)
        if found is None:
            raise not_found(f"Unable to find property {name} for object type {otype.type_id}")
        return found

    def create(self, otype: ObjectType, body: Any) -> PropertyDef:
        data = _object(body)
        name = _required_str(data, "name")
        if not _NAME.match(name):
            raise bad_request(
                f"Property name {name!r} is invalid: use lower-case letters, digits and "
                "underscores, starting with a letter"
            )
        if name.startswith("hs_"):
            raise bad_request(f"Property name {name!r} uses the prefix hs_, reserved by HubSpot")
        if name in self._props[otype.name] or name in self._archived[otype.name]:
            raise already_exists(f"Property named '{name}' already exists.")
        unique = _optional(data, "hasUniqueValue", bool, False)
        prop = PropertyDef(
            name=name,
            label=_required_str(data, "label"),
            type=_required_str(data, "type"),
            field_type=_required_str(data, "fieldType"),
            group_name=_required_str(data, "groupName"),
            description=_optional(data, "description", str, ""),
            options=_options(data.get("options")),
            display_order=_optional(data, "displayOrder", int, -1),
            hidden=_optional(data, "hidden", bool, False),
            has_unique_value=unique,
            form_field=_optional(data, "formField", bool, False),
        )
        self._check_definition(otype, prop)
        if unique and len(self.unique_names(otype)) >= MAX_UNIQUE_PROPERTIES:
            raise bad_request(
                f"An object type can have at most {MAX_UNIQUE_PROPERTIES} unique-value properties"
            )
        self._props[otype.name][name] = prop
        self._unique.pop(otype.name, None)
        return prop

    def update(self, otype: ObjectType, name: str, body: Any) -> PropertyDef:
        current = self.get(otype, name)
        data = _object(body)
        for fixed in ("name", "hasUniqueValue"):
            if fixed in data:
                raise bad_request(f"{fixed} cannot be changed once a property exists")
        if current.read_only_definition:
            raise bad_request(f"Property {name} is defined by HubSpot and cannot be modified")
        changes: dict[str, Any] = {}
        for key, attr, kind in (
            ("label", "label", str),
            ("type", "type", str),
            ("fieldType", "field_type", str),
            ("groupName", "group_name", str),
            ("description", "description", str),
            ("displayOrder", "display_order", int),
            ("hidden", "hidden", bool),
            ("formField", "form_field", bool),
        ):
            if key in data:
                changes[attr] = _optional(data, key, kind, None)
        if "options" in data:
            changes["options"] = _options(data["options"])
        updated = dataclasses.replace(current, **changes, updated_ms=now_ms())
        self._check_definition(otype, updated)
        self._props[otype.name][name] = updated
        return updated

    def archive(self, otype: ObjectType, name: str) -> None:
        current = self.get(otype, name)
        if current.hubspot_defined:
            raise bad_request(f"Property {name} is defined by HubSpot and cannot be archived")
        del self._props[otype.name][name]
        self._unique.pop(otype.name, None)
        self._archived[otype.name][name] = dataclasses.replace(
            current, archived=True, updated_ms=now_ms()
        )

    def groups(self, otype: ObjectType) -> list[PropertyGroup]:
        return list(self._groups[otype.name].values())

    def group(self, otype: ObjectType, name: str) -> PropertyGroup:
        found = self._groups[otype.name].get(name)
        if found is None:
            raise not_found(f"Unable to find property group {name} for object type {otype.type_id}")
        return found

    def create_group(self, otype: ObjectType, body: Any) -> PropertyGroup:
        data = _object(body)
        name = _required_str(data, "name")
        if not _NAME.match(name):
            raise bad_request(f"Property group name {name!r} is invalid")
        if name in self._groups[otype.name]:
            raise already_exists(f"Property group named '{name}' already exists.")
        group = PropertyGroup(
            name=name,
            label=_required_str(data, "label"),
            display_order=_optional(data, "displayOrder", int, -1),
        )
        self._groups[otype.name][name] = group
        return group

    def _check_definition(self, otype: ObjectType, prop: PropertyDef) -> None:
        allowed = FIELD_TYPES.get(prop.type)
        if allowed is None:
            raise bad_request(
                f"Invalid property type {prop.type!r}; valid types are {sorted(FIELD_TYPES)}"
            )
        if prop.field_type not in allowed:
            raise bad_request(
                f"fieldType {prop.field_type!r} is not valid for type {prop.type!r}; "
                f"use one of {sorted(allowed)}"
            )
        if prop.group_name not in self._groups[otype.name]:
            raise bad_request(f"Property group {prop.group_name} does not exist")
        if prop.type == "bool" and sorted(prop.option_values) != ["false", "true"]:
            raise bad_request("A bool property needs exactly the options 'true' and 'false'")
        if prop.type == "enumeration" and not prop.options:
            raise bad_request("An enumeration property needs at least one option")
        if prop.type not in ("enumeration", "bool") and prop.options:
            raise bad_request(f"A {prop.type} property cannot have options")
        if prop.has_unique_value and (prop.type, prop.field_type) not in (
            ("string", "text"),
            ("number", "number"),
        ):
            raise bad_request(
                "Only single-line text and number properties can require unique values"
            )


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def _required_str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{key} is required and must be a non-empty string")
    return value


def _optional(data: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = data.get(key, default)
    if value is None and default is None:
        raise bad_request(f"{key} must not be null")
    wrong_bool = kind is int and isinstance(value, bool)
    if value is not default and (not isinstance(value, kind) or wrong_bool):
        raise bad_request(f"{key} must be a {kind.__name__}")
    return value


def _options(raw: Any) -> tuple[Option, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise bad_request("options must be a list")
    options = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise bad_request("each option must be an object")
        label = _required_str(item, "label")
        value = _required_str(item, "value")
        if value != value.strip():
            raise bad_request(f'Option value "{value}" includes leading or trailing whitespace.')
        options.append(
            Option(
                label=label,
                value=value,
                display_order=_optional(item, "displayOrder", int, index),
                hidden=_optional(item, "hidden", bool, False),
                description=_optional(item, "description", str, ""),
            )
        )
    values = [o.value for o in options]
    labels = [o.label for o in options]
    if len(set(values)) != len(values) or len(set(labels)) != len(labels):
        raise bad_request("Option labels and values must each be unique")
    return tuple(options)
