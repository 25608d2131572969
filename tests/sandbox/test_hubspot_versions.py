"""HubSpot's numbered and date-based paths (SPEC H1): one set of handlers behind both, with
the same strictness and rate limits, counted apart; and the portal's validation rules, which
only writes through 2026-09 and later obey."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shopspot.hubspot.paths import Paths

HsConfigure = Callable[..., dict[str, Any]]
# Values that differ from one run of the same requests to the next.
VOLATILE = frozenset(
    {"correlationId", "requestedAt", "startedAt", "completedAt", "createdAt", "updatedAt",
     "archivedAt", "createdate", "lastmodifieddate", "hs_lastmodifieddate"}
)  # fmt: skip
STAGES = [
    {"label": "Open", "displayOrder": 0, "metadata": {"probability": "0.2"}},
    {"label": "Won", "displayOrder": 1, "metadata": {"probability": "1.0"}},
]


def stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


def what_shopspot_does(hs: httpx.Client, paths: Paths) -> list[tuple[int, Any]]:
    """Every kind of call Shopspot makes, with some HubSpot refuses: (status, stable body)."""
    answers: list[httpx.Response] = []

    def call(method: str, path: str, body: Any = None) -> Any:
        response = hs.request(method, path, json=body)
        answers.append(response)
        return response.json() if response.content else None

    call("GET", paths.account_details())
    group = {"name": "shopify", "label": "Shopify"}
    call("POST", paths.property_groups("deals"), group)
    call("POST", paths.property_groups("deals"), group)  # 409: it exists
    key = {
        "name": "shopify_deal_key",
        "label": "Key",
        "type": "string",
        "fieldType": "text",
        "groupName": "shopify",
        "hasUniqueValue": True,
    }
    call("POST", paths.property_batch("deals", "create"), {"inputs": [key]})
    call("POST", paths.property_batch("deals", "create"), {"inputs": [key]})  # 207: it exists
    call("GET", paths.properties("deals"))
    names = [{"name": "shopify_deal_key"}, {"name": "no_such_property"}]
    call("POST", paths.property_batch("deals", "read"), {"inputs": names})  # 207: one is missing
    shop = {"label": "Shop", "displayOrder": 1, "stages": STAGES}
    pipeline = call("POST", paths.pipelines("deals"), shop)
    stage = {"label": "Lost", "displayOrder": 2, "metadata": {"probability": "0.0"}}
    call("POST", paths.pipeline_stages("deals", pipeline["id"]), stage)
    call("GET", paths.pipeline("deals", pipeline["id"]))
    call("GET", paths.pipelines("deals"))
    won = pipeline["stages"][1]["id"]
    deals = [
        {
            "idProperty": "shopify_deal_key",
            "id": f"shop:{n}",
            "properties": {"dealname": f"#{n}", "pipeline": pipeline["id"], "dealstage": won},
        }
        for n in (1001, 1002)
    ]
    upserted = call("POST", paths.batch("deals", "upsert"), {"inputs": deals})
    bad = [{**deals[0], "properties": {**deals[0]["properties"], "colour": "red"}}]
    call("POST", paths.batch("deals", "upsert"), {"inputs": bad})  # 400: no such property
    contacts = [{"idProperty": "email", "id": "ann@example.com", "properties": {}}]
    contact = call("POST", paths.batch("contacts", "upsert"), {"inputs": contacts})
    to_contact = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]
    pairs = [
        {"from": {"id": deal["id"]}, "to": {"id": contact["results"][0]["id"]}, "types": to_contact}
        for deal in upserted["results"]
    ]
    call("POST", paths.association_batch_create("deals", "contacts"), {"inputs": pairs})
    read = {
        "idProperty": "shopify_deal_key",
        "inputs": [{"id": "shop:1001"}, {"id": "shop:9"}],
        "properties": ["dealname"],
    }
    call("POST", paths.batch("deals", "read"), read)  # 207: one is missing
    update = [{"id": "1", "objectWriteTraceId": "1", "properties": {"dealname": "x"}}]
    call("POST", paths.batch("deals", "update"), {"inputs": update})  # 207: no record 1
    named = {"propertyName": "dealname", "operator": "EQ", "value": "#1001"}
    search = {"filterGroups": [{"filters": [named]}]}
    call("POST", paths.search("deals"), search)
    call("GET", paths.objects("deals"))
    first = upserted["results"][0]["id"]
    call("POST", paths.batch("deals", "archive"), {"inputs": [{"id": first}]})
    too_many = [
        {"idProperty": "email", "id": f"c{n}@example.com", "properties": {}} for n in range(101)
    ]
    call("POST", paths.batch("contacts", "upsert"), {"inputs": too_many})  # 400: over 100
    return [(r.status_code, stable(r.json()) if r.content else None) for r in answers]


def test_the_date_based_paths_answer_exactly_as_the_numbered_ones(
    hs: httpx.Client, hs_admin: httpx.Client
) -> None:
    answers = {}
    for version in ("v3", "2026-03", "2026-09"):
        hs_admin.post("/_sandbox/reset", json={"reset_config": True}).raise_for_status()
        answers[version] = what_shopspot_does(hs, Paths(version))

    statuses = [status for status, _ in answers["v3"]]
    assert statuses == [200, 201, 409, 201, 207, 200, 207, 201, 201, 200, 200, 200, 400,
                        200, 201, 207, 207, 200, 200, 204, 400]  # fmt: skip
    assert answers["2026-03"] == answers["v3"]
    assert answers["2026-09"] == answers["v3"]


def test_calls_are_counted_per_path_so_the_two_families_stay_apart(
    hs: httpx.Client, hs_admin: httpx.Client
) -> None:
    hs.get("/crm/v3/objects/contacts")
    hs.get("/crm/objects/2026-09/contacts")
    hs.get("/crm/objects/2026-09/contacts")
    hs.post("/crm/associations/2026-03/deals/contacts/batch/create", json={"inputs": []})

    by_endpoint = hs_admin.get("/_sandbox/stats").json()["by_endpoint"]
    assert by_endpoint == {
        "GET /crm/v3/objects/contacts": 1,
        "GET /crm/objects/2026-09/contacts": 2,
        "POST /crm/associations/2026-03/deals/contacts/batch/create": 1,
    }


def test_both_families_draw_on_one_rate_limit(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(rate_limit=3, window_seconds=5.0)
    statuses = [
        hs.get("/crm/v3/objects/contacts").status_code,
        hs.get("/crm/objects/2026-09/contacts").status_code,
        hs.get("/account-info/2026-03/details").status_code,
        hs.get("/crm/objects/2026-09/contacts").status_code,
        hs.get("/crm/v3/objects/contacts").status_code,
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.parametrize(
    "path",
    [
        "/crm/objects/2025-09/contacts",  # before the first generally available version
        "/crm/objects/2026-04/contacts",  # versions come in March and September
        "/crm/objects/2026-09-beta/contacts",
        "/crm/objects/latest/contacts",
        "/crm/v5/objects/contacts",
    ],
)
def test_a_version_hubspot_does_not_serve_is_404(hs: httpx.Client, path: str) -> None:
    assert hs.get(path).status_code == 404


def test_a_list_page_links_to_its_next_page_in_the_family_it_was_asked_in(
    hs: httpx.Client,
) -> None:
    inputs = [{"properties": {"email": f"c{n}@example.com"}} for n in range(3)]
    hs.post("/crm/objects/2026-09/contacts/batch/create", json={"inputs": inputs})

    page = hs.get("/crm/objects/2026-09/contacts", params={"limit": "2"}).json()
    link = page["paging"]["next"]["link"]
    assert httpx.URL(link).path == "/crm/objects/2026-09/contacts"
    assert len(hs.get(link).json()["results"]) == 1


RULE = {"object_type": "deals", "required_on_create": "description"}


def deal(**properties: str) -> dict[str, Any]:
    return {"properties": {"dealname": "#1001", "dealstage": "closedwon", **properties}}


@pytest.mark.parametrize(("version", "status"), [("v3", 201), ("2026-03", 201), ("2026-09", 400)])
def test_a_portal_rule_refuses_api_creates_from_2026_09_on(
    hs: httpx.Client, hs_admin: httpx.Client, version: str, status: int
) -> None:
    hs_admin.post("/_sandbox/rules", json=RULE).raise_for_status()

    refused = hs.post(Paths(version).objects("deals"), json=deal())
    written = hs.post(Paths(version).objects("deals"), json=deal(description="Gift"))

    assert (refused.status_code, written.status_code) == (status, 201)
    if status == 400:
        body = refused.json()
        assert body["category"] == "VALIDATION_ERROR"
        assert body["errors"] == [
            {
                "message": "A value for description must be provided",
                "code": "MISSING_REQUIRED_PROPERTY",
                "context": {"propertyName": ["description"]},
            }
        ]


def test_a_rule_on_creation_leaves_updates_alone(hs: httpx.Client, hs_admin: httpx.Client) -> None:
    paths = Paths("2026-09")
    created = hs.post(paths.objects("contacts"), json={"properties": {"email": "a@example.com"}})
    phone = {"object_type": "contacts", "required_on_create": "phone"}
    hs_admin.post("/_sandbox/rules", json=phone).raise_for_status()
    record = f"{paths.objects('contacts')}/{created.json()['id']}"

    assert hs.patch(record, json={"properties": {"firstname": "Ann"}}).status_code == 200
    upserts = [
        {"idProperty": "email", "id": "a@example.com", "properties": {"lastname": "Lee"}},
        {"idProperty": "email", "id": "new@example.com", "properties": {"lastname": "Lee"}},
    ]
    update_only = hs.post(paths.batch("contacts", "upsert"), json={"inputs": upserts[:1]})
    with_a_create = hs.post(paths.batch("contacts", "upsert"), json={"inputs": upserts})
    assert update_only.status_code == 200
    assert with_a_create.status_code == 400
    assert with_a_create.json()["errors"][0]["context"] == {"propertyName": ["phone"]}


def test_a_traced_batch_refuses_only_the_input_a_rule_refuses(
    hs: httpx.Client, hs_admin: httpx.Client
) -> None:
    hs_admin.post("/_sandbox/rules", json=RULE).raise_for_status()
    inputs = [
        {**deal(description="Gift"), "objectWriteTraceId": "a"},
        {**deal(), "objectWriteTraceId": "b"},
        {**deal(description="Rush"), "objectWriteTraceId": "c"},
    ]

    answer = hs.post(Paths("2026-09").batch("deals", "create"), json={"inputs": inputs})

    assert answer.status_code == 207
    body = answer.json()
    assert sorted(r["objectWriteTraceId"] for r in body["results"]) == ["a", "c"]
    (error,) = body["errors"]
    assert error["context"] == {"objectWriteTraceId": ["b"]}
    assert error["errors"][0]["code"] == "MISSING_REQUIRED_PROPERTY"
    assert error["errors"][0]["context"] == {"propertyName": ["description"]}


def test_rules_are_listed_checked_removed_and_go_with_the_schema(hs_admin: httpx.Client) -> None:
    assert hs_admin.post("/_sandbox/rules", json=RULE).json() == {"results": [RULE]}
    assert hs_admin.post("/_sandbox/rules", json=RULE).json() == {"results": [RULE]}
    bad_rules = (
        {"object_type": "nothing", "required_on_create": "x"},
        {"object_type": "deals"},
        {**RULE, "when": "always"},
    )
    for bad in bad_rules:
        assert hs_admin.post("/_sandbox/rules", json=bad).status_code == 400, bad

    hs_admin.post("/_sandbox/reset", json={"keep_schema": True})
    assert hs_admin.get("/_sandbox/rules").json() == {"results": [RULE]}
    assert hs_admin.delete("/_sandbox/rules").json() == {"results": []}
    hs_admin.post("/_sandbox/rules", json=RULE)
    hs_admin.post("/_sandbox/reset", json={})
    assert hs_admin.get("/_sandbox/rules").json() == {"results": []}
