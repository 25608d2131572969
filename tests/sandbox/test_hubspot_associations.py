"""Associations: v4 endpoints, inline on v3 create, and `?associations=` on v3 reads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Crm

V4 = "/crm/v4"


@pytest.fixture
def records(crm: Crm) -> dict[str, str]:
    return {
        "contact": crm.create("contacts", email="ann@example.com")["id"],
        "deal": crm.deal()["id"],
        "other_deal": crm.deal("#1002")["id"],
        "item": crm.create("line_items", name="Shirt", quantity="1", price="5")["id"],
        "product": crm.create("products", name="Shirt")["id"],
    }


def _spec(type_id: int) -> list[dict[str, Any]]:
    return [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]


def test_default_association_returns_both_directions(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    deal, contact = records["deal"], records["contact"]
    response = hs.put(f"{V4}/objects/deals/{deal}/associations/default/contacts/{contact}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "COMPLETE"
    pairs = {
        (r["from"]["id"], r["to"]["id"], r["associationSpec"]["associationTypeId"])
        for r in body["results"]
    }
    assert pairs == {(deal, contact, 3), (contact, deal, 4)}
    listed = hs.get(f"{V4}/objects/contacts/{contact}/associations/deals").json()
    assert listed["results"] == [
        {
            "toObjectId": int(deal),
            "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 4, "label": None}],
        }
    ]


def test_labelled_put_and_delete(hs: httpx.Client, records: dict[str, str]) -> None:
    deal, item = records["deal"], records["item"]
    path = f"{V4}/objects/deals/{deal}/associations/line_items/{item}"
    response = hs.put(path, json=_spec(19))
    assert response.status_code == 201
    assert response.json() == {
        "fromObjectTypeId": "0-3",
        "fromObjectId": int(deal),
        "toObjectTypeId": "0-8",
        "toObjectId": int(item),
        "labels": [],
    }
    assert hs.put(path, json=_spec(3)).status_code == 400
    assert hs.delete(path).status_code == 204
    assert hs.get(f"{V4}/objects/line_items/{item}/associations/deals").json()["results"] == []


def test_association_to_missing_or_unrelated_record_is_refused(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    deal = records["deal"]
    missing = hs.put(f"{V4}/objects/deals/{deal}/associations/default/contacts/123")
    assert missing.status_code == 400
    product = records["product"]
    unrelated = hs.put(f"{V4}/objects/deals/{deal}/associations/default/products/{product}")
    assert unrelated.status_code == 400


def test_line_item_belongs_to_one_deal(hs: httpx.Client, records: dict[str, str]) -> None:
    item = records["item"]
    first = f"{V4}/objects/line_items/{item}/associations/default/deals/{records['deal']}"
    assert hs.put(first).status_code == 200
    assert hs.put(first).status_code == 200
    second = f"{V4}/objects/deals/{records['other_deal']}/associations/default/line_items/{item}"
    assert hs.put(second).status_code == 400


def test_batch_associate_default_and_read(hs: httpx.Client, records: dict[str, str]) -> None:
    deal, contact = records["deal"], records["contact"]
    inputs = [
        {"from": {"id": deal}, "to": {"id": contact}},
        {"from": {"id": deal}, "to": {"id": "1"}},
    ]
    response = hs.post(
        f"{V4}/associations/deals/contacts/batch/associate/default", json={"inputs": inputs}
    )
    assert response.status_code == 207
    assert response.json()["numErrors"] == 1
    assert len(response.json()["results"]) == 2
    read = hs.post(
        f"{V4}/associations/deals/contacts/batch/read",
        json={"inputs": [{"id": deal}, {"id": records["other_deal"]}]},
    )
    assert read.status_code == 207
    body = read.json()
    assert body["results"][0]["from"] == {"id": deal}
    assert [t["toObjectId"] for t in body["results"][0]["to"]] == [int(contact)]
    assert body["errors"][0]["subCategory"] == "crm.associations.NO_ASSOCIATIONS_FOUND"


def test_batch_create_and_archive(hs: httpx.Client, records: dict[str, str]) -> None:
    deal, item = records["deal"], records["item"]
    created = hs.post(
        f"{V4}/associations/deals/line_items/batch/create",
        json={"inputs": [{"from": {"id": deal}, "to": {"id": item}, "types": _spec(19)}]},
    )
    assert created.status_code == 201
    assert created.json()["results"][0]["toObjectId"] == int(item)
    archived = hs.post(
        f"{V4}/associations/deals/line_items/batch/archive",
        json={"inputs": [{"from": {"id": deal}, "to": [{"id": item}]}]},
    )
    assert archived.status_code == 204
    assert hs.get(f"{V4}/objects/deals/{deal}/associations/line_items").json()["results"] == []


def test_labels_list_type_ids(hs: httpx.Client) -> None:
    labels = hs.get(f"{V4}/associations/deals/line_items/labels").json()["results"]
    assert labels == [{"category": "HUBSPOT_DEFINED", "typeId": 19, "label": None}]
    reverse = hs.get(f"{V4}/associations/line_items/deals/labels").json()["results"]
    assert [label["typeId"] for label in reverse] == [20]


def test_inline_associations_on_create_and_v3_read(
    crm: Crm, hs: httpx.Client, records: dict[str, str]
) -> None:
    deal = hs.post(
        "/crm/v3/objects/deals",
        json={
            "properties": {"dealname": "#2000", "dealstage": "closedwon"},
            "associations": [{"to": {"id": records["contact"]}, "types": _spec(3)}],
        },
    )
    assert deal.status_code == 201
    deal_id = deal.json()["id"]
    item = hs.post(
        "/crm/v3/objects/line_items",
        json={
            "properties": {"name": "Shirt"},
            "associations": [{"to": {"id": deal_id}, "types": _spec(20)}],
        },
    ).json()
    read = hs.get(
        f"/crm/v3/objects/deals/{deal_id}", params={"associations": "contacts,line_items"}
    ).json()
    assert read["associations"] == {
        "contacts": {"results": [{"id": records["contact"], "type": "deal_to_contact"}]},
        "line items": {"results": [{"id": item["id"], "type": "deal_to_line_item"}]},
    }


def test_inline_association_to_missing_record_writes_nothing(hs: httpx.Client) -> None:
    response = hs.post(
        "/crm/v3/objects/deals",
        json={
            "properties": {"dealname": "#3000", "dealstage": "closedwon"},
            "associations": [{"to": {"id": "42"}, "types": _spec(3)}],
        },
    )
    assert response.status_code == 400
    assert hs.get("/crm/v3/objects/deals").json()["results"] == []


def test_archived_records_drop_out_of_associations(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    deal, contact = records["deal"], records["contact"]
    hs.put(f"{V4}/objects/deals/{deal}/associations/default/contacts/{contact}")
    hs.delete(f"/crm/v3/objects/contacts/{contact}")
    assert hs.get(f"{V4}/objects/deals/{deal}/associations/contacts").json()["results"] == []
    read = hs.get(f"/crm/v3/objects/deals/{deal}", params={"associations": "contacts"}).json()
    assert "associations" not in read
