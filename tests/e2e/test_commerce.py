"""T1: orders and checkouts as HubSpot Orders and Carts, through the running stack, for the
`commerce` target and for `both` (where each order is also a deal, associated with it)."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.e2e.conftest import OTHER_SHOP, Shopspot
from tests.support.env import SHOP
from tests.support.shopify import at, checkout, customer, order, product

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize(
        "shopspot_stack",
        [
            pytest.param({"HUBSPOT_SYNC_TARGET": "commerce"}, id="commerce"),
            pytest.param({"HUBSPOT_SYNC_TARGET": "both"}, id="both"),
        ],
        indirect=True,
    ),
]

TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00"
ORDER_ID = 6_000_000_000_000_001
ORDER_FIELDS = (
    "hs_order_name", "hs_external_order_id", "hs_currency_code", "hs_total_price",
    "hs_subtotal_price", "hs_order_discount", "hs_tax", "hs_fulfillment_status",
    "hs_source_store", "hs_pipeline", "hs_pipeline_stage", "shopify_order_key",
    "shopify_financial_status", "shopify_total_price", "shopify_shop_domain",
)  # fmt: skip
CART_FIELDS = (
    "hs_cart_name", "hs_external_cart_id", "hs_cart_url", "hs_total_price", "hs_currency_code",
    "hs_source_store", "hs_external_status", "shopify_cart_key", "shopify_abandoned_at",
)  # fmt: skip


def both(shopspot: Shopspot) -> bool:
    return shopspot.cli_env["HUBSPOT_SYNC_TARGET"] == "both"


def order_stage(shopspot: Shopspot, record: dict[str, str]) -> str:
    (pipeline,) = shopspot.hubspot.api.get("/crm/v3/pipelines/orders").json()["results"]
    assert pipeline["label"] == "Ecommerce Orders"
    assert record["hs_pipeline"] == pipeline["id"]
    return next(s["label"] for s in pipeline["stages"] if s["id"] == record["hs_pipeline_stage"])


def sweep(shopspot: Shopspot) -> None:
    result = CliRunner().invoke(main, ["sweep"], env=shopspot.cli_env)
    assert result.exit_code == 0, result.output
    shopspot.settle()


def test_an_order_with_a_buyer_and_lines(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product())
    shopspot.send("orders/create", order(buyer=customer()))

    hs_order = shopspot.one("orders", *ORDER_FIELDS)
    (contact,) = shopspot.records("contacts", "email")
    lines = shopspot.records("line_items", "name", "hs_product_id", "shopify_line_item_key")
    (mine,) = [line for line in lines if line["shopify_line_item_key"].endswith(":order")]
    assert hs_order["hs_order_name"] == "#1001"
    assert hs_order["hs_external_order_id"] == str(ORDER_ID)
    assert (hs_order["hs_currency_code"], float(hs_order["hs_total_price"])) == ("USD", 50)
    assert hs_order["shopify_order_key"].endswith(f":order:{ORDER_ID}")
    assert order_stage(shopspot, hs_order) == "Processed"
    assert shopspot.hubspot.associated("orders", hs_order["id"], "contacts") == [contact["id"]]
    assert shopspot.hubspot.associated("orders", hs_order["id"], "line_items") == [mine["id"]]
    assert (mine["name"], mine["hs_product_id"]) == (
        "Analytical Mug",
        shopspot.one("products", "name")["id"],
    )
    deals = shopspot.records("deals", "dealname")
    assert len(lines) == (2 if both(shopspot) else 1)  # a line item belongs to one parent
    assert len(deals) == (1 if both(shopspot) else 0)
    assert shopspot.hubspot.associated("orders", hs_order["id"], "deals") == [
        deal["id"] for deal in deals
    ]
    if deals:
        (deal_line,) = [line for line in lines if line is not mine]
        assert shopspot.hubspot.associated("deals", deals[0]["id"], "line_items") == [
            deal_line["id"]
        ]


@pytest.mark.parametrize(
    ("changes", "stage", "total"),
    [
        ({"financial_status": "refunded", "current_total_price": "0.00"}, "Processed", 0),
        ({"financial_status": "partially_refunded", "current_total_price": "20"}, "Processed", 20),
        ({"cancelled_at": at(30), "cancel_reason": "customer"}, "Cancelled", 50),
        ({"fulfillment_status": "fulfilled"}, "Shipped", 50),
    ],
)
def test_refunds_cancellations_and_fulfilment_move_the_order(
    shopspot: Shopspot, changes: dict[str, str], stage: str, total: float
) -> None:
    shopspot.send("orders/create", order())
    shopspot.send("orders/updated", order(minute=30, **changes))

    hs_order = shopspot.one("orders", *ORDER_FIELDS)
    assert order_stage(shopspot, hs_order) == stage
    assert float(hs_order["hs_total_price"]) == total
    assert float(hs_order["shopify_total_price"]) == 50


def test_deleting_an_order_archives_its_order_and_line_items(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(checkout_token=TOKEN))
    shopspot.send("orders/delete", {"id": ORDER_ID})

    assert shopspot.records("orders") == []
    assert shopspot.records("deals") == []
    assert shopspot.records("line_items") == []


def test_a_checkout_swept_to_abandoned_then_recovered_by_its_order(shopspot: Shopspot) -> None:
    fresh = "f" * 32
    shopspot.send("checkouts/create", checkout(token=TOKEN))  # created long ago: due
    shopspot.send("checkouts/create", checkout(token=fresh, created_minute=10**7, minute=10**7))
    cart = shopspot.records("carts", *CART_FIELDS)
    assert {c["hs_external_status"] for c in cart} == {"pending"}

    sweep(shopspot)
    carts = {c["hs_external_cart_id"]: c for c in shopspot.records("carts", *CART_FIELDS)}
    assert carts[TOKEN]["hs_external_status"] == "abandoned"
    assert datetime.fromisoformat(carts[TOKEN]["shopify_abandoned_at"])
    assert carts[TOKEN]["hs_cart_name"] == f"Checkout {TOKEN[:8]}"
    assert carts[fresh]["hs_external_status"] == "pending"
    (contact,) = shopspot.records("contacts", "email")
    assert shopspot.hubspot.associated("carts", carts[TOKEN]["id"], "contacts") == [contact["id"]]

    shopspot.send("orders/create", order(checkout_token=TOKEN))
    shopspot.send("checkouts/update", checkout(token=TOKEN, minute=40))  # after its order

    recovered = next(
        c for c in shopspot.records("carts", *CART_FIELDS) if c["hs_external_cart_id"] == TOKEN
    )
    hs_order = shopspot.one("orders", "hs_order_name")
    assert recovered["hs_external_status"] == "recovered"
    assert recovered["shopify_abandoned_at"] == carts[TOKEN]["shopify_abandoned_at"]
    assert shopspot.hubspot.associated("orders", hs_order["id"], "carts") == [recovered["id"]]
    cart_lines = shopspot.hubspot.associated("carts", recovered["id"], "line_items")
    order_lines = shopspot.hubspot.associated("orders", hs_order["id"], "line_items")
    assert len(cart_lines) == len(order_lines) == 1
    assert cart_lines != order_lines


def test_a_guest_order_has_no_contact(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(email=None, billing_address=None))

    hs_order = shopspot.one("orders", "hs_order_name")
    assert shopspot.records("contacts") == []
    assert shopspot.hubspot.associated("orders", hs_order["id"], "contacts") == []


def test_s3_two_stores_orders_and_carts_do_not_collide(shopspot: Shopspot) -> None:
    # The same ids and token in both stores: Shopify ids are only unique within a shop.
    for shop, secret in ((SHOP, None), (OTHER_SHOP, "second-secret")):
        extra = {"secret": secret} if secret else {}
        shopspot.send("checkouts/create", checkout(email=f"buyer@{shop}"), shop=shop, **extra)
        shopspot.send("orders/create", order(email=f"buyer@{shop}"), shop=shop, **extra)

    orders = shopspot.records("orders", "hs_source_store", "shopify_order_key")
    carts = shopspot.records("carts", "hs_source_store", "shopify_cart_key")
    for records, key in ((orders, "shopify_order_key"), (carts, "shopify_cart_key")):
        assert sorted(r["hs_source_store"] for r in records) == sorted([SHOP, OTHER_SHOP])
        assert len({r[key] for r in records}) == 2


def test_w2_a_checkout_arriving_after_its_order_makes_no_cart(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(checkout_token=TOKEN))
    shopspot.send("checkouts/create", checkout(token=TOKEN))

    assert shopspot.records("carts") == []
    (hs_order,) = shopspot.records("orders", "hs_order_name")
    assert len(shopspot.hubspot.associated("orders", hs_order["id"], "line_items")) == 1


def test_h1_every_call_of_the_commerce_targets_uses_the_date_based_paths(
    shopspot: Shopspot,
) -> None:
    shopspot.hubspot.control.post("/_sandbox/reset", json={})  # an untouched portal, no calls
    assert CliRunner().invoke(main, ["setup"], env=shopspot.cli_env).exit_code == 0
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    sweep(shopspot)
    shopspot.send("orders/create", order(checkout_token=TOKEN, buyer=customer()))
    shopspot.send("orders/delete", {"id": ORDER_ID})
    called = set(shopspot.hubspot.stats()["by_endpoint"])

    assert called and all("/2026-09/" in endpoint for endpoint in called), sorted(called)
    assert {"POST /crm/pipelines/2026-09/orders", "POST /crm/objects/2026-09/orders/batch/create",
            "POST /crm/objects/2026-09/carts/batch/create"} <= called  # fmt: skip
