"""Deals: one per checkout-or-order, the D4 properties, the stage rules and D7."""

import json
from pathlib import Path
from typing import Any

import pytest

from shopspot.mapping.datamodel import Stage
from shopspot.mapping.deals import (
    CHECKOUT_STAGES,
    ORDER_STAGES,
    deal_key,
    deal_properties,
    next_stage,
    order_stage,
    stage_properties,
)
from shopspot.shopify import Checkout, Order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"
PIPELINE = "87654321"
STAGE_IDS = {
    "Checkout Abandoned": "101",
    "Checkout Pending": "102",
    "Checkout Completed": "103",
    "Processed": "104",
    "Shipped": "105",
    "Cancelled": "106",
}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def order(**fields: Any) -> Order:
    return Order.model_validate({"id": 1, **fields})


def deal(sale: Order | Checkout, current: Stage | None = None) -> dict[str, str]:
    return deal_properties(
        SHOP, sale, pipeline_id=PIPELINE, stage_ids=STAGE_IDS, current_stage=current
    )


# --- stage of an order ----------------------------------------------------------------------


def test_a_cancelled_order_is_cancelled_whatever_else_it_is() -> None:
    cancelled = order(
        cancelled_at="2024-01-01T00:00:00Z", fulfillment_status="fulfilled", financial_status="paid"
    )

    assert order_stage(cancelled) is Stage.CANCELLED


def test_a_fully_fulfilled_order_is_shipped() -> None:
    assert order_stage(order(fulfillment_status="fulfilled", financial_status="pending")) is (
        Stage.SHIPPED
    )


@pytest.mark.parametrize("status", ["paid", "partially_paid", "partially_refunded", "refunded"])
def test_paid_or_refunded_orders_are_processed(status: str) -> None:
    assert order_stage(order(financial_status=status, fulfillment_status="partial")) is (
        Stage.PROCESSED
    )


@pytest.mark.parametrize("status", ["pending", "authorized", "voided", None])
def test_other_orders_are_checkout_completed(status: str | None) -> None:
    assert order_stage(order(financial_status=status)) is Stage.CHECKOUT_COMPLETED


def test_a_full_refund_without_cancellation_stays_processed() -> None:
    props = deal(order(financial_status="refunded", current_total_price="0.00"))

    assert props["dealstage"] == STAGE_IDS["Processed"]
    assert props["shopify_financial_status"] == "refunded"
    assert props["amount"] == "0.00"


def test_a_checkout_is_pending() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    assert deal(checkout)["dealstage"] == STAGE_IDS["Checkout Pending"]


# --- D7: never back from an order stage -----------------------------------------------------


def test_checkout_completed_is_an_order_stage() -> None:
    assert sorted(CHECKOUT_STAGES) == [Stage.CHECKOUT_ABANDONED, Stage.CHECKOUT_PENDING]
    assert sorted(ORDER_STAGES) == sorted(set(Stage) - CHECKOUT_STAGES)
    assert Stage.CHECKOUT_COMPLETED in ORDER_STAGES


@pytest.mark.parametrize("current", sorted(ORDER_STAGES))
@pytest.mark.parametrize("incoming", sorted(CHECKOUT_STAGES))
def test_a_checkout_stage_never_replaces_an_order_stage(current: Stage, incoming: Stage) -> None:
    assert next_stage(current, incoming) is current


@pytest.mark.parametrize("current", [None, *sorted(Stage)])
@pytest.mark.parametrize("incoming", sorted(ORDER_STAGES))
def test_an_order_stage_always_applies(current: Stage | None, incoming: Stage) -> None:
    assert next_stage(current, incoming) is incoming


def test_checkout_stages_between_themselves() -> None:
    assert next_stage(None, Stage.CHECKOUT_PENDING) is Stage.CHECKOUT_PENDING
    assert next_stage(Stage.CHECKOUT_PENDING, Stage.CHECKOUT_ABANDONED) is Stage.CHECKOUT_ABANDONED
    assert next_stage(Stage.CHECKOUT_PENDING, Stage.CHECKOUT_PENDING) is Stage.CHECKOUT_PENDING
    # Abandonment is decided by creation time; a later checkout update does not undo it.
    assert next_stage(Stage.CHECKOUT_ABANDONED, Stage.CHECKOUT_PENDING) is (
        Stage.CHECKOUT_ABANDONED
    )


def test_a_checkout_update_after_its_order_changes_nothing() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    assert deal(checkout, current=Stage.PROCESSED) == {}
    assert deal(checkout, current=Stage.CHECKOUT_COMPLETED) == {}


def test_an_abandoned_checkout_updated_again_stays_abandoned() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    assert deal(checkout, current=Stage.CHECKOUT_ABANDONED)["dealstage"] == "101"


def test_a_recovered_cart_moves_its_deal_on() -> None:
    paid = Order.model_validate(fixture("2024-01/orders-paid.json"))

    assert deal(paid, current=Stage.CHECKOUT_ABANDONED)["dealstage"] == STAGE_IDS["Processed"]


def test_a_stage_missing_from_the_pipeline_is_an_error() -> None:
    with pytest.raises(LookupError):
        stage_properties(Stage.SHIPPED, pipeline_id=PIPELINE, stage_ids={"Processed": "104"})


