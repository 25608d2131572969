"""Orders and carts: their names, default properties, custom properties and the same write
rules, batch limits, search and rate limits as the other objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from .conftest import Crm

OBJECTS = "/crm/v3/objects"
PROPS = "/crm/v3/properties"
SYSTEM = {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}
ORDER_PROPERTIES = {
    "hs_order_name",
    "hs_currency_code",
    "hs_source_store",
    "hs_fulfillment_status",
    "hs_shipping_status_url",
    "hs_shipping_tracking_number",
    "hs_shipping_address_street",
    "hs_shipping_address_city",
    "hs_shipping_address_state",
    "hs_shipping_address_postal_code",
    "hs_shipping_address_country",
    "hs_billing_address_street",
    "hs_billing_address_city",
    "hs_billing_address_postal_code",
    "hs_pipeline",
    "hs_pipeline_stage",
    "hs_external_order_id",
    "hs_total_price",
    "hs_subtotal_price",
    "hs_order_discount",
    "hs_tax",
    "hs_shipping_cost",
}
CART_PROPERTIES = {
    "hs_cart_name",
    "hs_external_cart_id",
    "hs_source_store",
    "hs_external_status",
    "hs_cart_url",
    "hs_total_price",
    "hs_currency_code",
    "hs_cart_discount",
    "hs_tax",
    "hs_shipping_cost",
    "hs_tags",
}
# Each commerce object with a typical record and the unique key Shopspot upserts it by.
COMMERCE = [
    ("orders", {"hs_order_name": "#1001", "hs_total_price": "42.50"}, "shopify_order_key"),
    ("carts", {"hs_cart_name": "Checkout 0a1b2c3d", "hs_total_price": "9"}, "shopify_cart_key"),
]
HsConfigure = Callable[..., dict[str, Any]]


def _definitions(hs: httpx.Client, object_type: str) -> dict[str, dict[str, Any]]:
    results = hs.get(f"{PROPS}/{object_type}").json()["results"]
    return {p["name"]: p for p in results}


def _keyed(hs: httpx.Client, crm: Crm, object_type: str, key: str) -> None:
    response = hs.post(
        f"{PROPS}/{object_type}/groups", json={"name": "shopify", "label": "Shopify"}
    )
    assert response.status_code == 201, response.text
    crm.unique_property(object_type, key, "shopify")


@pytest.mark.parametrize(
    ("names", "other"),
    [(("orders", "order", "0-123"), "carts"), (("carts", "cart", "0-142"), "orders")],
)
def test_every_name_of_the_type_reaches_the_same_records(
    hs: httpx.Client, names: tuple[str, str, str], other: str
) -> None:
    _, singular, type_id = names
    created = hs.post(f"{OBJECTS}/{singular}", json={"properties": {}})
    assert created.status_code == 201, created.text
    record_id = created.json()["id"]
    for name in names:
        read = hs.get(f"{OBJECTS}/{name}/{record_id}")
        assert read.status_code == 200, name
        assert set(read.json()["properties"]) == SYSTEM
    assert hs.get(f"{OBJECTS}/{type_id}").json()["results"][0]["id"] == record_id
    assert hs.get(f"{OBJECTS}/{other}/{record_id}").status_code == 404
    assert set(_definitions(hs, type_id)) >= SYSTEM


def test_a_write_answers_with_what_was_written_and_the_system_properties(
    crm: Crm, hs: httpx.Client
) -> None:
    order = crm.create("orders", hs_order_name="#1001", hs_fulfillment_status="Packing")
    assert set(order["properties"]) == {"hs_order_name", "hs_fulfillment_status", *SYSTEM}
    assert order["properties"]["hs_createdate"] == order["createdAt"]
    assert order["properties"]["hs_object_id"] == order["id"]
    shown = hs.get(
        f"{OBJECTS}/orders/{order['id']}", params={"properties": "hs_order_name,colour"}
    ).json()
    assert shown["properties"]["hs_order_name"] == "#1001"
    assert "colour" not in shown["properties"]


def test_order_properties_and_their_types(hs: httpx.Client) -> None:
    defined = _definitions(hs, "orders")
    assert set(defined) >= ORDER_PROPERTIES | SYSTEM
    assert "createdate" not in defined
    numbers = ("hs_total_price", "hs_subtotal_price", "hs_order_discount", "hs_tax")
    assert {defined[n]["type"] for n in numbers} == {"number"}
    for name in ("hs_fulfillment_status", "hs_order_name", "hs_shipping_tracking_number"):
        assert (defined[name]["type"], defined[name]["fieldType"]) == ("string", "text")
    assert defined["hs_pipeline_stage"]["type"] == "enumeration"
    assert defined["hs_pipeline_stage"]["externalOptions"] is True
    assert [o["value"] for o in defined["hs_currency_code"]["options"]] == ["USD"]
    assert defined["hs_lastmodifieddate"]["modificationMetadata"]["readOnlyValue"] is True
    assert all(p["hubspotDefined"] for p in defined.values())


def test_cart_properties_and_their_types(hs: httpx.Client) -> None:
    defined = _definitions(hs, "carts")
    assert set(defined) >= CART_PROPERTIES | SYSTEM
    status = defined["hs_external_status"]
    assert (status["type"], status["options"]) == ("string", [])
    assert defined["hs_cart_discount"]["type"] == "number"
    assert defined["hs_currency_code"]["type"] == "enumeration"
    assert hs.delete(f"{PROPS}/carts/hs_cart_url").status_code == 400


@pytest.mark.parametrize(
    ("object_type", "properties", "error"),
    [
        ("orders", {"colour": "red"}, "PROPERTY_DOESNT_EXIST"),
        ("orders", {"createdate": "2024-01-01T00:00:00Z"}, "PROPERTY_DOESNT_EXIST"),
        ("orders", {"dealname": "#1001"}, "PROPERTY_DOESNT_EXIST"),
        ("orders", {"hs_total_price": "12,50"}, "INVALID_INTEGER"),
        ("orders", {"hs_currency_code": "XXX"}, "INVALID_OPTION"),
        ("orders", {"hs_lastmodifieddate": "2024-01-01T00:00:00Z"}, "READ_ONLY_VALUE"),
        # Shopspot's own, until set-up creates it.
        ("orders", {"shopify_processed_at": "2024-01-01T00:00:00Z"}, "PROPERTY_DOESNT_EXIST"),
        ("carts", {"hs_order_name": "#1001"}, "PROPERTY_DOESNT_EXIST"),
        ("carts", {"hs_tax": "1e3"}, "INVALID_INTEGER"),
        ("carts", {"hs_external_status": None}, "INVALID_PROPERTY_VALUE"),
    ],
)
def test_writes_are_checked_as_strictly_as_deals(
    crm: Crm, hs: httpx.Client, object_type: str, properties: dict[str, Any], error: str
) -> None:
    response = hs.post(f"{OBJECTS}/{object_type}", json={"properties": properties})
    assert response.status_code == 400
    assert [issue["error"] for issue in crm.issues(response)] == [error]
    assert hs.get(f"{OBJECTS}/{object_type}").json()["results"] == []


def test_statuses_are_free_text(crm: Crm) -> None:
    order = crm.create("orders", hs_fulfillment_status="Partially fulfilled")
    assert order["properties"]["hs_fulfillment_status"] == "Partially fulfilled"
    for status in ("pending", "abandoned", "recovered"):
        cart = crm.create("carts", hs_external_status=status)
        assert cart["properties"]["hs_external_status"] == status


@pytest.mark.parametrize(("object_type", "properties", "key"), COMMERCE)
def test_custom_properties_live_in_a_shopify_group(
    crm: Crm, hs: httpx.Client, object_type: str, properties: dict[str, str], key: str
) -> None:
    _keyed(hs, crm, object_type, key)
    groups = {g["name"] for g in hs.get(f"{PROPS}/{object_type}/groups").json()["results"]}
    assert "shopify" in groups
    assert _definitions(hs, object_type)[key]["hasUniqueValue"] is True
    other = "deals" if object_type == "orders" else "orders"
    assert hs.get(f"{PROPS}/{other}/{key}").status_code == 404


@pytest.mark.parametrize(("object_type", "properties", "key"), COMMERCE)
def test_upsert_by_unique_key(
    crm: Crm, hs: httpx.Client, object_type: str, properties: dict[str, str], key: str
) -> None:
    _keyed(hs, crm, object_type, key)
    path = f"{OBJECTS}/{object_type}/batch/upsert"
    inputs = [{"idProperty": key, "id": "shop.myshopify.com:1", "properties": properties}]
    first = hs.post(path, json={"inputs": inputs})
    assert first.status_code == 200, first.text
    created = first.json()["results"][0]
    assert created["new"] is True
    assert created["properties"][key] == "shop.myshopify.com:1"
    changed = [{**inputs[0], "properties": {"hs_total_price": "50"}}]
    second = hs.post(path, json={"inputs": changed}).json()["results"][0]
    assert (second["new"], second["id"]) == (False, created["id"])
    read = hs.get(
        f"{OBJECTS}/{object_type}/shop.myshopify.com:1",
        params={"idProperty": key, "properties": "hs_total_price"},
    ).json()
    assert read["properties"]["hs_total_price"] == "50"
    by_name = [{"idProperty": "hs_source_store", "id": "x", "properties": {}}]
    assert hs.post(path, json={"inputs": by_name}).status_code == 400


@pytest.mark.parametrize(("object_type", "properties", "key"), COMMERCE)
def test_unique_values_are_enforced(
    crm: Crm, hs: httpx.Client, object_type: str, properties: dict[str, str], key: str
) -> None:
    _keyed(hs, crm, object_type, key)
    kept = crm.create(object_type, **{key: "k1"})
    again = hs.post(f"{OBJECTS}/{object_type}", json={"properties": {key: "k1"}})
    assert again.status_code == 400
    assert [issue["error"] for issue in crm.issues(again)] == ["DUPLICATE_VALUE"]
    inputs = [{"properties": {key: "k2"}}, {"properties": {key: "k2"}}]
    batch = hs.post(f"{OBJECTS}/{object_type}/batch/create", json={"inputs": inputs})
    assert batch.status_code == 400
    assert hs.delete(f"{OBJECTS}/{object_type}/{kept['id']}").status_code == 204
    assert crm.create(object_type, **{key: "k1"})["id"] != kept["id"]


@pytest.mark.parametrize("object_type", ["orders", "carts"])
def test_batches_hold_at_most_100(hs: httpx.Client, object_type: str) -> None:
    inputs = [{"properties": {"hs_source_store": f"s{i}"}} for i in range(101)]
    for op in ("create", "upsert", "update", "read", "archive"):
        response = hs.post(f"{OBJECTS}/{object_type}/batch/{op}", json={"inputs": inputs})
        assert response.status_code == 400, op
        assert response.json()["category"] == "VALIDATION_ERROR"
    full = hs.post(f"{OBJECTS}/{object_type}/batch/create", json={"inputs": inputs[:100]})
    assert full.status_code == 201
    assert len(full.json()["results"]) == 100


def test_batch_read_reports_missing_orders(crm: Crm, hs: httpx.Client) -> None:
    order = crm.create("orders", hs_order_name="#1")
    response = hs.post(
        f"{OBJECTS}/orders/batch/read",
        json={"properties": ["hs_order_name"], "inputs": [{"id": order["id"]}, {"id": "1"}]},
    )
    assert response.status_code == 207
    body = response.json()
    assert [r["properties"]["hs_order_name"] for r in body["results"]] == ["#1"]
    assert body["errors"][0]["message"].startswith("Could not get some ORDER objects")


def test_search_orders_and_carts(crm: Crm, hs: httpx.Client) -> None:
    crm.create("orders", hs_order_name="#1001", hs_source_store="a.myshopify.com")
    crm.create("orders", hs_order_name="#1002", hs_source_store="b.myshopify.com")
    crm.create("carts", hs_cart_name="Checkout 0a1b2c3d", hs_source_store="a.myshopify.com")
    store = [
        {
            "filters": [
                {"propertyName": "hs_source_store", "operator": "EQ", "value": "a.myshopify.com"}
            ]
        }
    ]
    found = hs.post(
        f"{OBJECTS}/orders/search", json={"filterGroups": store, "properties": ["hs_order_name"]}
    ).json()
    assert found["total"] == 1
    assert found["results"][0]["properties"]["hs_order_name"] == "#1001"
    by_text = hs.post(f"{OBJECTS}/carts/search", json={"query": "0a1b2c3d"}).json()
    assert by_text["total"] == 1
    sort = [{"propertyName": "hs_createdate", "direction": "DESCENDING"}]
    assert hs.post(f"{OBJECTS}/orders/search", json={"sorts": sort}).status_code == 200
    unknown = [{"filters": [{"propertyName": "dealname", "operator": "HAS_PROPERTY"}]}]
    assert hs.post(f"{OBJECTS}/orders/search", json={"filterGroups": unknown}).status_code == 400


def test_commerce_calls_share_the_rate_budget(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(rate_limit=3, window_seconds=10.0)
    statuses = [
        hs.get(f"{OBJECTS}/orders").status_code,
        hs.get(f"{OBJECTS}/carts").status_code,
        hs.get(f"{OBJECTS}/contacts").status_code,
        hs.get(f"{OBJECTS}/orders").status_code,
        hs.post(f"{OBJECTS}/carts", json={"properties": {}}).status_code,
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert hs.get(f"{OBJECTS}/carts").json()["policyName"] == "TEN_SECONDLY_ROLLING"


def test_stats_count_orders_and_carts(crm: Crm, hs: httpx.Client, hs_admin: httpx.Client) -> None:
    crm.create("orders")
    cart = crm.create("carts")
    hs.delete(f"{OBJECTS}/carts/{cart['id']}")
    objects = hs_admin.get("/_sandbox/stats").json()["objects"]
    assert objects["orders"] == {"active": 1, "archived": 0}
    assert objects["carts"] == {"active": 0, "archived": 1}
