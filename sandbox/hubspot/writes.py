"""Validating a set of property writes against HubSpot's rules, then applying it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .clock import iso_ms
from .errors import PropertyIssue, bad_request, conflict, invalid_properties
from .objecttypes import CONTACTS, DEALS, LINE_ITEMS, PRODUCTS, ObjectType
from .pipelines import KINDS, PipelineKind, pipeline_kind
from .portal import Portal
from .records import Record, unique_key
from .rules import Rules, check_create
from .standard_properties import LIFECYCLE_STAGES
from .values import check_email, normalize, raw_text

_IDENTITY = ("email", "firstname", "lastname")
_AMOUNT_INPUTS = frozenset({"quantity", "price", "discount", "hs_discount_percentage"})
_DEAL_PIPELINES = KINDS[DEALS.name]


@dataclass
class Claims:
    """Unique values taken by earlier inputs of one batch that have not been applied yet."""

    taken: dict[tuple[str, str], str | None] = field(default_factory=dict)


def unique_properties(portal: Portal, otype: ObjectType) -> frozenset[str]:
    names = portal.properties.unique_names(otype)
    return names | {"email"} if otype is CONTACTS else names


def plan(
    portal: Portal,
    otype: ObjectType,
    raw: Any,
    existing: Record | None,
    rules: Rules,
    claims: Claims | None = None,
) -> dict[str, str]:
    """The canonical values to store ("" clears), or an ApiError saying why not; `rules` are
    the portal's own rules the request's API version obeys."""
    if not isinstance(raw, dict):
        raise bad_request("properties must be a JSON object of property names to values")
    changes: dict[str, str] = {}
    issues: list[PropertyIssue] = []
    for name, value in raw.items():
        prop = portal.properties.active(otype, name)
        if prop is None:
            issues.append(
                PropertyIssue(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist')
            )
            continue
        if prop.read_only_value:
            kind = "calculated" if prop.calculated else "read only"
            issues.append(
                PropertyIssue(
                    name,
                    "READ_ONLY_VALUE",
                    f'"{name}" is a {kind} property; its value cannot be set.',
                )
            )
            continue
        text = raw_text(value)
        if text is None:
            # HubSpot's documented inputs are strings (numbers and booleans are tolerated);
            # null and nested JSON are refused so a client never depends on how they'd be read.
            issues.append(
                PropertyIssue(
                    name,
                    "INVALID_PROPERTY_VALUE",
                    f'Value of {name} must be a string, number or boolean; send "" to clear it.',
                )
            )
            continue
        if text == "":
            changes[name] = ""
            continue
        if otype is CONTACTS and name == "email":
            result = check_email(text)
        else:
            result = normalize(prop, text)
        if isinstance(result, PropertyIssue):
            issues.append(result)
        else:
            changes[name] = result
    issues.extend(_object_rules(portal, otype, changes, existing))
    if issues:
        raise invalid_properties(issues, portal.portal_id)
    if existing is None:
        check_create(rules, otype, changes)
    if existing is None and otype is CONTACTS and not any(changes.get(n) for n in _IDENTITY):
        raise bad_request(
            "A contact needs at least one of the properties email, firstname, lastname"
        )
    _check_unique(portal, otype, changes, existing, claims)
    return changes


def apply(
    portal: Portal, otype: ObjectType, changes: dict[str, str], existing: Record | None, now: int
) -> Record:
    records = portal.records
    if existing is None:
        record = Record(records.new_id(), otype, {}, now, now)
        record.properties["hs_object_id"] = record.id
        kind = pipeline_kind(otype)
        if kind is not None and kind.default_pipeline_id is not None:
            record.properties[kind.pipeline_property] = kind.default_pipeline_id
        records.add(record)
        portal.counters["records_created"] += 1
    else:
        record = existing
        portal.counters["records_updated"] += 1
    props = record.properties
    unique = unique_properties(portal, otype)
    for name, value in changes.items():
        old = props.get(name)
        if value:
            props[name] = value
        else:
            props.pop(name, None)
        if name in unique:
            records.index(record, name, old, value or None)
    if otype.createdate_property not in props:
        props[otype.createdate_property] = iso_ms(record.created_ms)
    _derive(portal, record, changes, created=existing is None)
    record.updated_ms = now
    props[otype.lastmod_property] = iso_ms(now)
    return record


def archive(portal: Portal, record: Record, now: int) -> None:
    # Archived records give their unique values back, as HubSpot's recycle bin does for email.
    for name in unique_properties(portal, record.otype):
        value = record.properties.get(name)
        if value:
            portal.records.index(record, name, value, None)
    record.archived = True
    record.archived_ms = now
    record.updated_ms = now
    portal.counters["records_archived"] += 1


def written_names(record: Record, changes: dict[str, str]) -> list[str]:
    """What a write response lists: what was written and what that write recomputed."""
    names = list(changes)
    otype = record.otype
    if otype is LINE_ITEMS and _AMOUNT_INPUTS.intersection(changes):
        names.append("amount")
    if otype is DEALS and _DEAL_PIPELINES.inputs.intersection(changes):
        names.extend(("pipeline", "hs_is_closed", "hs_is_closed_won", "hs_deal_stage_probability"))
    if otype is CONTACTS and "email" in changes:
        names.append("hs_email_domain")
    return names


def _merged(changes: dict[str, str], existing: Record | None, name: str) -> str | None:
    if name in changes:
        return changes[name] or None
    return existing.properties.get(name) if existing is not None else None


def _object_rules(
    portal: Portal, otype: ObjectType, changes: dict[str, str], existing: Record | None
) -> list[PropertyIssue]:
    issues: list[PropertyIssue] = []
    owner = changes.get("hubspot_owner_id")
    if owner and not owner.isdigit():
        issues.append(
            PropertyIssue(
                "hubspot_owner_id", "INVALID_OPTION", f"{owner} is not a valid owner ID.", owner
            )
        )
    kind = pipeline_kind(otype)
    if kind is not None and (existing is None or kind.inputs.intersection(changes)):
        issues.extend(_stage_rules(portal, kind, changes, existing))
    if otype is LINE_ITEMS:
        issues.extend(_line_item_rules(portal, changes))
    elif otype is CONTACTS:
        issues.extend(_lifecycle_rule(changes, existing))
    return issues


def _stage_rules(
    portal: Portal, kind: PipelineKind, changes: dict[str, str], existing: Record | None
) -> list[PropertyIssue]:
    """A record's stage must be a stage of its pipeline. Deals always have both; an order
    may have neither, but never one without the other."""
    pipeline_name, stage_name = kind.pipeline_property, kind.stage_property
    pipeline_id = _merged(changes, existing, pipeline_name)
    stage = _merged(changes, existing, stage_name)
    if pipeline_id is None and existing is None and pipeline_name not in changes:
        pipeline_id = kind.default_pipeline_id
    if pipeline_id is None and stage is None and kind.default_pipeline_id is None:
        return []
    pipelines = portal.pipelines.of(kind.otype)
    pipeline = pipelines.find(pipeline_id or "")
    if pipeline is None:
        valid = ", ".join(pipelines.ids())
        shown = pipeline_id or ""
        return [
            PropertyIssue(
                pipeline_name,
                "INVALID_OPTION",
                f"{shown} is not a valid pipeline ID. Valid options are: [{valid}]",
                shown,
            )
        ]
    if stage is not None and stage in pipeline.stages:
        return []
    valid = ", ".join(s.id for s in pipeline.ordered_stages())
    shown = stage or ""
    return [
        PropertyIssue(
            stage_name,
            "INVALID_OPTION",
            f"{shown} is not a valid pipeline stage ID. Valid options are: "
            f"pipelineId={pipeline.id} : [{valid}]",
            shown,
        )
    ]


def _line_item_rules(portal: Portal, changes: dict[str, str]) -> list[PropertyIssue]:
    issues: list[PropertyIssue] = []
    product_id = changes.get("hs_product_id")
    if product_id and portal.records.active(PRODUCTS, product_id) is None:
        # HubSpot's code for this is not published; the shape is its usual per-property one.
        issues.append(
            PropertyIssue(
                "hs_product_id",
                "INVALID_OBJECT_ID",
                f"Product with ID {product_id} does not exist.",
                product_id,
            )
        )
    price = changes.get("price")
    if price and Decimal(price) < 0:
        issues.append(
            PropertyIssue("price", "INVALID_NUMBER", "Line item price cannot be negative.", price)
        )
    return issues


def _lifecycle_rule(changes: dict[str, str], existing: Record | None) -> list[PropertyIssue]:
    new = changes.get("lifecyclestage")
    old = existing.properties.get("lifecyclestage") if existing is not None else None
    if not new or not old or LIFECYCLE_STAGES.index(new) >= LIFECYCLE_STAGES.index(old):
        return []
    return [
        PropertyIssue(
            "lifecyclestage",
            "INVALID_OPTION",
            f"Lifecycle stage cannot move backwards from {old} to {new}; clear it first.",
            new,
        )
    ]


def _check_unique(
    portal: Portal,
    otype: ObjectType,
    changes: dict[str, str],
    existing: Record | None,
    claims: Claims | None,
) -> None:
    own_id = existing.id if existing is not None else None
    for name in unique_properties(portal, otype):
        value = changes.get(name)
        if not value:
            continue
        holder = portal.records.find_unique(otype, name, value)
        if holder is not None and holder != own_id:
            raise _duplicate(portal, otype, name, value, holder)
        if claims is None:
            continue
        slot = (name, unique_key(otype, name, value))
        # Inputs that create records have no id yet: any earlier claim is someone else's.
        if slot in claims.taken and (own_id is None or claims.taken[slot] != own_id):
            raise bad_request(f"Duplicate value {value!r} for {name} within the batch inputs")
        claims.taken[slot] = own_id


def _duplicate(portal: Portal, otype: ObjectType, name: str, value: str, holder: str) -> Exception:
    if otype is CONTACTS and name == "email":
        return conflict(f"Contact already exists. Existing ID: {holder}")
    # HubSpot's wording for a taken unique value is not published; observed client code
    # matches "already has that value" in a 400, so that is what the sandbox answers.
    return invalid_properties(
        [
            PropertyIssue(
                name,
                "DUPLICATE_VALUE",
                f"{value} already has that value: {name} must be unique per {otype.singular}.",
                value,
            )
        ],
        portal.portal_id,
    )


def _derive(portal: Portal, record: Record, changes: dict[str, str], created: bool) -> None:
    props = record.properties
    otype = record.otype
    if otype is CONTACTS:
        if created:
            props.setdefault("hs_analytics_source", "OFFLINE")
        if "email" in changes:
            email = props.get("email")
            if email:
                props["hs_email_domain"] = email.rsplit("@", 1)[1]
            else:
                props.pop("hs_email_domain", None)
    elif otype is DEALS and (created or _DEAL_PIPELINES.inputs.intersection(changes)):
        pipeline = portal.pipelines.of(DEALS).get(props["pipeline"])
        metadata = pipeline.stages[props["dealstage"]].metadata
        props["hs_is_closed"] = metadata["isClosed"]
        props["hs_is_closed_won"] = "true" if metadata["probability"] == "1.0" else "false"
        props["hs_deal_stage_probability"] = metadata["probability"]
    elif otype is LINE_ITEMS and (created or _AMOUNT_INPUTS.intersection(changes)):
        _derive_amount(props)


def _derive_amount(props: dict[str, str]) -> None:
    """Net price = quantity x (unit price - unit discount), less the discount percentage."""
    quantity = props.get("quantity")
    price = props.get("price")
    if quantity is None or price is None:
        props.pop("amount", None)
        return
    unit = Decimal(price) - Decimal(props.get("discount", "0"))
    amount = Decimal(quantity) * unit
    percentage = props.get("hs_discount_percentage")
    if percentage:
        amount -= amount * Decimal(percentage) / 100
    props["amount"] = _plain(amount)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
