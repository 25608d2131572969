"""Single-record operations and listing for the objects API."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from . import linking, writes
from .clock import now_ms
from .errors import bad_request, not_found
from .objecttypes import CONTACTS, ObjectType, resolve_type
from .portal import Portal
from .records import Record
from .render import associations_json, record_json, requested_names
from .rules import Rules

LIST_LIMIT_MAX = 100
LIST_LIMIT_DEFAULT = 10


def body_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def check_id_property(portal: Portal, otype: ObjectType, name: str) -> None:
    """`idProperty` may be contacts' email or a property created with hasUniqueValue."""
    if name == "hs_object_id" or (otype is CONTACTS and name == "email"):
        return
    prop = portal.properties.active(otype, name)
    if prop is None:
        raise bad_request(f'Property "{name}" does not exist')
    if not prop.has_unique_value:
        raise bad_request(
            f"Unable to perform update/upsert by non-unique {otype.type_id} property {name}"
        )


def find(
    portal: Portal, otype: ObjectType, ident: str, id_property: str | None, archived: bool = False
) -> Record | None:
    """The record `ident` names (by id, or by `id_property`), in the wanted archived state."""
    if id_property is None or id_property == "hs_object_id":
        record = portal.records.get(otype, ident)
    else:
        check_id_property(portal, otype, id_property)
        found_id = portal.records.find_unique(otype, id_property, ident)
        record = portal.records.get(otype, found_id) if found_id is not None else None
    if record is None or record.archived != archived:
        return None
    return record


def csv_param(args: dict[str, list[str]], name: str) -> list[str] | None:
    """A list parameter given as repeats, comma-separated, or both."""
    if name not in args:
        return None
    return [part for value in args[name] for part in value.split(",") if part]


def last_param(args: dict[str, list[str]], name: str) -> str | None:
    values = args.get(name)
    return values[-1] if values else None


def flag_param(args: dict[str, list[str]], name: str) -> bool:
    value = (last_param(args, name) or "false").lower()
    if value not in ("true", "false"):
        raise bad_request(f"{name} must be true or false")
    return value == "true"


def association_types(args: dict[str, list[str]]) -> list[ObjectType]:
    return [resolve_type(name) for name in csv_param(args, "associations") or []]


def show(
    portal: Portal, record: Record, names: list[str], with_links: list[ObjectType]
) -> dict[str, Any]:
    body = record_json(record, names)
    if with_links:
        links = associations_json(portal, record, with_links)
        if links:
            body["associations"] = links
    return body


def create(portal: Portal, otype: ObjectType, body: Any, rules: Rules) -> dict[str, Any]:
    data = body_object(body)
    if "properties" not in data:
        raise bad_request("properties is required")
    links = linking.parse_inline(portal, otype, data.get("associations"))
    changes = writes.plan(portal, otype, data["properties"], None, rules)
    record = writes.apply(portal, otype, changes, None, now_ms())
    linking.apply_inline(portal, record.id, links)
    return record_json(record, writes.written_names(record, changes))


def read(
    portal: Portal, otype: ObjectType, ident: str, args: dict[str, list[str]]
) -> dict[str, Any]:
    id_property = last_param(args, "idProperty")
    record = find(portal, otype, ident, id_property, flag_param(args, "archived"))
    if record is None:
        raise not_found()
    names = requested_names(portal, otype, csv_param(args, "properties"))
    return show(portal, record, names, association_types(args))


def update(
    portal: Portal,
    otype: ObjectType,
    ident: str,
    args: dict[str, list[str]],
    body: Any,
    rules: Rules,
) -> dict[str, Any]:
    data = body_object(body)
    if "properties" not in data:
        raise bad_request("properties is required")
    record = find(portal, otype, ident, last_param(args, "idProperty"))
    if record is None:
        raise not_found()
    changes = writes.plan(portal, otype, data["properties"], record, rules)
    writes.apply(portal, otype, changes, record, now_ms())
    return record_json(record, writes.written_names(record, changes))


def archive(portal: Portal, otype: ObjectType, ident: str) -> None:
    """204, and 204 again for a record already archived (as HubSpot is observed to answer);
    404 for an id that never existed, which is a client bug worth surfacing."""
    record = portal.records.get(otype, ident)
    if record is None:
        raise not_found()
    if not record.archived:
        writes.archive(portal, record, now_ms())


def list_page(
    portal: Portal, otype: ObjectType, args: dict[str, list[str]], url: str
) -> dict[str, Any]:
    limit = _limit(args)
    archived = flag_param(args, "archived")
    cursor = last_param(args, "after")
    after_id = _decode_cursor(cursor) if cursor is not None else 0
    names = requested_names(portal, otype, csv_param(args, "properties"))
    with_links = association_types(args)
    page: list[Record] = []
    more = False
    for record in portal.records.iter_from(otype, after_id):
        if record.archived != archived:
            continue
        if len(page) == limit:
            more = True
            break
        page.append(record)
    body: dict[str, Any] = {"results": [show(portal, r, names, with_links) for r in page]}
    if more:
        next_cursor = _encode_cursor(int(page[-1].id))
        body["paging"] = {
            "next": {
                "after": next_cursor,
                "link": f"{url}?after={next_cursor}",
            }
        }
    return body


def _limit(args: dict[str, list[str]]) -> int:
    raw = last_param(args, "limit") or str(LIST_LIMIT_DEFAULT)
    if not raw.isdigit() or not 1 <= int(raw) <= LIST_LIMIT_MAX:
        raise bad_request(f"limit must be an integer from 1 to {LIST_LIMIT_MAX}")
    return int(raw)


def _encode_cursor(last_id: int) -> str:
    """Opaque like HubSpot's (base64), so clients pass it back rather than compute it."""
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise bad_request(f"Invalid paging cursor after={cursor!r}") from exc
    if not text.isdigit():
        raise bad_request(f"Invalid paging cursor after={cursor!r}")
    return int(text)
