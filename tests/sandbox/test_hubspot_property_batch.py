"""The properties API's batch create and read: each input held to the single create's rules,
the failed ones named in a 207, under both families of paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.hubspot.properties import MAX_UNIQUE_PROPERTIES

CREATE = "/crm/v3/properties/deals/batch/create"
READ = "/crm/v3/properties/deals/batch/read"


def _property(name: str, **overrides: Any) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.replace("_", " ").title(),
        "type": "string",
        "fieldType": "text",
        "groupName": "shopify",
        **overrides,
    }


def _group(hs: httpx.Client) -> None:
    made = hs.post("/crm/v3/properties/deals/groups", json={"name": "shopify", "label": "Shopify"})
    assert made.status_code == 201, made.text


def _names(hs: httpx.Client) -> set[str]:
    return {p["name"] for p in hs.get("/crm/v3/properties/deals").json()["results"]}


def _failed(body: dict[str, Any]) -> dict[str, str]:
    """Property name → category, for each error of a batch answer."""
    return {
        name: error["category"]
        for error in body["errors"]
        for name in error["context"].get("name", [])
    }


@pytest.mark.parametrize("root", ["/crm/v3/properties", "/crm/properties/2026-09"])
def test_a_batch_is_created_and_read_back_under_both_roots(hs: httpx.Client, root: str) -> None:
    _group(hs)
    inputs = [_property("shopify_tags"), _property("shopify_key", hasUniqueValue=True)]

    created = hs.post(f"{root}/deals/batch/create", json={"inputs": inputs})
    read = hs.post(
        f"{root}/deals/batch/read", json={"inputs": [{"name": "shopify_key"}, {"name": "dealname"}]}
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "COMPLETE" and "errors" not in body
    assert {p["name"] for p in body["results"]} == {"shopify_tags", "shopify_key"}
    assert {"shopify_tags", "shopify_key"} <= _names(hs)
    assert read.status_code == 200
    found = {p["name"]: p for p in read.json()["results"]}
    assert set(found) == {"shopify_key", "dealname"}
    assert found["shopify_key"]["hasUniqueValue"] is True
    assert found["dealname"]["hubspotDefined"] is True


def test_each_input_is_held_to_the_single_creates_rules_and_the_failures_are_named(
    hs: httpx.Client,
) -> None:
    _group(hs)
    assert hs.post("/crm/v3/properties/deals", json=_property("shopify_tags")).status_code == 201
    inputs = [
        _property("shopify_fine"),
        _property("shopify_tags"),  # exists
        _property("shopify_twice"),
        _property("shopify_twice", label="Again"),
        _property("shopify_count", type="number", fieldType="text"),
        _property("shopify_elsewhere", groupName="nope"),
        _property("shopify_when", type="date", fieldType="date", hasUniqueValue=True),
        _property("hs_mine"),
        {"label": "No name", "type": "string", "fieldType": "text", "groupName": "shopify"},
    ]

    response = hs.post(CREATE, json={"inputs": inputs})

    assert response.status_code == 207, response.text
    body = response.json()
    assert [p["name"] for p in body["results"]] == ["shopify_fine"]
    assert body["numErrors"] == len(inputs) - 1
    assert _failed(body) == {
        "shopify_tags": "OBJECT_ALREADY_EXISTS",
        "shopify_twice": "VALIDATION_ERROR",
        "shopify_count": "VALIDATION_ERROR",
        "shopify_elsewhere": "VALIDATION_ERROR",
        "shopify_when": "VALIDATION_ERROR",
        "hs_mine": "VALIDATION_ERROR",
    }
    twice = [e for e in body["errors"] if e["context"].get("name") == ["shopify_twice"]]
    assert len(twice) == 2 and "more than once" in twice[0]["message"]
    assert _names(hs) & {p.get("name") for p in inputs} == {"shopify_fine", "shopify_tags"}


def test_the_unique_value_limit_counts_what_the_batch_itself_makes(hs: httpx.Client) -> None:
    _group(hs)
    inputs = [
        _property(f"shopify_key_{n}", hasUniqueValue=True) for n in range(MAX_UNIQUE_PROPERTIES + 1)
    ]

    body = hs.post(CREATE, json={"inputs": inputs}).json()

    assert len(body["results"]) == MAX_UNIQUE_PROPERTIES
    assert _failed(body) == {f"shopify_key_{MAX_UNIQUE_PROPERTIES}": "VALIDATION_ERROR"}


@pytest.mark.parametrize(
    "body",
    [[], {"inputs": "shopify_tags"}, {"inputs": ["shopify_tags"]}, {}],
)
def test_a_batch_body_that_is_not_a_list_of_inputs_is_refused_whole(
    hs: httpx.Client, body: Any
) -> None:
    _group(hs)
    assert hs.post(CREATE, json=body).status_code == 400
    assert hs.post(READ, json=body).status_code == 400


def test_a_read_names_what_it_did_not_find(hs: httpx.Client) -> None:
    _group(hs)
    hs.post("/crm/v3/properties/deals", json=_property("shopify_gone"))
    hs.delete("/crm/v3/properties/deals/shopify_gone")
    names = [{"name": "dealname"}, {"name": "shopify_gone"}, {"name": "no_such"}]

    active = hs.post(READ, json={"inputs": names})
    archived = hs.post(READ, json={"inputs": names, "archived": True})

    assert active.status_code == 207
    assert [p["name"] for p in active.json()["results"]] == ["dealname"]
    assert _failed(active.json()) == {
        "shopify_gone": "OBJECT_NOT_FOUND",
        "no_such": "OBJECT_NOT_FOUND",
    }
    assert [p["name"] for p in archived.json()["results"]] == ["shopify_gone"]
    assert hs.post(READ, json={"inputs": [{"name": ""}]}).status_code == 400
    assert hs.post(READ, json={"inputs": [], "archived": "yes"}).status_code == 400


def test_a_lost_answer_follows_only_a_batch_that_made_something(
    hs: httpx.Client, hs_configure: Callable[..., dict[str, Any]]
) -> None:
    _group(hs)
    hs_configure(fault_after_write_probability=1.0)
    inputs = [_property("shopify_tags")]

    first = hs.post(CREATE, json={"inputs": inputs})
    again = hs.post(CREATE, json={"inputs": inputs})

    assert first.status_code == 502
    assert again.status_code == 207
    assert _failed(again.json()) == {"shopify_tags": "OBJECT_ALREADY_EXISTS"}
