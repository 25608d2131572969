"""Association operations: inline on v3 create, and HubSpot's v4 associations API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import batchio
from .associations import BY_ID, CATEGORIES, HUBSPOT_DEFINED, AssociationType, default_type
from .clock import now_ms
from .errors import ApiError, bad_request
from .objecttypes import CARTS, DEALS, LINE_ITEMS, ORDERS, ObjectType
from .portal import Portal

BATCH_WRITE_LIMIT = 2000
BATCH_READ_LIMIT = 1000
LIST_LIMIT = 500
# The records a line item can belong to; it belongs to one of them at most.
LINE_ITEM_PARENTS = (DEALS, ORDERS, CARTS)


@dataclass(frozen=True)
class Link:
    atype: AssociationType
    to_id: str


def parse_specs(
    raw: Any, from_type: ObjectType, to_type: ObjectType | None
) -> list[AssociationType]:
    """`[{"associationCategory", "associationTypeId"}]` as association types from `from_type`."""
    if not isinstance(raw, list) or not raw:
        raise bad_request("types must be a non-empty list of association specs")
    found = []
    for spec in raw:
        if not isinstance(spec, dict):
            raise bad_request("Each association spec must be a JSON object")
        category = spec.get("associationCategory")
        type_id = spec.get("associationTypeId")
        if category not in CATEGORIES:
            raise bad_request(f"associationCategory must be one of {sorted(CATEGORIES)}")
        if not isinstance(type_id, int) or isinstance(type_id, bool):
            raise bad_request("associationTypeId must be an integer")
        atype = BY_ID.get(type_id)
        if (
            atype is None
            or category != HUBSPOT_DEFINED
            or atype.from_type is not from_type
            or (to_type is not None and atype.to_type is not to_type)
        ):
            target = to_type.singular if to_type is not None else "any object"
            raise bad_request(
                f"{category} association type {type_id} does not exist from "
                f"{from_type.singular} to {target}"
            )
        found.append(atype)
    return found


def parse_inline(portal: Portal, from_type: ObjectType, raw: Any) -> list[Link]:
    """A v3 create's `associations`, checked before anything is written."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("associations must be a list")
    links: list[Link] = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("Each association must be a JSON object")
        to_id = batchio.nested_id(item, "to")
        for atype in parse_specs(item.get("types"), from_type, None):
            _require_record(portal, atype.to_type, to_id)
            links.append(Link(atype, to_id))
    parents = {
        (link.atype.to_type, link.to_id)
        for link in links
        if link.atype.to_type in LINE_ITEM_PARENTS
    }
    if from_type is LINE_ITEMS and len(parents) > 1:
        raise bad_request("A line item can belong to only one deal, order or cart")
    for link in links:
        if link.atype.to_type is LINE_ITEMS:
            _check_single_parent(portal, link.to_id, None)
    return links


def apply_inline(portal: Portal, from_id: str, links: list[Link]) -> None:
    for link in links:
        portal.associations.add(link.atype, from_id, link.to_id)


def put_default(
    portal: Portal, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str
) -> dict[str, Any]:
    started = now_ms()
    atype = _default(from_type, to_type)
    _associate(portal, atype, from_id, to_id)
    _, body = batchio.response(portal, _default_results(atype, from_id, to_id), [], started, 200)
    return body


def put_labelled(
    portal: Portal,
    from_type: ObjectType,
    from_id: str,
    to_type: ObjectType,
    to_id: str,
    body: Any,
) -> dict[str, Any]:
    for atype in parse_specs(body, from_type, to_type):
        _associate(portal, atype, from_id, to_id)
    return _pair_labels(from_type, from_id, to_type, to_id)


def list_links(
    portal: Portal,
    from_type: ObjectType,
    from_id: str,
    to_type: ObjectType,
    after: str | None,
    limit: int,
) -> dict[str, Any]:
    rows = _live_rows(portal, from_type, from_id, to_type)
    start = _offset(after)
    page = rows[start : start + limit]
    body: dict[str, Any] = {"results": page}
    if start + limit < len(rows):
        body["paging"] = {"next": {"after": str(start + limit)}}
    return body


def delete_pair(
    portal: Portal, from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str
) -> None:
    portal.associations.remove_pair((from_type.name, from_id), (to_type.name, to_id))


def batch_associate_default(
    portal: Portal, from_type: ObjectType, to_type: ObjectType, body: Any
) -> tuple[int, dict[str, Any]]:
    started = now_ms()
    atype = _default(from_type, to_type)
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in batchio.read_inputs(body, BATCH_WRITE_LIMIT):
        from_id, to_id = batchio.nested_id(item, "from"), batchio.nested_id(item, "to")
        try:
            _associate(portal, atype, from_id, to_id)
        except ApiError as exc:
            errors.append(exc.as_batch_error({"fromId": [from_id], "toId": [to_id]}))
            continue
        results.extend(_default_results(atype, from_id, to_id))
    return batchio.response(portal, results, errors, started, 200)


def batch_create(
    portal: Portal, from_type: ObjectType, to_type: ObjectType, body: Any
) -> tuple[int, dict[str, Any]]:
    started = now_ms()
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in batchio.read_inputs(body, BATCH_WRITE_LIMIT):
        from_id, to_id = batchio.nested_id(item, "from"), batchio.nested_id(item, "to")
        try:
            for atype in parse_specs(item.get("types"), from_type, to_type):
                _associate(portal, atype, from_id, to_id)
        except ApiError as exc:
            errors.append(exc.as_batch_error({"fromId": [from_id], "toId": [to_id]}))
            continue
        results.append(_pair_labels(from_type, from_id, to_type, to_id))
    return batchio.response(portal, results, errors, started, 201)


