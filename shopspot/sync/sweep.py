"""The abandoned-checkout sweep (D8): due checkouts are queued for their stage move."""

from __future__ import annotations

import redis

from shopspot.pending import PendingBuffer
from shopspot.sync.due import CheckoutsDue
from shopspot.sync.items import abandon_item

_LOCK = "shopspot:sweep:lock"
PAGE = 1000


def queue_due_checkouts(
    client: redis.Redis, due: CheckoutsDue, deals: PendingBuffer, now: float
) -> int:
    """Queue into `deals` the stage move of every checkout due at `now`; returns how many.

    A lock keeps two sweeps (two beats by mistake, or beat and `shopspot sweep`) from
    working at once; the moves themselves are idempotent, so a second sweep changes nothing.
    """
    if not client.set(_LOCK, b"1", nx=True, ex=60):
        return 0
    try:
        queued = 0
        for page in due.due(now, PAGE):
            answers = deals.offer_many([abandon_item(deal, now) for deal in page])
            queued += answers.count("queued")
        due.swept(now)
        return queued
    finally:
        client.delete(_LOCK)
