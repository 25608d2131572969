"""Shopify's mandatory privacy topics (W5): erase what Shopspot itself keeps.

The HubSpot records stay, as with the native app: they are the merchant's CRM data, and
the merchant handles requests there. Shopspot's own state holds HubSpot ids, hashed emails,
the stories of objects (ids and times), and (until they are written or replayed) payloads in
the pending buffers and dead letters; a redaction asks each store to forget the customer or
the shop.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping

import redis

from shopspot.activity import ActivityLog
from shopspot.backfill.verifylog import VerifyLog
from shopspot.deadletters import DeadLetterStore
from shopspot.deliveries import DeliveryLedger
from shopspot.mapping.contacts import contact_email
from shopspot.mapping.values import shop_domain
from shopspot.pending import PendingBuffer
from shopspot.shopify.models import CustomerDataRequest, CustomerRedact
from shopspot.sync.memory import Memory
from shopspot.topics import Buffer
from shopspot.trace.store import TraceStore

log = logging.getLogger("shopspot.privacy")

_REQUESTS_KEY = "shopspot:privacy:requests"


class PrivacyOffice:
    def __init__(
        self,
        client: redis.Redis,
        *,
        memory: Memory,
        verify_log: VerifyLog,
        ledger: DeliveryLedger,
        activity: ActivityLog,
        dead_letters: DeadLetterStore,
        buffers: Mapping[Buffer, PendingBuffer],
        traces: TraceStore,
    ) -> None:
        self._redis = client
        self._memory = memory
        self._verify_log = verify_log
        self._ledger = ledger
        self._activity = activity
        self._dead_letters = dead_letters
        self._buffers = buffers
        self._traces = traces

    def redact_customer(self, shop: str, request: CustomerRedact) -> int:
        """customers/redact: returns how many pieces of state were erased."""
        shop = shop_domain(shop)
        customer = request.customer
        email = contact_email(customer.email if customer else None)
        customer_id = customer.id if customer else None
        orders = request.orders_to_redact
        shopify_ids = [*orders] if customer_id is None else [customer_id, *orders]
        erased = self._memory.forget_customer(shop, customer_id, email, orders)
        erased += sum(b.forget_customer(shop, shopify_ids) for b in self._buffers.values())
        erased += self._dead_letters.forget_customer(shop, shopify_ids, email)
        erased += self._traces.forget_customer(shop, customer_id, orders)
        log.info("customer redacted", extra={"fields": {"shop": shop, "erased": erased}})
        return erased

    def redact_shop(self, shop: str) -> int:
        """shop/redact (48 h after uninstalling): everything Shopspot keeps about the shop."""
        shop = shop_domain(shop)
        erased = self._memory.forget_shop(shop)
        erased += self._ledger.forget_shop(shop)
        erased += self._activity.forget_shop(shop)
        erased += sum(b.forget_shop(shop) for b in self._buffers.values())
        erased += self._dead_letters.forget_shop(shop)
        erased += self._verify_log.forget_shop(shop)
        erased += self._traces.forget_shop(shop)
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
        self._redis.rpush(_REQUESTS_KEY, json.dumps(entry))
        log.info("customer data request recorded", extra={"fields": {"shop": entry["shop"]}})
