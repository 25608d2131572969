"""The objects API's batch endpoints: create, read, update, upsert and archive up to 100 records.

HubSpot answers 207 with per-input errors only when every input carries its own
`objectWriteTraceId`; otherwise the first bad input fails the whole batch and nothing is
written. Upserts by email never report partial results.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import batchio, linking, writes
from .clock import now_ms
from .errors import ApiError, bad_request
from .objects import body_object, check_id_property, find, flag_param
from .objecttypes import CONTACTS, ObjectType
from .portal import Portal
from .records import Record, unique_key
from .render import record_json, requested_names
from .rules import Rules

BATCH_LIMIT = 100
Result = tuple[int, dict[str, Any]]


def batch_create(portal: Portal, otype: ObjectType, body: Any, rules: Rules) -> Result:
    started = now_ms()
    inputs = batchio.read_inputs(body, BATCH_LIMIT)
    traces = _trace_ids(portal, inputs)
    if traces is None:
        claims = writes.Claims()
        planned = [_plan_create(portal, otype, item, rules, claims) for item in inputs]
        now = now_ms()
        results = [_apply_create(portal, otype, plan, now, None) for plan in planned]
        return batchio.response(portal, results, [], started, 201)
    results, errors = [], []
    for item, trace in zip(inputs, traces, strict=True):
        try:
            plan = _plan_create(portal, otype, item, rules, None)
            results.append(_apply_create(portal, otype, plan, now_ms(), trace))
        except ApiError as exc:
            errors.append(exc.as_batch_error({"objectWriteTraceId": [trace]}))
    return batchio.response(portal, results, errors, started, 201)


def batch_read(portal: Portal, otype: ObjectType, body: Any, args: dict[str, list[str]]) -> Result:
    started = now_ms()
    data = body_object(body)
    inputs = batchio.read_inputs(data, BATCH_LIMIT)
    id_property = data.get("idProperty")
    if id_property is not None and not isinstance(id_property, str):
        raise bad_request("idProperty must be a string")
    archived = flag_param(args, "archived")
    requested = data.get("properties")
    if requested is not None and (
        not isinstance(requested, list) or not all(isinstance(n, str) for n in requested)
    ):
        raise bad_request("properties must be a list of property names")
    names = requested_names(portal, otype, requested)
    results: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for item in inputs:
        ident = batchio.input_id(item)
        record = find(portal, otype, ident, id_property, archived)
        if record is None:
            missing.append(ident)
        else:
            results[record.id] = record_json(record, names)
    errors = []
    if missing:
        error = ApiError(
            404,
            f"Could not get some {otype.label} objects, they may be deleted or not exist. "
            "Check that ids are valid.",
            "OBJECT_NOT_FOUND",
        )
        errors.append(error.as_batch_error({"ids": missing}))
    return batchio.response(portal, list(results.values()), errors, started, 200)


def batch_update(portal: Portal, otype: ObjectType, body: Any, rules: Rules) -> Result:
    started = now_ms()
    inputs = batchio.read_inputs(body, BATCH_LIMIT)
    idents = [batchio.input_id(item) for item in inputs]
    _refuse_duplicates(idents)
    traces = _trace_ids(portal, inputs)
    if traces is None:
        claims = writes.Claims()
        targets: list[Record] = []
        unknown: list[str] = []
        for item, ident in zip(inputs, idents, strict=True):
            record = _update_target(portal, otype, item, ident)
            if record is None:
                unknown.append(ident)
            else:
                targets.append(record)
        if unknown:
            raise _not_found(otype, unknown)
        planned = [
            (record, writes.plan(portal, otype, item.get("properties"), record, rules, claims))
            for item, record in zip(inputs, targets, strict=True)
        ]
        now = now_ms()
        results = [
            _apply_update(portal, otype, record, changes, now, None) for record, changes in planned
        ]
        return batchio.response(portal, results, [], started, 200)
    results, errors = [], []
    for item, ident, trace in zip(inputs, idents, traces, strict=True):
        try:
            record = _update_target(portal, otype, item, ident)
            if record is None:
                raise _not_found(otype, [ident])
            changes = writes.plan(portal, otype, item.get("properties"), record, rules)
            results.append(_apply_update(portal, otype, record, changes, now_ms(), trace))
        except ApiError as exc:
            errors.append(exc.as_batch_error({"objectWriteTraceId": [trace]}))
    return batchio.response(portal, results, errors, started, 200)


def batch_upsert(portal: Portal, otype: ObjectType, body: Any, rules: Rules) -> Result:
    started = now_ms()
    inputs = batchio.read_inputs(body, BATCH_LIMIT)
    id_property = _upsert_id_property(portal, otype, inputs)
    idents = [batchio.input_id(item) for item in inputs]
    _refuse_duplicates([unique_key(otype, id_property, i) for i in idents])
    traces = _trace_ids(portal, inputs)
    if otype is CONTACTS and id_property == "email":
        traces = None
    if traces is None:
        claims = writes.Claims()
        planned = [
            _plan_upsert(portal, otype, item, ident, id_property, rules, claims)
            for item, ident in zip(inputs, idents, strict=True)
        ]
        now = now_ms()
        results = [_apply_upsert(portal, otype, plan, now, None) for plan in planned]
        return batchio.response(portal, results, [], started, 200)
    results, errors = [], []
    for item, ident, trace in zip(inputs, idents, traces, strict=True):
        try:
            plan = _plan_upsert(portal, otype, item, ident, id_property, rules, None)
            results.append(_apply_upsert(portal, otype, plan, now_ms(), trace))
        except ApiError as exc:
            errors.append(exc.as_batch_error({"objectWriteTraceId": [trace]}))
    return batchio.response(portal, results, errors, started, 200)


def batch_archive(portal: Portal, otype: ObjectType, body: Any) -> None:
    idents = [batchio.input_id(item) for item in batchio.read_inputs(body, BATCH_LIMIT)]
    now = now_ms()
    for ident in idents:
        record = portal.records.active(otype, ident)
        if record is not None:
            writes.archive(portal, record, now)


_CreatePlan = tuple[dict[str, str], list[linking.Link]]
_UpsertPlan = tuple[Record | None, dict[str, str]]


def _plan_create(
    portal: Portal,
    otype: ObjectType,
    item: dict[str, Any],
    rules: Rules,
    claims: writes.Claims | None,
) -> _CreatePlan:
    if "properties" not in item:
        raise bad_request("Each batch input needs properties")
    links = linking.parse_inline(portal, otype, item.get("associations"))
    return writes.plan(portal, otype, item["properties"], None, rules, claims), links


def _apply_create(
    portal: Portal, otype: ObjectType, plan: _CreatePlan, now: int, trace: str | None
) -> dict[str, Any]:
    changes, links = plan
    record = writes.apply(portal, otype, changes, None, now)
    linking.apply_inline(portal, record.id, links)
    return _traced(record_json(record, writes.written_names(record, changes)), trace)


def _update_target(
    portal: Portal, otype: ObjectType, item: dict[str, Any], ident: str
) -> Record | None:
    id_property = item.get("idProperty")
    if id_property is not None and not isinstance(id_property, str):
        raise bad_request("idProperty must be a string")
    if otype is CONTACTS and id_property not in (None, "hs_object_id"):
        # HubSpot's contacts guide: batch updates must name contacts by record ID.
        raise bad_request("Contacts can only be batch updated by record ID, not by idProperty")
    return find(portal, otype, ident, id_property)


def _apply_update(
    portal: Portal,
    otype: ObjectType,
    record: Record,
    changes: dict[str, str],
    now: int,
    trace: str | None,
) -> dict[str, Any]:
    writes.apply(portal, otype, changes, record, now)
    return _traced(record_json(record, writes.written_names(record, changes)), trace)


def _upsert_id_property(portal: Portal, otype: ObjectType, inputs: list[dict[str, Any]]) -> str:
    names = {item.get("idProperty") for item in inputs}
    if len(names) > 1:
        raise bad_request("All inputs of a batch upsert must use the same idProperty")
    name = names.pop() if names else None
    if name is None:
        if inputs:
            raise bad_request("Each upsert input needs an idProperty")
        return "hs_object_id"
    if not isinstance(name, str) or name == "hs_object_id":
        raise bad_request("idProperty must name a unique property (email for contacts)")
    check_id_property(portal, otype, name)
    return name


def _plan_upsert(
    portal: Portal,
    otype: ObjectType,
    item: dict[str, Any],
    ident: str,
    id_property: str,
    rules: Rules,
    claims: writes.Claims | None,
) -> _UpsertPlan:
    raw = item.get("properties")
    if not isinstance(raw, dict):
        raise bad_request("Each upsert input needs properties")
    given = raw.get(id_property)
    if isinstance(given, str) and unique_key(otype, id_property, given) != unique_key(
        otype, id_property, ident
    ):
        raise bad_request(
            f"properties.{id_property} ({given!r}) differs from the input id ({ident!r})"
        )
    existing = find(portal, otype, ident, id_property)
    if existing is None:
        raw = {**raw, id_property: ident}
    return existing, writes.plan(portal, otype, raw, existing, rules, claims)


def _apply_upsert(
    portal: Portal, otype: ObjectType, plan: _UpsertPlan, now: int, trace: str | None
) -> dict[str, Any]:
    existing, changes = plan
    record = writes.apply(portal, otype, changes, existing, now)
    shown = _traced(record_json(record, writes.written_names(record, changes)), trace)
    shown["new"] = existing is None
    return shown


def _trace_ids(portal: Portal, inputs: list[dict[str, Any]]) -> list[str] | None:
    """Every input's objectWriteTraceId, when all carry distinct ones and the portal answers
    input by input; otherwise None."""
    if not portal.config.per_input_errors:
        return None
    traces = [item.get("objectWriteTraceId") for item in inputs]
    strings = [t for t in traces if isinstance(t, str) and t]
    if not inputs or len(strings) != len(inputs) or len(set(strings)) != len(strings):
        return None
    return strings


def _traced(shown: dict[str, Any], trace: str | None) -> dict[str, Any]:
    if trace is not None:
        shown["objectWriteTraceId"] = trace
    return shown


def _refuse_duplicates(idents: list[str]) -> None:
    duplicates = sorted(ident for ident, n in Counter(idents).items() if n > 1)
    if duplicates:
        raise bad_request(f"Duplicate IDs found in batch input: {duplicates}. IDs must be unique")


def _not_found(otype: ObjectType, idents: list[str]) -> ApiError:
    return ApiError(
        400,
        f"Could not get some {otype.label} objects, they may be deleted or not exist. "
        "Check that ids are valid.",
        "OBJECT_NOT_FOUND",
        context={"ids": idents},
    )
