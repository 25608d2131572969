"""D1-D9: orders and checkouts as deals in the Ecommerce Pipeline."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.e2e.conftest import Shopspot
from tests.support.shopify import MUG_LINE, at, checkout, customer, order, product

pytestmark = pytest.mark.integration

TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00"
DEAL_FIELDS = (
    "dealname", "amount", "closedate", "pipeline", "dealstage", "deal_currency_code",
    "ecomm_synced", "shopify_deal_key", "shopify_abandoned_checkout_url",
    "shopify_buyer_accepts_marketing", "shopify_customer_id", "shopify_cancel_reason",
    "shopify_cart_token", "shopify_cancelled_at", "shopify_created_at", "shopify_currency",
    "shopify_financial_status", "shopify_fulfillment_status", "shopify_landing_site",
    "shopify_name", "shopify_note", "shopify_order_number", "shopify_processing_method",
    "shopify_referring_site", "shopify_source_name", "shopify_subtotal_price",
    "shopify_taxes_included", "shopify_token", "shopify_total_discounts",
    "shopify_total_line_items_price", "shopify_total_price", "shopify_total_tax",
    "shopify_total_weight", "shopify_shop_domain",
)  # fmt: skip


def test_d1_the_ecommerce_pipeline_has_its_stages(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order())

    pipelines = shopspot.hubspot.api.get("/crm/v3/pipelines/deals").json()["results"]
    (ecommerce,) = [p for p in pipelines if p["label"] == "Ecommerce Pipeline"]
    ordered = sorted(ecommerce["stages"], key=lambda stage: stage["displayOrder"])
    assert [(s["label"], float(s["metadata"]["probability"])) for s in ordered] == [
        ("Checkout Abandoned", 0.1),
        ("Checkout Pending", 0.2),
        ("Checkout Completed", 0.6),
        ("Processed", 1.0),
        ("Shipped", 1.0),
        ("Cancelled", 0.0),
    ]


def test_d2_an_order_is_a_deal_with_its_contact_and_line_items(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product())
    shopspot.send("orders/create", order(buyer=customer()))

    deal = shopspot.one("deals", *DEAL_FIELDS)
    (contact,) = shopspot.records("contacts", "email")
    (item,) = shopspot.records("line_items", "name", "quantity", "price", "hs_product_id")
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == [contact["id"]]
    assert shopspot.hubspot.associated("deals", deal["id"], "line_items") == [item["id"]]
    assert (item["name"], float(item["quantity"]), float(item["price"])) == (
        "Analytical Mug",
        2,
        25,
    )
    assert item["hs_product_id"] == shopspot.one("products", "name")["id"]


def association_calls(shopspot: Shopspot) -> dict[str, int]:
    """HubSpot calls that associated deals with contacts and line items after the fact."""
    by_endpoint = shopspot.hubspot.stats()["by_endpoint"]
    return {
        to: sum(n for path, n in by_endpoint.items() if path.endswith(f"deals/{to}/batch/create"))
        for to in ("contacts", "line_items")
    }


def test_d2_a_new_deal_and_its_line_items_are_created_with_their_associations(
    shopspot: Shopspot,
) -> None:
    second = (9_000_000_000_000_002, None, None, "Gift card", 1, "10.00")
    shopspot.send("orders/create", order(buyer=customer(), lines=[MUG_LINE, second]))
    deal = shopspot.one("deals", "dealname")
    created = association_calls(shopspot)
    # A known deal and its known lines are upserted, and associated (again) in calls of
    # their own.
    shopspot.send("orders/updated", order(buyer=customer(), lines=[MUG_LINE, second], minute=20))

    items = shopspot.records("line_items", "name")
    (contact,) = shopspot.records("contacts", "email")
    assert created == {"contacts": 0, "line_items": 0}
    assert association_calls(shopspot) == {"contacts": 1, "line_items": 1}
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == [contact["id"]]
    assert sorted(shopspot.hubspot.associated("deals", deal["id"], "line_items")) == sorted(
        item["id"] for item in items
    )


def test_d2_a_line_item_hubspot_has_and_shopspot_forgot_is_associated_not_doubled(
    shopspot: Shopspot,
) -> None:
    # What a write leaves when its worker dies after HubSpot created the deal's line items
    # and before Shopspot remembered them: the create is refused for the line, which is then
    # upserted and associated.
    key = "test-shop.myshopify.com:9000000000000001"
    body = {"properties": {"shopify_line_item_key": key, "name": "Analytical Mug"}}
    shopspot.hubspot.api.post("/crm/v3/objects/line_items", json=body).raise_for_status()
    shopspot.send("orders/create", order(buyer=customer()))

    deal = shopspot.one("deals", "dealname")
    (item,) = shopspot.records("line_items", "shopify_line_item_key", "quantity")
    assert (item["shopify_line_item_key"], float(item["quantity"])) == (key, 2)
    assert shopspot.hubspot.associated("deals", deal["id"], "line_items") == [item["id"]]


def test_d3_a_guest_order_without_email_has_no_contact(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(email=None, billing_address=None))

    deal = shopspot.one("deals", "dealname")
    assert shopspot.records("contacts") == []
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == []


def test_d4_a_deal_carries_the_order_properties(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(checkout_token=TOKEN, note="Gift wrap"))

    deal = shopspot.one("deals", *DEAL_FIELDS)
    assert deal["dealname"] == "#1001"
    assert float(deal["amount"]) == 50.0
    assert deal["closedate"] == "2026-11-02T09:05:00.000Z"
    assert deal["deal_currency_code"] == "USD"
    assert deal["shopify_financial_status"] == "paid"
    assert deal["shopify_landing_site"] == "/products/analytical-mug"
    assert deal["shopify_referring_site"] == "https://search.example.com/"
    assert deal["shopify_source_name"] == "web"
    assert deal["shopify_note"] == "Gift wrap"
    assert deal["shopify_name"] == "#1001"
    assert float(deal["shopify_order_number"]) == 1001
    assert float(deal["shopify_total_price"]) == 50.0
    assert float(deal["shopify_total_weight"]) == 900
    assert deal["shopify_buyer_accepts_marketing"] == "true"
    assert deal["shopify_taxes_included"] == "false"
    assert deal["shopify_token"] == TOKEN
    assert deal["shopify_deal_key"] == f"test-shop.myshopify.com:{TOKEN}"
    assert deal["shopify_shop_domain"] == "test-shop.myshopify.com"


def test_d5_every_deal_is_marked_ecomm_synced(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order())
    shopspot.send("checkouts/create", checkout(token="d" * 32))

    assert [d["ecomm_synced"] for d in shopspot.records("deals", "ecomm_synced")] == ["true"] * 2


def test_d6_deleting_an_order_archives_its_deal_and_line_items(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(checkout_token=TOKEN))
    shopspot.send("orders/delete", {"id": 6_000_000_000_000_001})

    assert shopspot.records("deals") == []
    assert shopspot.records("line_items") == []


@pytest.mark.parametrize(
    ("changes", "stage"),
    [
        ({"financial_status": "pending"}, "Checkout Completed"),
        ({"financial_status": "authorized"}, "Checkout Completed"),
        ({"financial_status": "paid"}, "Processed"),
        ({"financial_status": "partially_refunded", "current_total_price": "25.00"}, "Processed"),
        ({"financial_status": "refunded", "current_total_price": "0.00"}, "Processed"),
        ({"fulfillment_status": "fulfilled"}, "Shipped"),
        ({"cancelled_at": at(30), "cancel_reason": "customer"}, "Cancelled"),
    ],
)
def test_d7_a_recovered_checkout_keeps_its_deal_as_it_moves_on(
    shopspot: Shopspot, changes: dict[str, str], stage: str
) -> None:
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    assert shopspot.stage(shopspot.one("deals", "dealstage")) == "Checkout Pending"

    shopspot.send("orders/create", order(checkout_token=TOKEN, **changes))

    deal = shopspot.one("deals", "dealstage", "dealname", "amount", "shopify_financial_status")
    assert shopspot.stage(deal) == stage
    assert deal["dealname"] == "#1001"
    assert float(deal["amount"]) == float(changes.get("current_total_price", "50.00"))


def test_d7_a_checkout_update_after_its_order_changes_nothing(shopspot: Shopspot) -> None:
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    shopspot.send("orders/create", order(checkout_token=TOKEN))
    shopspot.send("checkouts/update", checkout(token=TOKEN, minute=20))

    deal = shopspot.one("deals", "dealstage", "dealname")
    assert (shopspot.stage(deal), deal["dealname"]) == ("Processed", "#1001")
    assert len(shopspot.records("line_items")) == 1


def test_d7_line_items_a_dead_checkout_write_left_go_when_the_checkout_comes_late(
    shopspot: Shopspot,
) -> None:
    shopspot.send("orders/create", order(checkout_token=TOKEN))
    # What a write of the checkout leaves when its worker dies after the line items reached
    # HubSpot: line items on no deal, that Shopspot does not remember.
    key = f"test-shop.myshopify.com:checkout:{TOKEN}:0"
    body = {"properties": {"shopify_line_item_key": key, "name": "Analytical Mug"}}
    shopspot.hubspot.api.post("/crm/v3/objects/line_items", json=body).raise_for_status()
    shopspot.send("checkouts/create", checkout(token=TOKEN))

    (item,) = shopspot.records("line_items", "shopify_line_item_key")
    assert item["shopify_line_item_key"] == "test-shop.myshopify.com:9000000000000001"


def test_d8_the_sweep_moves_old_pending_checkouts_to_abandoned(shopspot: Shopspot) -> None:
    # Created long ago: due for the sweep at once. The other is fresh.
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    fresh = "f" * 32
    shopspot.send("checkouts/create", checkout(token=fresh, created_minute=10**7, minute=10**7))

    runner = CliRunner()
    swept = time.time()
    first = runner.invoke(main, ["sweep"], env=shopspot.cli_env)
    second = runner.invoke(main, ["sweep"], env=shopspot.cli_env)

    deals = {
        d["shopify_token"]: d
        for d in shopspot.records("deals", "dealstage", "shopify_token", "shopify_abandoned_at")
    }
    assert {token: shopspot.stage(deal) for token, deal in deals.items()} == {
        TOKEN: "Checkout Abandoned",
        fresh: "Checkout Pending",
    }
    assert first.output.startswith("1 checkouts due"), first.output
    assert second.output.startswith("0 checkouts due"), second.output
    # When the sweep abandoned it: what report 8 of R1 counts by.
    abandoned_at = datetime.fromisoformat(deals[TOKEN]["shopify_abandoned_at"]).timestamp()
    assert swept - 1 <= abandoned_at <= time.time() + 1
    assert not deals[fresh].get("shopify_abandoned_at")


def test_d8_an_abandoned_checkout_recovered_by_an_order_moves_on(shopspot: Shopspot) -> None:
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    CliRunner().invoke(main, ["sweep"], env=shopspot.cli_env)
    shopspot.send("checkouts/update", checkout(token=TOKEN, minute=30))
    assert shopspot.stage(shopspot.one("deals", "dealstage")) == "Checkout Abandoned"

    shopspot.send("orders/create", order(checkout_token=TOKEN))

    deal = shopspot.one("deals", "dealstage", "shopify_abandoned_at")
    assert shopspot.stage(deal) == "Processed"
    assert deal["shopify_abandoned_at"]  # a recovered cart still says when it was abandoned


def test_d9_line_items_carry_the_product_name_and_description(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product())
    shopspot.send("checkouts/create", checkout(token=TOKEN))

    (item,) = shopspot.records("line_items", "name", "description")
    assert item == {**item, "name": "Analytical Mug", "description": "Holds tea and numbers."}


def test_an_edited_order_replaces_its_line_items(shopspot: Shopspot) -> None:
    second = (9_000_000_000_000_002, None, None, "Gift card", 1, "10.00")
    shopspot.send("orders/create", order(lines=[MUG_LINE, second]))
    shopspot.send("orders/updated", order(lines=[second], minute=20))

    (item,) = shopspot.records("line_items", "name")
    assert item["name"] == "Gift card"


def test_a_deleted_checkout_takes_its_deal_unless_it_became_an_order(shopspot: Shopspot) -> None:
    other = "a" * 32
    shopspot.send("checkouts/create", checkout(token=TOKEN))
    shopspot.send("checkouts/create", checkout(token=other, email="grace@example.com"))
    shopspot.send("orders/create", order(checkout_token=other, email="grace@example.com"))
    # checkouts/delete (2026-04) names the checkout by cart token, not by its token.
    for token in (TOKEN, other):
        shopspot.send(
            "checkouts/delete", {"id": 981820079255243537, "cart_token": f"cart-{token[:8]}"}
        )

    (deal,) = shopspot.records("deals", "shopify_token", "dealstage")
    assert deal["shopify_token"] == other
    assert shopspot.stage(deal) == "Processed"
