"""Which webhook deliveries have been accepted, so a duplicate has one effect.

Marking a delivery as seen and enqueueing it cannot be one Redis operation (the queue
belongs to Celery), so acceptance is two-phase: `claim` marks the delivery as in flight for
a short time, `confirm` marks it as accepted for the dedupe period once it is enqueued, and
`release` drops the claim when the enqueue failed. A receiver that dies between claim and
confirm leaves a claim that expires on its own, so Shopify's retry is accepted then; it is
never lost to its own mark.
"""

from __future__ import annotations

from enum import StrEnum

import redis

from shopspot.redisconn import delete_matching
from shopspot.settings import Settings

_KEY_PREFIX = "shopspot:delivery:"


class Claim(StrEnum):
    NEW = "new"  # first delivery: enqueue it, then confirm
    ACCEPTED = "accepted"  # already enqueued once: a duplicate
    IN_FLIGHT = "in_flight"  # another request holds it right now: ask Shopify to retry


_IN_FLIGHT = b"in_flight"
_ACCEPTED = b"accepted"


class DeliveryLedger:
    def __init__(self, client: redis.Redis, *, claim_seconds: float, dedupe_seconds: int) -> None:
        self._redis = client
        self._claim_ms = int(claim_seconds * 1000)
        self._dedupe_seconds = dedupe_seconds

    @classmethod
    def from_settings(cls, client: redis.Redis, settings: Settings) -> DeliveryLedger:
        return cls(
            client,
            claim_seconds=settings.webhook_claim_seconds,
            dedupe_seconds=settings.webhook_dedupe_seconds,
        )

    def claim(self, delivery_key: str) -> Claim:
        key = _KEY_PREFIX + delivery_key
        if self._redis.set(key, _IN_FLIGHT, nx=True, px=self._claim_ms):
            return Claim.NEW
        return Claim.ACCEPTED if self._redis.get(key) == _ACCEPTED else Claim.IN_FLIGHT

    def confirm(self, delivery_key: str) -> None:
        self._redis.set(_KEY_PREFIX + delivery_key, _ACCEPTED, ex=self._dedupe_seconds)

    def release(self, delivery_key: str) -> None:
        self._redis.delete(_KEY_PREFIX + delivery_key)

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): the shop's deliveries (a delivery key starts with the shop,
        see `WebhookEvent.delivery_key`); returns how many were erased."""
        return delete_matching(self._redis, f"{_KEY_PREFIX}{shop}|*")
