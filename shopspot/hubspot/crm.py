"""CRM records and associations through HubSpot's batch endpoints, 100 inputs per call."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import (
    Conflict,
    NotFound,
    Rejected,
    ValidationFailed,
    property_problems,
)
from shopspot.retry import Repeat

BATCH_LIMIT = 100
# Association batches take up to 2,000 inputs to create and 1,000 to read.
ASSOCIATION_BATCH_LIMIT = 1000

T = TypeVar("T")

# HubSpot-defined association type ids (from → to).
DEAL_TO_CONTACT = 3
DEAL_TO_LINE_ITEM = 19
ORDER_TO_CONTACT = 507
ORDER_TO_LINE_ITEM = 513
ORDER_TO_DEAL = 512
ORDER_TO_CART = 593
CART_TO_CONTACT = 586
CART_TO_LINE_ITEM = 590
LINE_ITEM_TO_DEAL = 20
LINE_ITEM_TO_ORDER = 514
LINE_ITEM_TO_CART = 591


def chunks(items: Sequence[T], size: int = BATCH_LIMIT) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class BatchOutcome:
    results: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def raise_errors(self) -> None:
        """Refuse a partial answer the caller did not ask to handle."""
        if not self.errors:
            return
        categories = ",".join(sorted({str(error.get("category")) for error in self.errors}))
        problems: dict[str, str] = {}
        for error in self.errors:
            problems |= property_problems(error)
        if problems:
            raise ValidationFailed(categories, problems)
        raise Rejected(207, categories, f"{len(self.errors)} inputs failed")


def post_batches(
    client: HubSpotClient, path: str, inputs: Sequence[dict[str, Any]], size: int = BATCH_LIMIT
) -> BatchOutcome:
    """POST `inputs` in batches of `size`; HubSpot's results and per-input errors, merged."""
    outcome = BatchOutcome()
    for chunk in chunks(inputs, size):
        answer = client.request("POST", path, json={"inputs": list(chunk)}, repeat=Repeat.SAFE)
        if answer:
            outcome.results.extend(answer.get("results", []))
            outcome.errors.extend(answer.get("errors", []))
    return outcome


def batch_upsert(
    client: HubSpotClient,
    object_type: str,
    id_property: str,
    records: Sequence[Mapping[str, str]],
) -> list[dict[str, Any]]:
    """Create or update records keyed by `id_property` (email, or a unique-value property).

    Each record's own `id_property` value is its key. Returns HubSpot's results, each with
    `id` and `new`.
    """
    inputs = [
        {"idProperty": id_property, "id": record[id_property], "properties": dict(record)}
        for record in records
    ]
    outcome = post_batches(client, client.paths.batch(object_type, "upsert"), inputs)
    outcome.raise_errors()
    return outcome.results


@dataclass(frozen=True)
class Written:
    """Records written by key: their HubSpot ids by key, and the keys of those created with
    their associations (the others still need theirs)."""

    ids: dict[str, str]
    linked: frozenset[str]


def create_or_upsert(
    client: HubSpotClient,
    object_type: str,
    id_property: str,
    records: Sequence[Mapping[str, str]],
    known: Collection[str],
    links: Mapping[str, Sequence[tuple[str, int]]],
) -> Written:
    """Write records keyed by `id_property` (a unique-value property). Those whose key is not
    in `known` are created with their `links` ({key: [(to id, HubSpot-defined type id)]}) in
    the same calls, which saves the association calls; the rest are upserted, as is a create
    HubSpot refuses because a record has the key after all (a write that died after HubSpot
    made it). Every create input is traced, so HubSpot refuses such an input alone (207)."""
    creates = [record for record in records if record[id_property] not in known]
    try:
        created = _keyed(id_property, _create(client, object_type, id_property, creates, links))
    except (Conflict, ValidationFailed):
        # A batch refused whole rather than input by input: the upsert writes it all, or
        # refuses it for what is wrong with it.
        created = {}
    rest = [record for record in records if record[id_property] not in created]
    upserted = _keyed(id_property, batch_upsert(client, object_type, id_property, rest))
    return Written(ids=created | upserted, linked=frozenset(created))


