"""Shopify's mandatory privacy topics (W5): erase what Shopspot itself keeps.

The HubSpot records stay, as with the native app: they are the merchant's CRM data, and
the merchant handles requests there. Shopspot's own state holds HubSpot ids, hashed emails,
and (until they are written or replayed) payloads in the pending buffers and dead letters;
a redaction erases all of it for the customer or the shop.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import cast

import redis

from shopspot.deadletters import DeadLetterStore
from shopspot.deliveries import KEY_PREFIX as DELIVERY_PREFIX
from shopspot.mapping.contacts import contact_email
from shopspot.mapping.values import key, shop_domain
from shopspot.pending import PendingBuffer
from shopspot.shopify.models import CustomerDataRequest, CustomerRedact
from shopspot.sync.memory import P as MEMORY_PREFIX
from shopspot.sync.memory import email_hash
from shopspot.topics import Buffer

log = logging.getLogger("shopspot.privacy")

REQUESTS_KEY = "shopspot:privacy:requests"


class PrivacyOffice:
    def __init__(
        self,
        client: redis.Redis,
        dead_letters: DeadLetterStore,
        buffers: Mapping[Buffer, PendingBuffer],
    ) -> None:
        self._redis = client
        self._dead_letters = dead_letters
        self._buffers = buffers

    def redact_customer(self, shop: str, request: CustomerRedact) -> int:
        """customers/redact: returns how many pieces of state were erased."""
        shop = shop_domain(shop)
        customer = request.customer
        email = contact_email(customer.email if customer else None)
        customer_id = customer.id if customer else None
        names = [
            f"{MEMORY_PREFIX}alias:{key(shop, 'order', oid)}" for oid in request.orders_to_redact
        ]
        if customer_id is not None:
            names.append(f"{MEMORY_PREFIX}customer:{shop}:{customer_id}")
        if email:
            names.append(f"{MEMORY_PREFIX}contact:{email_hash(email)}")
            self._redis.srem(f"{MEMORY_PREFIX}shop-contacts:{shop}", email_hash(email))
        erased = int(self._redis.delete(*names)) if names else 0
        markers = {str(customer_id)} if customer_id is not None else set()
        markers |= {str(oid) for oid in request.orders_to_redact}
        erased += self._forget_pending(shop, markers)
        erased += self._drop_dead_letters(shop, markers, email)
        log.info("customer redacted", extra={"fields": {"shop": shop, "erased": erased}})
        return erased

    def redact_shop(self, shop: str) -> int:
        """shop/redact (48 h after uninstalling): everything Shopspot keeps about the shop."""
        shop = shop_domain(shop)
        hashes = cast(set[bytes], self._redis.smembers(f"{MEMORY_PREFIX}shop-contacts:{shop}"))
        names = [f"{MEMORY_PREFIX}contact:{h.decode()}" for h in hashes]
        names.append(f"{MEMORY_PREFIX}shop-contacts:{shop}")
        for pattern in (
            f"{MEMORY_PREFIX}*:{shop}:*",
            f"{DELIVERY_PREFIX}{shop}|*",
            f"shopspot:activity:{shop}|*",
        ):
            names += [name.decode() for name in self._redis.scan_iter(match=pattern, count=1000)]
        erased = 0
        for start in range(0, len(names), 500):
            erased += int(self._redis.delete(*names[start : start + 500]))
        activity = cast(set[bytes], self._redis.smembers("shopspot:activity:index"))
        stale = [m for m in activity if m.decode().startswith(f"{shop}|")]
        if stale:
            self._redis.srem("shopspot:activity:index", *stale)
        erased += self._forget_pending(shop, None)
        erased += self._drop_dead_letters(shop, None, None)
        log.info("shop redacted", extra={"fields": {"shop": shop, "erased": erased}})
        return erased

    def record_data_request(self, shop: str, request: CustomerDataRequest) -> None:
        """customers/data_request: Shopspot holds no customer data of its own beyond HubSpot
        ids and hashed emails; the request is recorded for the merchant's records."""
        entry = {
            "shop": shop_domain(shop),
            "customer_id": request.customer.id if request.customer else None,
            "data_request_id": request.data_request.id if request.data_request else None,
            "received_at": time.time(),
        }
        self._redis.rpush(REQUESTS_KEY, json.dumps(entry))
        log.info("customer data request recorded", extra={"fields": {"shop": entry["shop"]}})

    def _forget_pending(self, shop: str, markers: set[str] | None) -> int:
        """Pending items of the shop (of these customer or order ids, when given)."""
        forgotten = 0
        for buffer in self._buffers.values():
            keys = [
                k
                for k in buffer.waiting_keys()
                if f":{shop}:" in k and (markers is None or k.rsplit(":", 1)[-1] in markers)
            ]
            buffer.forget(keys)
            forgotten += len(keys)
        return forgotten

    def _drop_dead_letters(self, shop: str, markers: set[str] | None, email: str | None) -> int:
        dropped = 0
        for letter in self._dead_letters.list():
            if letter.event.shop != shop:
                continue
            if markers is not None:
                text = json.dumps(letter.event.payload).lower()
                ids = {str(v) for v in _ids(letter.event.payload)}
                if not (ids & markers or (email and email in text)):
                    continue
            dropped += int(self._dead_letters.drop(letter.id))
        return dropped


def _ids(payload: object) -> list[object]:
    """Every `id`, `customer_id` and `order_id` value anywhere in a payload."""
    found: list[object] = []
    if isinstance(payload, dict):
        for name, value in payload.items():
            if name in ("id", "customer_id", "order_id", "customerId"):
                found.append(value)
            found += _ids(value)
    elif isinstance(payload, list):
        for value in payload:
            found += _ids(value)
    return found
