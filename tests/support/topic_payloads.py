"""Shopspot's own webhook payload for every topic it handles, at API version 2026-04, and the
parameters that run a test on it and, where they are beside the checkout, on Shopify's samples.

The Shopify simulator renders the payloads from one small generated store, from records that
fill every part of a payload: an order of several lines with 64-bit ids, its customer, both
addresses and the checkout it came from; a product of several variants with images; a customer
with tags, orders and marketing consent. The privacy topics and app/uninstalled, which Shopify
sends about the shop and not about a record in it, are hand-written in
tests/fixtures/payloads/2026-04 with invented values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from sandbox.shopify.generate import generate
from sandbox.shopify.ids import TWO_TO_53
from sandbox.shopify.payloads import (
    checkout_payload,
    customer_payload,
    order_payload,
    product_payload,
)
from sandbox.shopify.records import Checkout, Customer, Order, Product
from sandbox.shopify.store import Store
from shopspot.topics import TOPICS, Kind
from tests.sandbox.shopify_fixtures import NOW, small_config
from tests.support.env import ROOT
from tests.support.reference import SAMPLES, file_name, read_payload, sample, sample_topics

VERSION = "2026-04"
FIXTURES = ROOT / "tests" / "fixtures" / "payloads"

Load = Callable[[str], dict[str, Any]]
"""A topic's payload: `own_payload`, or `sample` for Shopify's."""


@dataclass(frozen=True)
class Generated:
    """The generated store and the records Shopspot's own payloads are rendered from."""

    store: Store
    customer: Customer
    order: Order
    checkout: Checkout
    product: Product


def _with_address(store: Store, record: Order | Checkout) -> bool:
    customer = store.customer_of(record)
    return customer is not None and customer.address is not None


@cache
def generated() -> Generated:
    store = generate(small_config(orders=300, checkouts=60), int(NOW.timestamp()))[0]
    return Generated(
        store,
        customer=next(
            c
            for c in store.customers
            if c.email
            and c.address
            and c.tags
            and c.last_order_id is not None
            # Subscribed: the consent topic then says something a missing consent cannot.
            and c.consent_state == "subscribed"
        ),
        order=next(
            o
            for o in store.orders
            if o.id > TWO_TO_53
            and len(o.line_items) > 1
            and o.checkout_token
            and o.shipping_address
            and o.billing_address
            and _with_address(store, o)
        ),
        checkout=next(
            c
            for c in store.checkouts
            if _with_address(store, c)
            and c.billing_address
            # In the shop's currency: its amounts are then the record's, unconverted.
            and c.presentment_currency == store.shop.currency
        ),
        product=next(p for p in store.products if len(p.variants) > 1 and p.images and p.tags),
    )


def own_payload(topic: str) -> dict[str, Any]:
    """Shopspot's own payload of a topic Shopspot handles."""
    made = generated()
    kind = TOPICS[topic].kind
    if kind is Kind.CUSTOMERS:
        return customer_payload(made.store, made.customer, topic, VERSION)
    if kind is Kind.PRODUCTS:
        return product_payload(made.store, made.product, topic, VERSION)
    if kind is Kind.ORDERS:
        return order_payload(made.store, made.order, topic, VERSION)
    if kind is Kind.CHECKOUTS:
        return checkout_payload(made.store, made.checkout, topic, VERSION)
    return read_payload(FIXTURES / VERSION / file_name(topic))


def own(*expected: object) -> pytest.ParameterSet:
    """A test's parameters on Shopspot's own payloads: `own_payload`, then what it holds."""
    return pytest.param(own_payload, *expected, id="own")


def shopify(*expected: object) -> pytest.ParameterSet:
    """A test's parameters on Shopify's samples: `sample`, then what it holds."""
    return SAMPLES.param(sample, *expected, id="shopify")


def every_topic() -> list[pytest.ParameterSet]:
    """(load, topic) for every topic Shopspot handles, then for every topic of Shopify's
    samples (a single stand-in when they are absent, left out of the run all the same)."""
    ours = [pytest.param(own_payload, topic, id=f"own:{topic}") for topic in TOPICS]
    samples = [SAMPLES.param(sample, topic, id=f"shopify:{topic}") for topic in sample_topics()]
    return ours + (samples or [shopify("")])
