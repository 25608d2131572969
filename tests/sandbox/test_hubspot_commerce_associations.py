"""Associations of orders and carts: their HubSpot-defined type ids both ways, inline on
create, the v4 endpoints, and a line item that belongs to one deal, order or cart."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Crm

V4 = "/crm/v4"
OBJECTS = "/crm/v3/objects"
# (from, to, type id, the reverse direction's type id)
TYPES = [
    ("orders", "contacts", 507, 508),
    ("orders", "line_items", 513, 514),
    ("orders", "deals", 512, 511),
    ("orders", "carts", 593, 592),
    ("carts", "contacts", 586, 587),
    ("carts", "line_items", 590, 591),
    ("carts", "deals", 1347, 1346),
]


def _spec(type_id: int) -> list[dict[str, Any]]:
    return [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]


def _inline(to_id: str, type_id: int) -> dict[str, Any]:
    return {"to": {"id": to_id}, "types": _spec(type_id)}


def _item(crm: Crm, name: str = "Shirt") -> str:
    return str(crm.create("line_items", name=name, quantity="1", price="5")["id"])


@pytest.fixture
def records(crm: Crm) -> dict[str, str]:
    return {
        "contacts": crm.create("contacts", email="ann@example.com")["id"],
        "deals": crm.deal()["id"],
        "orders": crm.create("orders", hs_order_name="#1001")["id"],
        "carts": crm.create("carts", hs_cart_name="Checkout 0a1b2c3d")["id"],
        "line_items": _item(crm),
    }


@pytest.mark.parametrize(("from_type", "to_type", "type_id", "reverse_id"), TYPES)
def test_labels_give_the_type_id_each_way(
    hs: httpx.Client, from_type: str, to_type: str, type_id: int, reverse_id: int
) -> None:
    forward = hs.get(f"{V4}/associations/{from_type}/{to_type}/labels").json()["results"]
    assert forward == [{"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": None}]
    back = hs.get(f"{V4}/associations/{to_type}/{from_type}/labels").json()["results"]
    assert [label["typeId"] for label in back] == [reverse_id]


@pytest.mark.parametrize(("from_type", "to_type", "type_id", "reverse_id"), TYPES)
def test_default_association_answers_both_directions(
    hs: httpx.Client,
    records: dict[str, str],
    from_type: str,
    to_type: str,
    type_id: int,
    reverse_id: int,
) -> None:
    from_id, to_id = records[from_type], records[to_type]
    response = hs.put(f"{V4}/objects/{from_type}/{from_id}/associations/default/{to_type}/{to_id}")
    assert response.status_code == 200, response.text
    pairs = {
        (r["from"]["id"], r["to"]["id"], r["associationSpec"]["associationTypeId"])
        for r in response.json()["results"]
    }
    assert pairs == {(from_id, to_id, type_id), (to_id, from_id, reverse_id)}
    listed = hs.get(f"{V4}/objects/{to_type}/{to_id}/associations/{from_type}").json()
    assert listed["results"][0]["toObjectId"] == int(from_id)
    assert listed["results"][0]["associationTypes"][0]["typeId"] == reverse_id


def test_types_are_checked_against_the_pair(hs: httpx.Client, records: dict[str, str]) -> None:
    order, contact = records["orders"], records["contacts"]
    path = f"{V4}/objects/orders/{order}/associations/contacts/{contact}"
    assert hs.put(path, json=_spec(586)).status_code == 400
    created = hs.put(path, json=_spec(507))
    assert created.status_code == 201
    assert created.json()["fromObjectTypeId"] == "0-123"
    cart = records["carts"]
    to_cart = f"{V4}/objects/orders/{order}/associations/default/carts/{cart}"
    assert hs.put(to_cart).status_code == 200
    product = hs.post(f"{OBJECTS}/products", json={"properties": {"name": "P"}}).json()["id"]
    unrelated = f"{V4}/objects/carts/{cart}/associations/default/products/{product}"
    assert hs.put(unrelated).status_code == 400


def test_an_order_is_created_with_its_contact_line_items_deal_and_cart(
    crm: Crm, hs: httpx.Client, records: dict[str, str]
) -> None:
    second = _item(crm, "Hat")
    response = hs.post(
        f"{OBJECTS}/orders",
        json={
            "properties": {"hs_order_name": "#1002"},
            "associations": [
                _inline(records["contacts"], 507),
                _inline(records["line_items"], 513),
                _inline(second, 513),
                _inline(records["deals"], 512),
                _inline(records["carts"], 593),
            ],
        },
    )
    assert response.status_code == 201, response.text
    order = response.json()["id"]
    read = hs.get(
        f"{OBJECTS}/orders/{order}", params={"associations": "contacts,line_items,deals,carts"}
    ).json()
    assert read["associations"]["contacts"] == {
        "results": [{"id": records["contacts"], "type": "order_to_contact"}]
    }
    items = read["associations"]["line items"]["results"]
    assert sorted(r["id"] for r in items) == sorted([records["line_items"], second])
    assert {r["type"] for r in items} == {"order_to_line_item"}
    assert read["associations"]["deals"]["results"][0]["type"] == "order_to_deal"
    assert read["associations"]["carts"]["results"][0]["type"] == "order_to_cart"
    from_cart = hs.get(f"{OBJECTS}/carts/{records['carts']}", params={"associations": "orders"})
    assert from_cart.json()["associations"]["orders"]["results"] == [
        {"id": order, "type": "cart_to_order"}
    ]


def test_batch_create_carries_inline_associations(
    crm: Crm, hs: httpx.Client, records: dict[str, str]
) -> None:
    inputs = [
        {
            "properties": {"hs_cart_name": f"Checkout {n}"},
            "associations": [_inline(records["contacts"], 586), _inline(_item(crm), 590)],
        }
        for n in range(2)
    ]
    response = hs.post(f"{OBJECTS}/carts/batch/create", json={"inputs": inputs})
    assert response.status_code == 201, response.text
    carts = [r["id"] for r in response.json()["results"]]
    linked = hs.get(f"{V4}/objects/contacts/{records['contacts']}/associations/carts").json()
    assert sorted(str(r["toObjectId"]) for r in linked["results"]) == sorted(carts)
    assert {r["associationTypes"][0]["typeId"] for r in linked["results"]} == {587}


def test_an_inline_association_of_the_wrong_type_writes_nothing(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    inputs = [
        {"properties": {"hs_order_name": "#1"}, "associations": []},
        {"properties": {"hs_order_name": "#2"}, "associations": [_inline(records["contacts"], 3)]},
    ]
    assert hs.post(f"{OBJECTS}/orders/batch/create", json={"inputs": inputs}).status_code == 400
    listed = hs.get(f"{OBJECTS}/orders", params={"properties": "hs_order_name"}).json()
    assert [r["properties"]["hs_order_name"] for r in listed["results"]] == ["#1001"]


def test_a_line_item_is_created_inside_its_order(
    crm: Crm, hs: httpx.Client, records: dict[str, str]
) -> None:
    item = hs.post(
        f"{OBJECTS}/line_items",
        json={"properties": {"name": "Socks"}, "associations": [_inline(records["orders"], 514)]},
    )
    assert item.status_code == 201
    listed = hs.get(f"{V4}/objects/orders/{records['orders']}/associations/line_items").json()
    assert listed["results"][0]["toObjectId"] == int(item.json()["id"])
    assert listed["results"][0]["associationTypes"][0]["typeId"] == 513


def test_v4_batch_create_read_and_archive(hs: httpx.Client, records: dict[str, str]) -> None:
    order, item = records["orders"], records["line_items"]
    pair = f"{V4}/associations/orders/line_items"
    created = hs.post(
        f"{pair}/batch/create",
        json={"inputs": [{"from": {"id": order}, "to": {"id": item}, "types": _spec(513)}]},
    )
    assert created.status_code == 201
    assert created.json()["results"][0]["fromObjectTypeId"] == "0-123"
    read = hs.post(f"{pair}/batch/read", json={"inputs": [{"id": order}]}).json()
    assert [t["toObjectId"] for t in read["results"][0]["to"]] == [int(item)]
    archived = hs.post(
        f"{pair}/batch/archive", json={"inputs": [{"from": {"id": order}, "to": [{"id": item}]}]}
    )
    assert archived.status_code == 204
    back = hs.post(
        f"{V4}/associations/line_items/orders/batch/read", json={"inputs": [{"id": item}]}
    )
    assert back.status_code == 207
    assert back.json()["results"] == []


@pytest.mark.parametrize("first", ["orders", "carts", "deals"])
@pytest.mark.parametrize("second", ["orders", "carts", "deals"])
def test_a_line_item_belongs_to_one_parent(
    crm: Crm, hs: httpx.Client, records: dict[str, str], first: str, second: str
) -> None:
    item = records["line_items"]
    owner = records[first]
    path = f"{V4}/objects/{first}/{owner}/associations/default/line_items/{item}"
    assert hs.put(path).status_code == 200
    assert hs.put(path).status_code == 200
    others = {
        "orders": crm.create("orders")["id"],
        "carts": crm.create("carts")["id"],
        "deals": crm.deal("#2")["id"],
    }
    refused = hs.put(
        f"{V4}/objects/line_items/{item}/associations/default/{second}/{others[second]}"
    )
    assert refused.status_code == 400
    assert f"already belongs to {first.removesuffix('s')} {owner}" in refused.json()["message"]
    listed = hs.get(f"{V4}/objects/line_items/{item}/associations/{second}").json()["results"]
    assert [r["toObjectId"] for r in listed] == ([int(owner)] if first == second else [])


def test_a_new_parent_cannot_take_a_line_item_that_has_one(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    item = records["line_items"]
    hs.put(f"{V4}/objects/deals/{records['deals']}/associations/default/line_items/{item}")
    response = hs.post(
        f"{OBJECTS}/orders",
        json={"properties": {"hs_order_name": "#2"}, "associations": [_inline(item, 513)]},
    )
    assert response.status_code == 400
    assert len(hs.get(f"{OBJECTS}/orders").json()["results"]) == 1
    two_parents = hs.post(
        f"{OBJECTS}/line_items",
        json={
            "properties": {"name": "Twice"},
            "associations": [_inline(records["orders"], 514), _inline(records["carts"], 591)],
        },
    )
    assert two_parents.status_code == 400


def test_an_archived_parent_lets_its_line_item_go(
    hs: httpx.Client, records: dict[str, str]
) -> None:
    item, cart = records["line_items"], records["carts"]
    hs.put(f"{V4}/objects/carts/{cart}/associations/default/line_items/{item}")
    assert hs.delete(f"{OBJECTS}/carts/{cart}").status_code == 204
    order = records["orders"]
    taken = hs.put(f"{V4}/objects/orders/{order}/associations/default/line_items/{item}")
    assert taken.status_code == 200


def test_contacts_deals_and_carts_are_shared_freely(
    crm: Crm, hs: httpx.Client, records: dict[str, str]
) -> None:
    second_order = crm.create("orders")["id"]
    for order in (records["orders"], second_order):
        for to_type in ("contacts", "deals", "carts"):
            path = f"{V4}/objects/orders/{order}/associations/default/{to_type}/{records[to_type]}"
            assert hs.put(path).status_code == 200, (order, to_type)
    listed = hs.get(f"{V4}/objects/contacts/{records['contacts']}/associations/orders").json()
    assert len(listed["results"]) == 2
