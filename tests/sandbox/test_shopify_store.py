"""The generated store: deterministic, varied the way Shopspot's edge cases need, and the
`expected` counts agree with an independent count of the data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from sandbox.shopify.generate import generate
from sandbox.shopify.payloads import (
    checkout_payload,
    customer_payload,
    order_payload,
    product_payload,
)
from sandbox.shopify.store import Store
from tests.sandbox.shopify_fixtures import NOW, Running, running_simulator, small_config

START = int(NOW.timestamp())
CONFIG = small_config(seed=11, products=40, customers=300, orders=700, checkouts=120)


@pytest.fixture(scope="module")
def store() -> Store:
    return generate(CONFIG, START)[0]


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    with running_simulator(CONFIG) as simulator:
        yield simulator


def _fingerprint(store: Store) -> list[tuple[object, ...]]:
    return [
        *((p.id, p.title, p.updated_at, tuple(v.id for v in p.variants)) for p in store.products),
        *((c.id, c.email, c.phone, c.updated_at) for c in store.customers),
        *((o.id, o.email, o.financial_status, o.total, o.updated_at) for o in store.orders),
        *((c.id, c.token, c.email, c.completed_at) for c in store.checkouts),
    ]


def test_the_same_seed_makes_the_same_store(store: Store) -> None:
    again = generate(CONFIG, START)[0]
    other = generate(small_config(seed=12, products=40, customers=300, orders=700), START)[0]
    assert _fingerprint(again) == _fingerprint(store)
    assert _fingerprint(other) != _fingerprint(store)


def test_sizes_are_as_configured(store: Store) -> None:
    assert (len(store.products), len(store.customers)) == (40, 300)
    assert (len(store.orders), len(store.checkouts)) == (700, 120)


def test_products_have_one_to_twenty_variants(store: Store) -> None:
    counts = [len(product.variants) for product in store.products]
    assert min(counts) == 1 and max(counts) <= 20 and max(counts) > 6
    for product in store.products:
        if len(product.variants) == 1:
            assert product.variants[0].title == "Default Title"
    assert any(product.published_at is None for product in store.products)


def test_ids_are_64_bit_and_some_exceed_2_to_53(store: Store) -> None:
    assert any(order.id > 2**53 for order in store.orders)
    assert all(item.id > 2**53 for order in store.orders for item in order.line_items)
    assert all(order.id < 2**63 for order in store.orders)


def test_times_are_ordered_and_in_the_past(store: Store) -> None:
    for record in [*store.products, *store.customers, *store.orders, *store.checkouts]:
        assert record.created_at <= record.updated_at <= START


def test_customers_cover_the_contact_edge_cases(store: Store) -> None:
    customers = list(store.customers)
    assert any(c.email is None for c in customers)
    emails = [c.email for c in customers if c.email]
    by_lower = Counter(email.lower() for email in emails)
    assert any(n > 1 for n in by_lower.values()), "no emails differing only in case"
    assert any(c.phone is None and c.address and c.address.phone for c in customers)
    assert {c.consent_state for c in customers} >= {"subscribed", "not_subscribed"}


def test_orders_cover_every_state(store: Store) -> None:
    orders = list(store.orders)
    statuses = {order.financial_status for order in orders}
    assert statuses >= {"paid", "pending", "authorized", "partially_refunded", "refunded"}
    assert {order.fulfillment_status for order in orders} >= {None, "partial", "fulfilled"}
    cancelled = [order for order in orders if order.cancelled_at]
    assert cancelled and all(order.cancel_reason for order in cancelled)
    assert any(order.customer_id is None for order in orders)
    assert any(o.customer_id and store.customer_of(o).email is None for o in orders)  # type: ignore[union-attr]
    assert len({order.presentment_currency for order in orders}) >= 3
    assert any(item.product_id is None for order in orders for item in order.line_items)
    assert all(
        item.variant_id in store.variants
        for order in orders
        for item in order.line_items
        if item.product_id is not None
    )
    refunded = [order for order in orders if order.financial_status == "refunded"]
    assert all(order.refunds for order in refunded)


def test_checkouts_are_abandoned_fresh_or_recovered(store: Store) -> None:
    orders_by_token = {o.checkout_token: o for o in store.orders if o.checkout_token}
    recovered = [c for c in store.checkouts if c.completed_at is not None]
    open_ = [c for c in store.checkouts if c.completed_at is None]
    assert recovered and all(
        orders_by_token[c.token].created_at == c.completed_at for c in recovered
    )
    assert all(c.token not in orders_by_token for c in open_)
    ages = [START - c.created_at for c in open_]
    assert any(age > 86400 for age in ages) and any(age < 86400 for age in ages)
    assert any(c.email is None for c in store.checkouts)


def _independent_count(store: Store, abandon_after: int) -> dict[str, Any]:
    """Counts from the webhook payloads, as a receiver of them would."""
    version = "2026-04"
    emails: set[str] = set()
    for customer in store.customers:
        email = customer_payload(store, customer, "customers/create", version)["email"]
        if email:
            emails.add(email.lower())
    stages: Counter[str] = Counter()
    guests: set[str] = set()
    for order in store.orders:
        body = order_payload(store, order, "orders/create", version)
        if body["email"]:
            emails.add(body["email"].lower())
        if body["cancelled_at"]:
            stages["Cancelled"] += 1
        elif body["fulfillment_status"] == "fulfilled":
            stages["Shipped"] += 1
        elif body["financial_status"] in (
            "paid",
            "partially_paid",
            "partially_refunded",
            "refunded",
        ):
            stages["Processed"] += 1
        else:
            stages["Checkout Completed"] += 1
    for checkout in store.checkouts:
        body = checkout_payload(store, checkout, "checkouts/create", version)
        if body["email"]:
            (guests if body.get("customer") is None else emails).add(body["email"].lower())
        if body["completed_at"] is None:
            old = START - checkout.created_at >= abandon_after
            stages["Checkout Abandoned" if old else "Checkout Pending"] += 1
    products = sum(len(product.variants) for product in store.products)
    return {
        "contacts": len(emails | guests),
        "contacts_only_in_webhooks": len(guests - emails),
        "products": products,
        "deals": sum(stages.values()),
        "deals_by_stage": dict(stages),
    }


@pytest.mark.parametrize("abandon_after", [86400, 3 * 86400])
def test_expected_matches_an_independent_count(
    running: Running, store: Store, abandon_after: int
) -> None:
    answer = running.client.get(
        "/_simulator/expected", params={"abandon_after_seconds": abandon_after}
    ).json()
    counted = _independent_count(store, abandon_after)
    stages = {stage: count for stage, count in answer["deals_by_stage"].items() if count}
    assert {**answer, "deals_by_stage": stages} == {
        **counted,
        "now": answer["now"],
        "abandon_after_seconds": abandon_after,
    }
    assert answer["deals"] == 700 + sum(1 for c in store.checkouts if c.completed_at is None)


def test_expected_rejects_a_bad_abandon_delay(running: Running) -> None:
    response = running.client.get("/_simulator/expected", params={"abandon_after_seconds": "x"})
    assert response.status_code == 400


def _line_name(line: dict[str, Any]) -> str:
    variant = line.get("variant_title") or ""
    plain = variant in ("", "Default Title")
    return str(line["title"] if plain else f"{line['title']} - {variant}")


def _independent_records(store: Store) -> dict[str, Any]:
    """Products and deals from the webhook payloads, keyed as the README says."""
    version, shop = "2026-04", store.shop.domain
    products = []
    for product in store.products:
        body = product_payload(store, product, "products/update", version)
        only_default = [v["title"] for v in body["variants"]] == ["Default Title"]
        products += [
            {
                "key": f"{shop}:{body['id']}:{variant['id']}",
                "name": body["title"] if only_default else f"{body['title']} - {variant['title']}",
                "price": variant["price"],
            }
            for variant in body["variants"]
        ]
    deals = []
    firsts: dict[str, str] = {}
    for order in store.orders:
        body = order_payload(store, order, "orders/updated", version)
        token = body["checkout_token"]
        processed = datetime.fromisoformat(body["processed_at"]).astimezone(UTC)
        when = processed.strftime("%Y-%m-%dT%H:%M:%SZ")
        buyer = (body.get("customer") or {}).get("email") or body["email"]
        contact = buyer.lower() if buyer else None
        if contact:
            firsts[contact] = min(firsts.get(contact, when), when)
        deals.append(
            {
                "keys": [f"{shop}:{token}", f"{shop}:order:{body['id']}"]
                if token
                else [f"{shop}:order:{body['id']}"],
                "amount": body["current_total_price"],
                "refunded": str(
                    Decimal(body["total_price"]) - Decimal(body["current_total_price"])
                ),
                "processed_at": when,
                "contact": contact,
                "name": body["name"],
                "line_items": sorted(_line_name(line) for line in body["line_items"]),
            }
        )
    for checkout in store.checkouts:
        body = checkout_payload(store, checkout, "checkouts/update", version)
        if body["completed_at"] is None:
            deals.append(
                {
                    "keys": [f"{shop}:{body['token']}"],
                    "amount": body["total_price"],
                    "name": f"Checkout {body['token'][:8]}",
                    "line_items": sorted(_line_name(line) for line in body["line_items"]),
                }
            )
    return {"products": products, "deals": deals, "first_orders": firsts}


def test_expected_records_agree_with_the_payloads(running: Running, store: Store) -> None:
    answer = running.client.get(
        "/_simulator/expected", params={"abandon_after_seconds": 86400, "records": "true"}
    ).json()
    records = answer["records"]
    independent = _independent_records(store)

    assert records["products"] == independent["products"]
    without_stage = [{k: v for k, v in d.items() if k != "stage"} for d in records["deals"]]
    assert without_stage == independent["deals"]
    firsts = {c["email"]: c["first_order"] for c in records["contacts"] if c["first_order"]}
    assert firsts == independent["first_orders"] and firsts
    stages = Counter(deal["stage"] for deal in records["deals"])
    assert {s: n for s, n in answer["deals_by_stage"].items() if n} == dict(stages)
    assert len(records["contacts"]) == answer["contacts"]


def test_expected_contacts_name_their_people_by_the_newest_source(
    running: Running, store: Store
) -> None:
    answer = running.client.get("/_simulator/expected", params={"records": "true"}).json()
    contacts = {contact["email"]: contact for contact in answer["records"]["contacts"]}
    shared = Counter(c.email.lower() for c in store.customers if c.email)
    guest_emails = {
        sale.email.lower()
        for sale in [*store.orders, *store.checkouts]
        if sale.customer_id is None and sale.email
    }
    alone = [
        c
        for c in store.customers
        if c.email and c.last_name and shared[c.email.lower()] == 1
        and c.email.lower() not in guest_emails
    ]  # fmt: skip
    assert alone
    for customer in alone:
        contact = contacts[customer.email.lower()]  # type: ignore[union-attr]
        assert (contact["firstname"], contact["lastname"]) == (
            [customer.first_name],
            [customer.last_name],
        )
        assert contact["sources"][0] == f"gid://shopify/Customer/{customer.id}"
    guests = [o for o in store.orders if o.customer_id is None and o.email and o.billing_address]
    newest = {o.email.lower(): o for o in sorted(guests, key=lambda o: o.updated_at)}  # type: ignore[union-attr]
    for email, order in newest.items():
        if email not in shared and order.billing_address and order.billing_address.first_name:
            assert order.billing_address.first_name in contacts[email]["firstname"]