def batch_read(
    portal: Portal, from_type: ObjectType, to_type: ObjectType, body: Any
) -> tuple[int, dict[str, Any]]:
    started = now_ms()
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in batchio.read_inputs(body, BATCH_READ_LIMIT):
        from_id = batchio.input_id(item)
        rows = _live_rows(portal, from_type, from_id, to_type)
        if rows:
            results.append({"from": {"id": from_id}, "to": rows})
            continue
        missing = ApiError(
            404,
            f"No {to_type.singular} is associated with {from_type.singular} {from_id}.",
            "OBJECT_NOT_FOUND",
            subCategory="crm.associations.NO_ASSOCIATIONS_FOUND",
        )
        errors.append(missing.as_batch_error({"fromObjectId": [from_id]}))
    return batchio.response(portal, results, errors, started, 200)


def batch_archive(portal: Portal, from_type: ObjectType, to_type: ObjectType, body: Any) -> None:
    inputs = batchio.read_inputs(body, BATCH_WRITE_LIMIT)
    pairs: list[tuple[str, str]] = []
    for item in inputs:
        from_id = batchio.nested_id(item, "from")
        targets = item.get("to")
        if not isinstance(targets, list) or not all(isinstance(t, dict) for t in targets):
            raise bad_request("Each batch archive input needs to: [{id}, ...]")
        pairs.extend((from_id, batchio.input_id(t)) for t in targets)
    for from_id, to_id in pairs:
        delete_pair(portal, from_type, from_id, to_type, to_id)


def labels(from_type: ObjectType, to_type: ObjectType) -> dict[str, Any]:
    atype = default_type(from_type, to_type)
    found = [] if atype is None else [atype]
    return {
        "results": [
            {"category": HUBSPOT_DEFINED, "typeId": t.type_id, "label": None} for t in found
        ]
    }


def _default(from_type: ObjectType, to_type: ObjectType) -> AssociationType:
    atype = default_type(from_type, to_type)
    if atype is None:
        raise bad_request(
            f"There is no association type between {from_type.singular} and {to_type.singular}"
        )
    return atype


def _associate(portal: Portal, atype: AssociationType, from_id: str, to_id: str) -> None:
    _require_record(portal, atype.from_type, from_id)
    _require_record(portal, atype.to_type, to_id)
    if atype.to_type is LINE_ITEMS:
        _check_single_parent(portal, to_id, (atype.from_type, from_id))
    elif atype.from_type is LINE_ITEMS:
        _check_single_parent(portal, from_id, (atype.to_type, to_id))
    portal.associations.add(atype, from_id, to_id)


def _require_record(portal: Portal, otype: ObjectType, record_id: str) -> None:
    if portal.records.active(otype, record_id) is None:
        raise bad_request(
            f"One or more associations are invalid: no {otype.singular} with ID {record_id} exists",
            context={"ids": [record_id]},
        )


def _check_single_parent(
    portal: Portal, line_item_id: str, parent: tuple[ObjectType, str] | None
) -> None:
    """HubSpot's guides: a line item belongs to one parent record, and one shared by two
    is deleted with either. They do not say the API stops a second parent; the sandbox
    refuses it, so a client that shares line items is caught here rather than by lost data."""
    for parent_type in LINE_ITEM_PARENTS:
        for other in portal.associations.targets(LINE_ITEMS, line_item_id, parent_type):
            if (parent_type, other) == parent:
                continue
            if portal.records.active(parent_type, other) is not None:
                raise bad_request(
                    f"Line item {line_item_id} already belongs to {parent_type.singular} "
                    f"{other}; a line item can belong to only one deal, order or cart"
                )


def _live_rows(
    portal: Portal, from_type: ObjectType, from_id: str, to_type: ObjectType
) -> list[dict[str, Any]]:
    if portal.records.active(from_type, from_id) is None:
        return []
    rows: list[dict[str, Any]] = []
    for to_id, type_ids in portal.associations.targets(from_type, from_id, to_type).items():
        if portal.records.active(to_type, to_id) is None:
            continue
        rows.append(
            {
                "toObjectId": int(to_id),
                "associationTypes": [
                    {"category": HUBSPOT_DEFINED, "typeId": t, "label": None}
                    for t in sorted(type_ids)
                ],
            }
        )
    rows.sort(key=lambda row: int(row["toObjectId"]))
    return rows


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    if not after.isdigit():
        raise bad_request(f"Invalid paging cursor after={after!r}")
    return int(after)


def _default_results(atype: AssociationType, from_id: str, to_id: str) -> list[dict[str, Any]]:
    return [
        {
            "from": {"id": from_id},
            "to": {"id": to_id},
            "associationSpec": {
                "associationCategory": HUBSPOT_DEFINED,
                "associationTypeId": atype.type_id,
            },
        },
        {
            "from": {"id": to_id},
            "to": {"id": from_id},
            "associationSpec": {
                "associationCategory": HUBSPOT_DEFINED,
                "associationTypeId": atype.reverse_id,
            },
        },
    ]


def _pair_labels(
    from_type: ObjectType, from_id: str, to_type: ObjectType, to_id: str
) -> dict[str, Any]:
    return {
        "fromObjectTypeId": from_type.type_id,
        "fromObjectId": int(from_id),
        "toObjectTypeId": to_type.type_id,
        "toObjectId": int(to_id),
        "labels": [],
    }
