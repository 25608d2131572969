"""Webhook subscriptions made through the Admin API (webhookSubscriptionCreate & co)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# The GraphQL topic enum and the topic name Shopify sends in X-Shopify-Topic.
TOPICS = {
    "APP_UNINSTALLED": "app/uninstalled",
    "BULK_OPERATIONS_FINISH": "bulk_operations/finish",
    "CHECKOUTS_CREATE": "checkouts/create",
    "CHECKOUTS_DELETE": "checkouts/delete",
    "CHECKOUTS_UPDATE": "checkouts/update",
    "CUSTOMERS_CREATE": "customers/create",
    "CUSTOMERS_DELETE": "customers/delete",
    "CUSTOMERS_DISABLE": "customers/disable",
    "CUSTOMERS_ENABLE": "customers/enable",
    "CUSTOMERS_UPDATE": "customers/update",
    "CUSTOMERS_PURCHASING_SUMMARY": "customers/purchasing_summary",
    "CUSTOMERS_MARKETING_CONSENT_UPDATE": "customers_marketing_consent/update",
    "CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE": "customers_email_marketing_consent/update",
    "CUSTOMER_TAGS_ADDED": "customer.tags_added",
    "CUSTOMER_TAGS_REMOVED": "customer.tags_removed",
    "ORDERS_CANCELLED": "orders/cancelled",
    "ORDERS_CREATE": "orders/create",
    "ORDERS_DELETE": "orders/delete",
    "ORDERS_EDITED": "orders/edited",
    "ORDERS_FULFILLED": "orders/fulfilled",
    "ORDERS_PAID": "orders/paid",
    "ORDERS_PARTIALLY_FULFILLED": "orders/partially_fulfilled",
    "ORDERS_UPDATED": "orders/updated",
    "PRODUCTS_CREATE": "products/create",
    "PRODUCTS_DELETE": "products/delete",
    "PRODUCTS_UPDATE": "products/update",
    "REFUNDS_CREATE": "refunds/create",
}
FIELD = ["webhookSubscription", "callbackUrl"]


@dataclass
class Subscription:
    id: int
    topic: str
    """The GraphQL enum value, e.g. ORDERS_CREATE."""
    callback_url: str
    format: str
    include_fields: tuple[str, ...]
    api_version: str
    created_at: int
    updated_at: int

    @property
    def topic_name(self) -> str:
        return TOPICS[self.topic]


def _problems(url: Any, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Shopify's user errors for a subscription's address and format."""
    if not isinstance(url, str) or not url:
        return [{"field": FIELD, "message": "Address can't be blank"}]
    parts = urlsplit(url)
    # Shopify insists on https; plain http is accepted here so loopback receivers work.
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return [{"field": FIELD, "message": "Address is invalid"}]
    if fields.get("format") == "XML":
        # Shopify still takes XML subscriptions; the simulator writes JSON bodies only.
        message = "Format XML is not supported by the simulator"
        return [{"field": ["webhookSubscription", "format"], "message": message}]
    return []


class Subscriptions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, Subscription] = {}

    def all(self) -> list[Subscription]:
        with self._lock:
            return sorted(self._by_id.values(), key=lambda sub: sub.id)

    def get(self, subscription_id: int) -> Subscription | None:
        with self._lock:
            return self._by_id.get(subscription_id)

    def for_topic(self, topic_name: str) -> list[Subscription]:
        return [sub for sub in self.all() if sub.topic_name == topic_name]

    def create(
        self, new_id: int, topic: str, fields: dict[str, Any], version: str, now: int
    ) -> tuple[Subscription | None, list[dict[str, Any]]]:
        url = fields.get("callbackUrl")
        problems = _problems(url, fields)
        if problems:
            return None, problems
        with self._lock:
            if any(s.topic == topic and s.callback_url == url for s in self._by_id.values()):
                return None, [
                    {"field": FIELD, "message": "Address for this topic has already been taken"}
                ]
            include = fields.get("includeFields") or ()
            subscription = Subscription(
                id=new_id,
                topic=topic,
                callback_url=str(url),
                format=str(fields.get("format") or "JSON"),
                include_fields=tuple(str(name) for name in include),
                api_version=version,
                created_at=now,
                updated_at=now,
            )
            self._by_id[new_id] = subscription
        return subscription, []

    def update(
        self, subscription_id: int, fields: dict[str, Any], now: int
    ) -> tuple[Subscription | None, list[dict[str, Any]]]:
        with self._lock:
            subscription = self._by_id.get(subscription_id)
            if subscription is None:
                return None, [{"field": ["id"], "message": "Webhook subscription does not exist"}]
            url = fields.get("callbackUrl") or subscription.callback_url
            problems = _problems(url, fields)
            if problems:
                return None, problems
            taken = any(
                other.id != subscription_id
                and other.topic == subscription.topic
                and other.callback_url == url
                for other in self._by_id.values()
            )
            if taken:
                return None, [
                    {"field": FIELD, "message": "Address for this topic has already been taken"}
                ]
            subscription.callback_url = str(url)
            if fields.get("format"):
                subscription.format = str(fields["format"])
            if fields.get("includeFields") is not None:
                include = fields["includeFields"]
                subscription.include_fields = tuple(str(name) for name in include)
            subscription.updated_at = now
            return subscription, []

    def delete(self, subscription_id: int) -> bool:
        with self._lock:
            return self._by_id.pop(subscription_id, None) is not None
