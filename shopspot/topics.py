"""Which Shopify webhook topics Shopspot handles, and the kind of object each one is about.

A kind names the task that syncs it and the queue it waits on, so a burst of orders never
delays customers or the privacy topics.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    ORDERS = "orders"
    CHECKOUTS = "checkouts"
    PRIVACY = "privacy"


TOPIC_KINDS: dict[str, Kind] = {
    "customers/create": Kind.CUSTOMERS,
    "customers/update": Kind.CUSTOMERS,
    "customers/delete": Kind.CUSTOMERS,
    "customers/enable": Kind.CUSTOMERS,
    "customers/disable": Kind.CUSTOMERS,
    "customer.tags_added": Kind.CUSTOMERS,
    "customer.tags_removed": Kind.CUSTOMERS,
    "customers_email_marketing_consent/update": Kind.CUSTOMERS,
    "customers/purchasing_summary": Kind.CUSTOMERS,
    "products/create": Kind.PRODUCTS,
    "products/update": Kind.PRODUCTS,
    "products/delete": Kind.PRODUCTS,
    "orders/create": Kind.ORDERS,
    "orders/updated": Kind.ORDERS,
    "orders/paid": Kind.ORDERS,
    "orders/cancelled": Kind.ORDERS,
    "orders/fulfilled": Kind.ORDERS,
    "orders/partially_fulfilled": Kind.ORDERS,
    "orders/delete": Kind.ORDERS,
    "checkouts/create": Kind.CHECKOUTS,
    "checkouts/update": Kind.CHECKOUTS,
    "checkouts/delete": Kind.CHECKOUTS,
    "customers/data_request": Kind.PRIVACY,
    "customers/redact": Kind.PRIVACY,
    "shop/redact": Kind.PRIVACY,
    "app/uninstalled": Kind.PRIVACY,
}


def kind_of(topic: str) -> Kind | None:
    """The kind a topic is about, or None for a topic Shopspot does not handle."""
    return TOPIC_KINDS.get(topic.strip().lower())
