"""HubSpot orders and carts (SPEC T1): the commerce table, the order stage rules, cart
statuses that never move back, and line items of their own."""

import json
from pathlib import Path
from typing import Any

import pytest

from shopspot.mapping.carts import (
    CartStatus,
    abandoned_properties,
    cart_key,
    cart_properties,
    recovered_properties,
)
from shopspot.mapping.datamodel import PROPERTIES, STANDARD_PROPERTIES, ObjectType
from shopspot.mapping.line_items import for_parent, line_item_properties
from shopspot.mapping.orders import order_key, order_properties
from shopspot.shopify import Checkout, Order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"
PIPELINE = "order-pipeline"
STAGE_IDS = {"Checkout Completed": "1", "Processed": "2", "Shipped": "3", "Cancelled": "4"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def hs_order(order: Order) -> dict[str, str]:
    return order_properties(SHOP, order, pipeline_id=PIPELINE, stage_ids=STAGE_IDS)


def test_an_order_maps_to_the_commerce_table() -> None:
    paid = Order.model_validate(
        fixture("2024-01/orders-paid.json")
        | {"total_shipping_price_set": {"shop_money": {"amount": "4.90", "currency_code": "EUR"}}}
    )

    props = hs_order(paid)

    assert {k: v for k, v in props.items() if k.startswith("hs_")} == {
        "hs_order_name": "#1042",
        "hs_external_order_id": str(paid.id),
        "hs_currency_code": "EUR",
        "hs_total_price": "84.40",
        "hs_subtotal_price": "74.50",
        "hs_order_discount": "5.00",
        "hs_tax": "14.07",
        "hs_shipping_cost": "4.90",
        "hs_source_store": SHOP,
        "hs_pipeline": PIPELINE,
        "hs_pipeline_stage": STAGE_IDS["Processed"],
    }
    assert props["shopify_order_key"] == f"{SHOP}:order:{paid.id}" == order_key(SHOP, paid.id)
    assert props["shopify_financial_status"] == "paid"
    assert props["shopify_token"] == "9f1c2e3d4b5a69788796a5b4c3d2e1f0"
    assert props["shopify_shop_domain"] == SHOP
    # When it was processed, in UTC, as the deal's close date: what the reports count by.
    assert props["shopify_processed_at"] == "2024-02-20T23:04:50.000Z"
    # The deal's fields with an hs_ equivalent are not repeated on the order.
    assert not {"shopify_name", "shopify_currency", "shopify_total_tax"} & props.keys()


def test_an_order_total_is_net_of_refunds_and_its_stage_follows_the_deal_rules() -> None:
    refunded = Order.model_validate(fixture("2024-10/orders-updated.json"))

    props = hs_order(refunded)

    assert props["hs_total_price"] == "36.90"
    assert props["shopify_total_price"] == "67.40"
    assert props["hs_fulfillment_status"] == "fulfilled"
    assert props["hs_pipeline_stage"] == STAGE_IDS["Shipped"]
    assert "shopify_customer_id" not in props  # guest order


@pytest.mark.parametrize(
    ("fields", "stage"),
    [
        ({"financial_status": "pending"}, "Checkout Completed"),
        ({"financial_status": "refunded"}, "Processed"),
        ({"cancelled_at": "2024-03-01T10:00:00Z", "fulfillment_status": "fulfilled"}, "Cancelled"),
    ],
)
def test_order_stages(fields: dict[str, Any], stage: str) -> None:
    order = Order.model_validate({"id": 5, **fields})
    assert hs_order(order)["hs_pipeline_stage"] == STAGE_IDS[stage]


def test_an_order_pipeline_without_the_stage_is_an_error() -> None:
    with pytest.raises(LookupError, match="Shipped"):
        order_properties(
            SHOP,
            Order.model_validate({"id": 5, "fulfillment_status": "fulfilled"}),
            pipeline_id=PIPELINE,
            stage_ids={},
        )


def test_a_checkout_maps_to_a_pending_cart() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    props = cart_properties(SHOP, checkout, None)

    assert props["hs_cart_name"] == "Checkout 9f1c2e3d"
    assert props["hs_external_cart_id"] == checkout.token
    assert props["hs_cart_url"].endswith("/recover?key=invented")
    assert props["hs_total_price"] == "89.40"
    assert props["hs_currency_code"] == "EUR"
    assert props["hs_source_store"] == SHOP
    assert props["hs_external_status"] == "pending"
    assert props["shopify_cart_key"] == f"{SHOP}:{checkout.token}" == cart_key(SHOP, checkout.token)


def test_cart_amounts_are_in_the_presentment_currency() -> None:
    checkout = Checkout.model_validate(
        {"token": "abcdef123456", "currency": "USD", "presentment_currency": "CAD"}
    )
    assert cart_properties(SHOP, checkout, None)["hs_currency_code"] == "CAD"


def test_a_cart_status_never_moves_back() -> None:
    checkout = Checkout.model_validate({"token": "abcdef123456", "total_price": "3.00"})

    abandoned = cart_properties(SHOP, checkout, CartStatus.ABANDONED)

    assert abandoned["hs_external_status"] == "abandoned"
    assert abandoned["hs_total_price"] == "3.00"
    assert cart_properties(SHOP, checkout, CartStatus.RECOVERED) == {}


def test_what_the_sweep_and_the_order_write_on_a_cart() -> None:
    assert abandoned_properties(1_700_000_000_000) == {
        "hs_external_status": "abandoned",
        "shopify_abandoned_at": "2023-11-14T22:13:20.000Z",
    }
    assert recovered_properties() == {"hs_external_status": "recovered"}


def test_orders_and_carts_have_line_items_of_their_own() -> None:
    paid = Order.model_validate(fixture("2024-01/orders-paid.json"))
    deal_lines = line_item_properties(SHOP, paid, hs_product_ids={}, product_bodies={})

    order_lines = for_parent(deal_lines, "order")

    deal_keys = [line["shopify_line_item_key"] for line in deal_lines]
    assert [line["shopify_line_item_key"] for line in order_lines] == [
        f"{k}:order" for k in deal_keys
    ]
    assert [{**o, "shopify_line_item_key": ""} for o in order_lines] == [
        {**d, "shopify_line_item_key": ""} for d in deal_lines
    ]


def test_every_property_the_commerce_mapping_writes_exists() -> None:
    order = Order.model_validate(fixture("2024-01/orders-paid.json"))
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))
    written: dict[ObjectType, set[str]] = {
        "orders": set(hs_order(order)),
        "carts": set(cart_properties(SHOP, checkout, None)) | set(abandoned_properties(0)),
    }
    for obj, names in written.items():
        defined = {p.name for p in PROPERTIES[obj]} | STANDARD_PROPERTIES[obj]
        assert names <= defined, f"{obj}: {sorted(names - defined)} are not defined"