def create_or_read(
    client: HubSpotClient,
    object_type: str,
    id_property: str,
    records: Sequence[Mapping[str, str]],
) -> dict[str, str]:
    """Create records keyed by `id_property` (a unique-value property), leaving one HubSpot
    has already as it is; the HubSpot ids of all, by key. An input refused for another
    reason is upserted, which raises what is wrong with it."""
    try:
        ids = _keyed(id_property, _create(client, object_type, id_property, records, {}))
    except (Conflict, ValidationFailed):
        ids = {}  # refused whole rather than input by input: read, then upsert, the rest
    ids |= ids_by_key(
        client,
        object_type,
        id_property,
        [r[id_property] for r in records if r[id_property] not in ids],
    )
    missing = [record for record in records if record[id_property] not in ids]
    return ids | _keyed(id_property, batch_upsert(client, object_type, id_property, missing))


def _create(
    client: HubSpotClient,
    object_type: str,
    id_property: str,
    records: Sequence[Mapping[str, str]],
    links: Mapping[str, Sequence[tuple[str, int]]],
) -> list[dict[str, Any]]:
    inputs = [
        {
            "properties": dict(record),
            "objectWriteTraceId": record[id_property],
            "associations": [
                {"to": {"id": to_id}, "types": _defined(type_id)}
                for to_id, type_id in links.get(record[id_property], ())
            ],
        }
        for record in records
    ]
    return post_batches(client, client.paths.batch(object_type, "create"), inputs).results


def _defined(type_id: int) -> list[dict[str, Any]]:
    """An association's types: the one HubSpot-defined type `type_id`."""
    return [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]


def _keyed(id_property: str, results: Sequence[dict[str, Any]]) -> dict[str, str]:
    return {str(r["properties"][id_property]): str(r["id"]) for r in results}


