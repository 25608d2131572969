"""Records as HubSpot's `SimplePublicObject` JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .associations import BY_ID
from .clock import iso_ms
from .objecttypes import ObjectType
from .portal import Portal
from .records import Record


def record_json(record: Record, names: Iterable[str]) -> dict[str, Any]:
    """The record with the named properties (null when unset) plus the system ones."""
    props = record.properties
    shown = {name: props.get(name) for name in names}
    for name in record.otype.system_properties:
        shown[name] = props.get(name)
    body: dict[str, Any] = {
        "id": record.id,
        "properties": shown,
        "createdAt": iso_ms(record.created_ms),
        "updatedAt": iso_ms(record.updated_ms),
        "archived": record.archived,
    }
    if record.archived_ms is not None:
        body["archivedAt"] = iso_ms(record.archived_ms)
    return body


def requested_names(portal: Portal, otype: ObjectType, requested: list[str] | None) -> list[str]:
    """`?properties=` as HubSpot reads it: default set when absent, unknown names dropped."""
    if requested is None:
        return list(otype.default_properties)
    known = portal.properties.all_active(otype)
    return [name for name in requested if name in known]


def associations_json(portal: Portal, record: Record, to_types: list[ObjectType]) -> dict[str, Any]:
    """v3 `associations`: only types with at least one live link appear."""
    shown: dict[str, Any] = {}
    for to_type in to_types:
        results = []
        for to_id, type_ids in portal.associations.targets(
            record.otype, record.id, to_type
        ).items():
            if portal.records.active(to_type, to_id) is None:
                continue
            for type_id in sorted(type_ids):
                results.append({"id": to_id, "type": BY_ID[type_id].name})
        if results:
            shown[to_type.associations_key] = {"results": results}
    return shown