# --- keys and properties --------------------------------------------------------------------


def test_a_checkout_and_the_order_it_became_share_one_deal_key() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))
    paid = Order.model_validate(fixture("2024-01/orders-paid.json"))

    assert deal_key(SHOP, checkout) == deal_key(SHOP, paid)
    assert deal_key(SHOP, paid) == "kiln-and-co.myshopify.com:9f1c2e3d4b5a69788796a5b4c3d2e1f0"


def test_an_order_without_checkout_token_is_keyed_by_its_id() -> None:
    assert deal_key(SHOP, order(id=820982911946154508, checkout_token=None)) == (
        "kiln-and-co.myshopify.com:order:820982911946154508"
    )
    assert deal_key(SHOP, order(checkout_token="")) == "kiln-and-co.myshopify.com:order:1"


def test_an_order_maps_to_the_d4_properties_and_standard_deal_fields() -> None:
    paid = Order.model_validate(fixture("2024-01/orders-paid.json"))

    assert deal(paid) == {
        "dealname": "#1042",
        "amount": "84.40",
        "closedate": "2024-02-20T23:04:50.000Z",
        "deal_currency_code": "EUR",
        "pipeline": PIPELINE,
        "dealstage": STAGE_IDS["Processed"],
        "ecomm_synced": "true",
        "shopify_deal_key": "kiln-and-co.myshopify.com:9f1c2e3d4b5a69788796a5b4c3d2e1f0",
        "shopify_buyer_accepts_marketing": "true",
        "shopify_customer_id": "7391846522918374401",
        "shopify_cart_token": "c1-4b7e2f0a9d8c6e5f4a3b2c1d0e9f8a7b",
        "shopify_created_at": "2024-02-20T23:04:51.000Z",
        "shopify_currency": "EUR",
        "shopify_financial_status": "paid",
        "shopify_landing_site": "/products/stoneware-mug?utm_source=newsletter",
        "shopify_name": "#1042",
        "shopify_note": "Gift wrap please",
        "shopify_order_number": "1042",
        "shopify_processing_method": "direct",
        "shopify_referring_site": "https://www.example.com/blog/mugs",
        "shopify_source_name": "web",
        "shopify_subtotal_price": "74.50",
        "shopify_taxes_included": "true",
        "shopify_token": "9f1c2e3d4b5a69788796a5b4c3d2e1f0",
        "shopify_total_discounts": "5.00",
        "shopify_total_line_items_price": "79.50",
        "shopify_total_price": "84.40",
        "shopify_total_tax": "14.07",
        "shopify_total_weight": "1260",
        "shopify_shop_domain": SHOP,
    }


def test_a_checkout_maps_to_a_checkout_deal() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    props = deal(checkout)

    assert props["dealname"] == "Checkout 9f1c2e3d"
    assert props["amount"] == "89.40"
    assert props["closedate"] == "2024-02-20T22:58:12.000Z"
    assert props["deal_currency_code"] == "EUR"
    assert props["shopify_abandoned_checkout_url"].endswith("/recover?key=invented")
    assert props["shopify_token"] == "9f1c2e3d4b5a69788796a5b4c3d2e1f0"
    assert props["ecomm_synced"] == "true"
    assert "shopify_referring_site" not in props  # "" in the payload
    assert "shopify_financial_status" not in props


def test_a_refunded_order_amount_is_net_of_refunds() -> None:
    refunded = Order.model_validate(fixture("2024-10/orders-updated.json"))

    props = deal(refunded)

    assert props["amount"] == "36.90"
    assert props["shopify_total_price"] == "67.40"
    assert props["dealstage"] == STAGE_IDS["Shipped"]
    assert "shopify_customer_id" not in props  # guest order


def test_amount_falls_back_to_total_price() -> None:
    assert deal(order(total_price="12.00"))["amount"] == "12.00"


def test_checkout_currency_is_its_presentment_currency() -> None:
    checkout = Checkout.model_validate(
        {"token": "abcdef123456", "currency": "USD", "presentment_currency": "CAD"}
    )

    props = deal(checkout)

    assert props["deal_currency_code"] == "CAD"
    assert props["shopify_currency"] == "USD"


def test_empty_deal_values_are_never_written() -> None:
    props = deal(order(name="", note=" ", cancel_reason=None, landing_site=""))

    assert set(props) == {
        "shopify_deal_key",
        "ecomm_synced",
        "shopify_shop_domain",
        "pipeline",
        "dealstage",
    }


def test_a_note_longer_than_hubspot_takes_is_cut_to_fit() -> None:
    """HubSpot refuses a record with a string over 65,536 characters; the order still syncs."""
    props = deal(order(name="#1001", note="n" * 70_000))

    assert props["shopify_note"] == "n" * 65_536
    assert props["dealname"] == "#1001"


def test_a_cut_never_splits_a_character_outside_the_basic_plane() -> None:
    # Each emoji is two UTF-16 units, as HubSpot may count them: 32,768 of them fill the limit.
    props = deal(order(note="a" + "\U0001f600" * 40_000))

    assert props["shopify_note"] == "a" + "\U0001f600" * 32_767