def batch_read(
    client: HubSpotClient,
    object_type: str,
    ids: Sequence[str],
    *,
    id_property: str | None = None,
    properties: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The records that exist among `ids` (missing ones are left out)."""
    results: list[dict[str, Any]] = []
    for chunk in chunks(ids):
        body: dict[str, Any] = {
            "inputs": [{"id": value} for value in chunk],
            "properties": list(properties),
        }
        if id_property:
            body["idProperty"] = id_property
        path = client.paths.batch(object_type, "read")
        answer = client.request("POST", path, json=body, repeat=Repeat.SAFE)
        results.extend(answer["results"])
    return results


def ids_by_key(
    client: HubSpotClient, object_type: str, id_property: str, keys: Sequence[str]
) -> dict[str, str]:
    """The HubSpot ids of the records that exist among these values of a unique-value
    property, by value."""
    found = batch_read(client, object_type, keys, id_property=id_property, properties=[id_property])
    return {
        str(r["properties"][id_property]): str(r["id"])
        for r in found
        if r["properties"].get(id_property)
    }


def all_records(
    client: HubSpotClient,
    object_type: str,
    properties: Sequence[str],
    associations: Sequence[str] = (),
) -> Iterator[dict[str, Any]]:
    """Every record of a type, a page of 100 at a time, with these properties and the ids of
    the records associated with it (`associations[type]["results"]`)."""
    params = {"limit": str(BATCH_LIMIT), "properties": ",".join(properties)}
    if associations:
        params["associations"] = ",".join(associations)
    while True:
        page = client.request("GET", client.paths.objects(object_type), params=params)
        yield from page.get("results", [])
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return
        params = {**params, "after": str(after)}


# HubSpot's search: at most 200 results a page, and only the first 10,000 of a query.
SEARCH_PAGE = 200
# Search has a limit of its own, 5 requests a second per account. A 429 from it would pause
# every process's calls for a whole rate window (the client cannot tell it from the shared
# budget's), so a search keeps under it by itself.
SEARCH_INTERVAL_SECONDS = 0.25
# Values for one IN filter: HubSpot's documentation states no maximum, so a search asks for
# no more than a batch call would.
SEARCH_IN_VALUES = 100


def search_records(
    client: HubSpotClient,
    object_type: str,
    filters: Sequence[Mapping[str, Any]],
    properties: Sequence[str],
) -> Iterator[dict[str, Any]]:
    """Every record that matches all `filters` (HubSpot's filter objects), in id order.

    HubSpot pages through a query's first 10,000 results only: past them, the search starts
    again after the last id it gave.
    """
    last: str | None = None
    sent = -SEARCH_INTERVAL_SECONDS
    while True:
        after_last = (
            [{"propertyName": "hs_object_id", "operator": "GT", "value": last}] if last else []
        )
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [*filters, *after_last]}],
            "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
            "properties": list(properties),
            "limit": SEARCH_PAGE,
        }
        given = 0
        while True:
            time.sleep(max(0.0, sent + SEARCH_INTERVAL_SECONDS - time.monotonic()))
            sent = time.monotonic()
            page = client.request(
                "POST", client.paths.search(object_type), json=body, repeat=Repeat.SAFE
            )
            results = page.get("results", [])
            yield from results
            given += len(results)
            last = str(results[-1]["id"]) if results else last
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                break
            body["after"] = after
        if not results or given >= int(page.get("total", 0)):
            return


def batch_update(
    client: HubSpotClient, object_type: str, updates: Mapping[str, Mapping[str, str]]
) -> tuple[list[dict[str, Any]], set[str]]:
    """Set properties on records by HubSpot id: {id: {property: value}}.

    Returns the updated records and the ids HubSpot no longer has (archived or deleted);
    each input carries its id as trace id so that one missing record fails only itself.
    """
    outcome = _update(client, object_type, updates)
    missing = _traced(outcome, "OBJECT_NOT_FOUND")
    BatchOutcome(errors=_others(outcome, "OBJECT_NOT_FOUND")).raise_errors()
    return outcome.results, missing


def change_email(client: HubSpotClient, record_id: str, email: str) -> str:
    """Give one contact a new email (C10): "changed", "missing" (HubSpot no longer has the
    contact) or "taken" (another contact holds the email). One contact a call: HubSpot may
    answer a taken email for the whole request, and email changes are rare."""
    try:
        outcome = _update(client, "contacts", {record_id: {"email": email}})
    except Conflict:
        return "taken"
    except NotFound:
        return "missing"
    if _traced(outcome, "CONFLICT"):
        return "taken"
    if _traced(outcome, "OBJECT_NOT_FOUND"):
        return "missing"
    outcome.raise_errors()
    return "changed"


def _update(
    client: HubSpotClient, object_type: str, updates: Mapping[str, Mapping[str, str]]
) -> BatchOutcome:
    inputs = [
        {"id": record_id, "objectWriteTraceId": record_id, "properties": dict(props)}
        for record_id, props in updates.items()
    ]
    return post_batches(client, client.paths.batch(object_type, "update"), inputs)


def _traced(outcome: BatchOutcome, category: str) -> set[str]:
    """The trace ids (here: record ids) of the inputs that failed with `category`."""
    return {
        trace
        for error in outcome.errors
        if error.get("category") == category
        for trace in (error.get("context") or {}).get("objectWriteTraceId", [])
    }


def _others(outcome: BatchOutcome, *handled: str) -> list[dict[str, Any]]:
    return [error for error in outcome.errors if error.get("category") not in handled]


def batch_archive(client: HubSpotClient, object_type: str, ids: Sequence[str]) -> None:
    inputs = [{"id": record_id} for record_id in dict.fromkeys(ids)]
    post_batches(client, client.paths.batch(object_type, "archive"), inputs)


def associate(
    client: HubSpotClient,
    from_type: str,
    to_type: str,
    type_id: int,
    pairs: Sequence[tuple[str, str]],
) -> None:
    """Associate each (from id, to id) pair with a HubSpot-defined association type."""
    spec = _defined(type_id)
    inputs = [
        {"from": {"id": from_id}, "to": {"id": to_id}, "types": spec}
        for from_id, to_id in dict.fromkeys(pairs)
    ]
    path = client.paths.association_batch_create(from_type, to_type)
    post_batches(client, path, inputs, ASSOCIATION_BATCH_LIMIT).raise_errors()
