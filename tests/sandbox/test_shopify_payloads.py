"""Webhook payloads follow Shopify's REST shape at each API version: the key sets of
Shopify's own 2026-04 samples, and the fields older versions had or lacked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.shopify.payloads import (
    checkout_payload,
    customer_payload,
    order_payload,
    product_payload,
)
from sandbox.shopify.store import Store
from shopspot.topics import TOPICS, Kind
from tests.support.reference import SAMPLES, sample
from tests.support.topic_payloads import generated, own_payload

OWN = generated()


@pytest.fixture(scope="module")
def store() -> Store:
    return OWN.store


def _keys(value: Any, prefix: str = "") -> set[str]:
    """Dotted key paths; list elements are `[]` and only non-empty lists add element keys."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= _keys(inner, path)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item, f"{prefix}[]")
    return found


def _comparable(other: set[str], keys: set[str]) -> set[str]:
    """The keys the other side could show too: below a list it left empty (or an object it
    left null) it shows nothing, so neither side is compared there."""

    def shown(path: str) -> bool:
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        return not parent or any(key.startswith(parent + ".") for key in other)

    return {path for path in keys if shown(path)}


# The topics Shopspot handles that the simulator renders (all but the privacy topics), less
# those Shopify publishes no sample payload for.
SAMPLED_TOPICS = [
    topic
    for topic, entry in TOPICS.items()
    if entry.kind is not Kind.PRIVACY
    and topic not in {"customers/enable", "customers/disable", "orders/partially_fulfilled"}
]


@SAMPLES.mark
@pytest.mark.parametrize("topic", SAMPLED_TOPICS)
def test_2026_04_payloads_have_the_sample_keys(topic: str) -> None:
    expected = _keys(sample(topic))
    ours = _keys(own_payload(topic))
    assert set(k for k in expected if "." not in k and "[]" not in k) == set(
        k for k in ours if "." not in k and "[]" not in k
    )
    missing = _comparable(ours, expected) - ours
    extra = _comparable(expected, ours) - expected
    assert not missing, f"keys Shopify sends that we do not: {sorted(missing)}"
    assert not extra, f"keys we send that Shopify does not: {sorted(extra)}"


@SAMPLES.mark
def test_top_level_key_order_follows_the_samples() -> None:
    for topic in ("orders/create", "customers/create"):
        assert list(own_payload(topic)) == list(sample(topic)), topic


def test_customer_fields_by_version(store: Store) -> None:
    customer = OWN.customer
    old = customer_payload(store, customer, "customers/update", "2023-10") or {}
    v2401 = customer_payload(store, customer, "customers/update", "2024-01") or {}
    v2410 = customer_payload(store, customer, "customers/update", "2024-10") or {}
    v2501 = customer_payload(store, customer, "customers/update", "2025-01") or {}
    assert old["accepts_marketing"] == (customer.consent_state == "subscribed")
    assert "accepts_marketing" not in v2401 and "marketing_opt_in_level" not in v2401
    for key in ("tags", "email_marketing_consent", "orders_count", "total_spent", "last_order_id"):
        assert key in v2410, key
        assert key not in v2501, key
    assert v2410["email_marketing_consent"]["state"] == customer.consent_state
    assert v2410["tags"] == ", ".join(customer.tags)
    assert isinstance(v2410["total_spent"], str)


def test_embedded_customers_lose_the_same_fields(store: Store) -> None:
    order = OWN.order
    before = order_payload(store, order, "orders/create", "2024-10")["customer"]
    after = order_payload(store, order, "orders/create", "2025-01")["customer"]
    assert "tags" in before and "email_marketing_consent" in before
    assert "tags" not in after and "email_marketing_consent" not in after
    assert "orders_count" not in before  # orders never embedded the totals
    checkout = checkout_payload(store, OWN.checkout, "checkouts/create", "2024-10")
    assert "orders_count" in checkout["customer"]


def test_checkout_ids_leave_at_2026_04(store: Store) -> None:
    order = next(o for o in store.orders if o.checkout_token)
    assert order_payload(store, order, "orders/create", "2026-01")["checkout_id"] is not None
    assert "checkout_id" not in order_payload(store, order, "orders/create", "2026-04")
    checkout = OWN.checkout
    assert checkout_payload(store, checkout, "checkouts/create", "2026-01")["id"] == checkout.id
    newer = checkout_payload(store, checkout, "checkouts/update", "2026-04")
    assert "id" not in newer and newer["token"] == checkout.token
    assert checkout_payload(store, checkout, "checkouts/delete", "2026-04")["id"] == checkout.id


def test_product_variant_lists_by_version(store: Store) -> None:
    product = OWN.product
    old = product_payload(store, product, "products/update", "2024-01")
    new = product_payload(store, product, "products/update", "2024-04")
    assert [ref["id"] for ref in old["variant_ids"]] == [v.id for v in product.variants]
    assert "variant_gids" not in old and "variant_ids" not in new
    assert {ref["admin_graphql_api_id"] for ref in new["variant_gids"]} == {
        f"gid://shopify/ProductVariant/{v.id}" for v in product.variants
    }
    v2407 = product_payload(store, product, "products/update", "2024-07")
    assert "media" not in new and "media" in v2407
    assert "grams" in new["variants"][0] and "grams" not in v2407["variants"][0]
    assert "category" not in v2407
    assert "category" in product_payload(store, product, "products/update", "2024-10")


def test_money_is_strings_with_shop_and_presentment_twins(store: Store) -> None:
    order = next(o for o in store.orders if o.presentment_currency != "USD")
    body = order_payload(store, order, "orders/create", "2026-04")
    assert body["total_price"] == body["total_price_set"]["shop_money"]["amount"]
    assert (
        body["total_price_set"]["presentment_money"]["currency_code"] == order.presentment_currency
    )
    assert body["total_price_set"]["presentment_money"]["amount"] != body["total_price"]
    assert all(isinstance(item["price"], str) for item in body["line_items"])
    assert body["currency"] == "USD"


def test_order_payload_reflects_refunds_and_cancellation(store: Store) -> None:
    refunded = next(o for o in store.orders if o.financial_status == "partially_refunded")
    body = order_payload(store, refunded, "orders/updated", "2026-04")
    assert body["refunds"] and body["refunds"][0]["transactions"][0]["kind"] == "refund"
    assert float(body["current_total_price"]) < float(body["total_price"])
    cancelled = next(o for o in store.orders if o.cancelled_at)
    body = order_payload(store, cancelled, "orders/cancelled", "2026-04")
    assert body["cancelled_at"] and body["cancel_reason"]
    guest = next(o for o in store.orders if o.customer_id is None)
    assert order_payload(store, guest, "orders/create", "2026-04")["customer"] is None


def test_ids_are_exact_integers_in_json(store: Store) -> None:
    order = next(o for o in store.orders if o.id > 2**53)
    text = json.dumps(order_payload(store, order, "orders/create", "2026-04"))
    assert f'"id": {order.id},' in text
    assert f"gid://shopify/Order/{order.id}" in text
