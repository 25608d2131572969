"""`POST /crm/v3/objects/{type}/search`: operators, groups, limits and paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Crm


def _search(hs: httpx.Client, object_type: str, **body: Any) -> httpx.Response:
    return hs.post(f"/crm/v3/objects/{object_type}/search", json=body)


def _one(name: str, operator: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"filters": [{"propertyName": name, "operator": operator, **extra}]}]


def _names(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["properties"]["dealname"] for r in response.json()["results"]}


@pytest.fixture
def deals(crm: Crm) -> dict[str, str]:
    created = [
        crm.deal("alpha", amount="10", closedate="2024-01-10T00:00:00Z", description="Red shirt"),
        crm.deal("beta", amount="20", closedate="2024-02-10T00:00:00Z"),
        crm.deal("gamma", amount="30", dealtype="newbusiness"),
    ]
    return {d["properties"]["dealname"]: d["id"] for d in created}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (_one("amount", "EQ", value="20"), {"beta"}),
        (_one("amount", "NEQ", value="20"), {"alpha", "gamma"}),
        (_one("amount", "LT", value="20"), {"alpha"}),
        (_one("amount", "LTE", value="20"), {"alpha", "beta"}),
        (_one("amount", "GT", value="20"), {"gamma"}),
        (_one("amount", "GTE", value=20), {"beta", "gamma"}),
        (_one("amount", "BETWEEN", value="15", highValue="30"), {"beta", "gamma"}),
        (_one("dealname", "IN", values=["alpha", "gamma"]), {"alpha", "gamma"}),
        (_one("dealname", "NOT_IN", values=["alpha"]), {"beta", "gamma"}),
        (_one("dealtype", "HAS_PROPERTY"), {"gamma"}),
        (_one("closedate", "NOT_HAS_PROPERTY"), {"gamma"}),
        (_one("closedate", "GTE", value="1706745600000"), {"beta"}),
        (_one("closedate", "LT", value="2024-02-01T00:00:00Z"), {"alpha"}),
        (_one("description", "CONTAINS_TOKEN", value="shirt"), {"alpha"}),
        (_one("dealname", "EQ", value="ALPHA"), {"alpha"}),
    ],
)
def test_operators(
    hs: httpx.Client, deals: dict[str, str], filters: list[dict[str, Any]], expected: set[str]
) -> None:
    assert _names(_search(hs, "deals", filterGroups=filters)) == expected


def test_in_values_must_be_lower_case(hs: httpx.Client, deals: dict[str, str]) -> None:
    response = _search(hs, "deals", filterGroups=_one("dealname", "IN", values=["ALPHA"]))
    assert _names(response) == set()


def test_filters_and_within_a_group_or_across_groups(
    hs: httpx.Client, deals: dict[str, str]
) -> None:
    groups = [
        {
            "filters": [
                {"propertyName": "amount", "operator": "GTE", "value": "10"},
                {"propertyName": "amount", "operator": "LTE", "value": "10"},
            ]
        },
        {"filters": [{"propertyName": "dealname", "operator": "EQ", "value": "gamma"}]},
    ]
    assert _names(_search(hs, "deals", filterGroups=groups)) == {"alpha", "gamma"}


def test_group_and_filter_limits(hs: httpx.Client) -> None:
    six = [{"propertyName": "amount", "operator": "HAS_PROPERTY"}] * 6
    assert _search(hs, "deals", filterGroups=[{"filters": six}] * 3).status_code == 200
    assert _search(hs, "deals", filterGroups=[{"filters": six}] * 4).status_code == 400
    assert _search(hs, "deals", filterGroups=[{"filters": six + six[:1]}]).status_code == 400
    one = [{"filters": six[:1]}]
    assert _search(hs, "deals", filterGroups=one * 6).status_code == 400


def test_limit_after_total_and_paging(crm: Crm, hs: httpx.Client) -> None:
    for i in range(5):
        crm.create("products", name=f"P{i}", price=str(i))
    sorts = [{"propertyName": "price", "direction": "DESCENDING"}]
    first = _search(hs, "products", limit=2, sorts=sorts).json()
    assert first["total"] == 5
    assert [r["properties"]["name"] for r in first["results"]] == ["P4", "P3"]
    after = first["paging"]["next"]["after"]
    last = _search(hs, "products", limit=2, after=after, sorts=sorts).json()
    assert [r["properties"]["name"] for r in last["results"]] == ["P2", "P1"]
    end = _search(hs, "products", limit=2, after="4", sorts=sorts).json()
    assert "paging" not in end and len(end["results"]) == 1


def test_limit_over_200_and_the_10000_cap_are_refused(hs: httpx.Client) -> None:
    assert _search(hs, "products", limit=200).status_code == 200
    assert _search(hs, "products", limit=201).status_code == 400
    assert _search(hs, "products", limit=100, after="9900").status_code == 200
    assert _search(hs, "products", limit=100, after="9901").status_code == 400


def test_only_one_sort_and_unknown_filter_property(hs: httpx.Client) -> None:
    two = [{"propertyName": "name"}, {"propertyName": "price"}]
    assert _search(hs, "products", sorts=two).status_code == 400
    assert _search(hs, "products", filterGroups=_one("nope", "EQ", value="1")).status_code == 400


def test_archived_records_are_never_found(crm: Crm, hs: httpx.Client) -> None:
    contact = crm.create("contacts", email="ann@example.com")
    hs.delete(f"/crm/v3/objects/contacts/{contact['id']}")
    found = _search(hs, "contacts", filterGroups=_one("email", "EQ", value="ann@example.com"))
    assert found.json() == {"total": 0, "results": []}


def test_email_lookup_and_requested_properties(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com", city="Ghent", firstname="Ann")
    response = _search(
        hs,
        "contacts",
        filterGroups=_one("email", "EQ", value="Ann@Example.com"),
        properties=["city"],
    )
    props = response.json()["results"][0]["properties"]
    assert props["city"] == "Ghent" and "firstname" not in props
    assert "associations" not in response.json()["results"][0]


def test_search_by_association(crm: Crm, hs: httpx.Client) -> None:
    contact = crm.create("contacts", email="ann@example.com")
    linked, _ = crm.deal("linked"), crm.deal("other")
    hs.put(f"/crm/v4/objects/deals/{linked['id']}/associations/default/contacts/{contact['id']}")
    response = _search(
        hs, "deals", filterGroups=_one("associations.contact", "EQ", value=contact["id"])
    )
    assert _names(response) == {"linked"}


def test_free_text_query(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com", firstname="Ann", lastname="Lee")
    crm.create("contacts", email="bob@example.com", firstname="Bob")
    response = _search(hs, "contacts", query="lee")
    assert [r["properties"]["firstname"] for r in response.json()["results"]] == ["Ann"]
    assert _search(hs, "contacts", query="x" * 3001).status_code == 400


def test_search_sends_no_rate_limit_headers(hs: httpx.Client) -> None:
    response = _search(hs, "contacts")
    assert response.status_code == 200
    assert not [h for h in response.headers if h.lower().startswith("x-hubspot-ratelimit")]
    assert hs.get("/crm/v3/objects/contacts").headers["X-HubSpot-RateLimit-Max"]
