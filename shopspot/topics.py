"""The Shopify webhook topics Shopspot handles, in one table: for each, the kind of object it
is about, the model its payload is parsed as, and the buffer its HubSpot write waits in.

A kind names the task that handles it and the queue it waits on, so a burst of orders never
delays customers or the privacy topics. A buffer names one HubSpot record family: writes
coalesce there until a flush sends them in batches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from shopspot.shopify.models import (
    AppUninstalled,
    Checkout,
    CheckoutDeleted,
    Customer,
    CustomerDataRequest,
    CustomerRedact,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    DeletedObject,
    EmailConsentUpdate,
    Order,
    Product,
    PurchasingSummary,
    ShopifyModel,
    ShopRedact,
)


class Kind(StrEnum):
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    ORDERS = "orders"
    CHECKOUTS = "checkouts"
    PRIVACY = "privacy"


class Buffer(StrEnum):
    CONTACTS = "contacts"  # customers, and the topics that carry part of one
    PRODUCTS = "products"
    DEALS = "deals"  # orders, checkouts and the sweep's stage moves, grouped by deal


@dataclass(frozen=True)
class Topic:
    kind: Kind
    model: type[ShopifyModel]
    # None: nothing to write in HubSpot (the privacy topics; customers/delete keeps the
    # contact, C6, as the native app does).
    buffer: Buffer | None


TOPICS: Mapping[str, Topic] = MappingProxyType(
    {
        **{
            name: Topic(Kind.CUSTOMERS, model, Buffer.CONTACTS)
            for name, model in (
                ("customers/create", Customer),
                ("customers/update", Customer),
                ("customers/enable", Customer),
                ("customers/disable", Customer),
                ("customer.tags_added", CustomerTagsAdded),
                ("customer.tags_removed", CustomerTagsRemoved),
                ("customers_email_marketing_consent/update", EmailConsentUpdate),
                ("customers/purchasing_summary", PurchasingSummary),
            )
        },
        "customers/delete": Topic(Kind.CUSTOMERS, DeletedObject, None),
        "products/create": Topic(Kind.PRODUCTS, Product, Buffer.PRODUCTS),
        "products/update": Topic(Kind.PRODUCTS, Product, Buffer.PRODUCTS),
        "products/delete": Topic(Kind.PRODUCTS, DeletedObject, Buffer.PRODUCTS),
        **{
            name: Topic(Kind.ORDERS, Order, Buffer.DEALS)
            for name in (
                "orders/create",
                "orders/updated",
                "orders/paid",
                "orders/cancelled",
                "orders/fulfilled",
                "orders/partially_fulfilled",
            )
        },
        "orders/delete": Topic(Kind.ORDERS, DeletedObject, Buffer.DEALS),
        "checkouts/create": Topic(Kind.CHECKOUTS, Checkout, Buffer.DEALS),
        "checkouts/update": Topic(Kind.CHECKOUTS, Checkout, Buffer.DEALS),
        "checkouts/delete": Topic(Kind.CHECKOUTS, CheckoutDeleted, Buffer.DEALS),
        "customers/data_request": Topic(Kind.PRIVACY, CustomerDataRequest, None),
        "customers/redact": Topic(Kind.PRIVACY, CustomerRedact, None),
        "shop/redact": Topic(Kind.PRIVACY, ShopRedact, None),
        "app/uninstalled": Topic(Kind.PRIVACY, AppUninstalled, None),
    }
)


class UnsupportedTopicError(ValueError):
    """The topic is not in the table: Shopspot does not subscribe to it."""


def topic_of(name: str) -> Topic | None:
    """The topic's entry (case and surrounding space ignored), or None when unhandled."""
    return TOPICS.get(name.strip().lower())


def handled(name: str) -> Topic:
    """The entry of a topic Shopspot handles; `UnsupportedTopicError` for any other."""
    topic = topic_of(name)
    if topic is None:
        raise UnsupportedTopicError(f"no model for webhook topic {name!r}")
    return topic


def kind_of(name: str) -> Kind | None:
    topic = topic_of(name)
    return None if topic is None else topic.kind


def parse_payload(name: str, payload: Mapping[str, Any]) -> ShopifyModel:
    """Validate a webhook body (already JSON-decoded) as the model of its topic.

    Raises ``UnsupportedTopicError`` for a topic Shopspot does not handle and pydantic's
    ``ValidationError`` for a body that does not fit; describe the latter with
    ``shopspot.shopify.describe_validation_error``, never with ``str()`` of the payload.
    """
    return handled(name).model.model_validate(dict(payload))
