"""Webhook payloads follow Shopify's REST shape at each API version: the key sets of
Shopify's own 2026-04 samples, and the fields older versions had or lacked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.shopify.generate import generate
from sandbox.shopify.payloads import (
    checkout_payload,
    customer_payload,
    order_payload,
    product_payload,
)
from sandbox.shopify.records import Checkout, Customer, Order, Product
from sandbox.shopify.store import Store
from tests.sandbox.shopify_fixtures import NOW, SAMPLES, small_config

needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason=f"Shopify's sample payloads are not at {SAMPLES} (the shared reference folder)",
)


@pytest.fixture(scope="module")
def store() -> Store:
    return generate(small_config(orders=300, checkouts=60), int(NOW.timestamp()))[0]


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


def _sample(name: str) -> Any:
    return json.loads((SAMPLES / f"{name}.json").read_text())


def _comparable(other: set[str], keys: set[str]) -> set[str]:
    """The keys the other side could show too: below a list it left empty (or an object it
    left null) it shows nothing, so neither side is compared there."""

    def shown(path: str) -> bool:
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        return not parent or any(key.startswith(parent + ".") for key in other)

    return {path for path in keys if shown(path)}


def _customer(store: Store) -> Customer:
    return next(c for c in store.customers if c.email and c.address and c.tags)


def _has_address(store: Store, record: Order | Checkout) -> bool:
    customer = store.customer_of(record)
    return customer is not None and customer.address is not None


def _order(store: Store) -> Order:
    return next(
        o
        for o in store.orders
        if _has_address(store, o) and o.shipping_address and o.billing_address
    )


def _checkout(store: Store) -> Checkout:
    return next(c for c in store.checkouts if _has_address(store, c) and c.billing_address)


def _product(store: Store) -> Product:
    return next(p for p in store.products if len(p.variants) > 1 and p.images)


@needs_samples
@pytest.mark.parametrize(
    ("sample", "render"),
    [
        (
            "customers-create",
            lambda s: customer_payload(s, _customer(s), "customers/create", "2026-04"),
        ),
        (
            "customers-update",
            lambda s: customer_payload(s, _customer(s), "customers/update", "2026-04"),
        ),
        (
            "products-create",
            lambda s: product_payload(s, _product(s), "products/create", "2026-04"),
        ),
        (
            "products-update",
            lambda s: product_payload(s, _product(s), "products/update", "2026-04"),
        ),
        (
            "products-delete",
            lambda s: product_payload(s, _product(s), "products/delete", "2026-04"),
        ),
        ("orders-create", lambda s: order_payload(s, _order(s), "orders/create", "2026-04")),
        ("orders-paid", lambda s: order_payload(s, _order(s), "orders/paid", "2026-04")),
        ("orders-delete", lambda s: order_payload(s, _order(s), "orders/delete", "2026-04")),
        (
            "checkouts-create",
            lambda s: checkout_payload(s, _checkout(s), "checkouts/create", "2026-04"),
        ),
        (
            "checkouts-update",
            lambda s: checkout_payload(s, _checkout(s), "checkouts/update", "2026-04"),
        ),
        (
            "checkouts-delete",
            lambda s: checkout_payload(s, _checkout(s), "checkouts/delete", "2026-04"),
        ),
        (
            "customers-purchasing_summary",
            lambda s: customer_payload(s, _customer(s), "customers/purchasing_summary", "2026-04"),
        ),
        (
            "customers_email_marketing_consent-update",
            lambda s: customer_payload(
                s, _customer(s), "customers_email_marketing_consent/update", "2026-04"
            ),
        ),
        (
            "customer.tags_added",
            lambda s: customer_payload(s, _customer(s), "customer.tags_added", "2026-04"),
        ),
    ],
)
def test_2026_04_payloads_have_the_sample_keys(store: Store, sample: str, render: Any) -> None:
    expected = _keys(_sample(sample))
    ours = _keys(render(store))
    assert set(k for k in expected if "." not in k and "[]" not in k) == set(
        k for k in ours if "." not in k and "[]" not in k
    )
    missing = _comparable(ours, expected) - ours
    extra = _comparable(expected, ours) - expected
    assert not missing, f"keys Shopify sends that we do not: {sorted(missing)}"
    assert not extra, f"keys we send that Shopify does not: {sorted(extra)}"


@needs_samples
def test_top_level_key_order_follows_the_samples(store: Store) -> None:
    order = order_payload(store, _order(store), "orders/create", "2026-04")
    assert list(order) == list(_sample("orders-create"))
    customer = customer_payload(store, _customer(store), "customers/create", "2026-04")
    assert list(customer or {}) == list(_sample("customers-create"))


def test_customer_fields_by_version(store: Store) -> None:
    customer = _customer(store)
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
    order = _order(store)
    before = order_payload(store, order, "orders/create", "2024-10")["customer"]
    after = order_payload(store, order, "orders/create", "2025-01")["customer"]
    assert "tags" in before and "email_marketing_consent" in before
    assert "tags" not in after and "email_marketing_consent" not in after
    assert "orders_count" not in before  # orders never embedded the totals
    checkout = checkout_payload(store, _checkout(store), "checkouts/create", "2024-10")
    assert "orders_count" in checkout["customer"]


def test_checkout_ids_leave_at_2026_04(store: Store) -> None:
    order = next(o for o in store.orders if o.checkout_token)
    assert order_payload(store, order, "orders/create", "2026-01")["checkout_id"] is not None
    assert "checkout_id" not in order_payload(store, order, "orders/create", "2026-04")
    checkout = _checkout(store)
    assert checkout_payload(store, checkout, "checkouts/create", "2026-01")["id"] == checkout.id
    newer = checkout_payload(store, checkout, "checkouts/update", "2026-04")
    assert "id" not in newer and newer["token"] == checkout.token
    assert checkout_payload(store, checkout, "checkouts/delete", "2026-04")["id"] == checkout.id


def test_product_variant_lists_by_version(store: Store) -> None:
    product = _product(store)
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
