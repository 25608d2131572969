"""The abandoned-checkout sweep (D8): due checkouts are queued for their stage move."""

from __future__ import annotations

from shopspot.runtime import Runtime
from shopspot.status import record_sweep
from shopspot.sync.items import DEALS, abandon_item

_LOCK = "shopspot:sweep:lock"
PAGE = 1000


def queue_due_checkouts(rt: Runtime) -> int:
    """Queue the stage move of every checkout now due; returns how many.

    A lock keeps two sweeps (two beats by mistake, or beat and `shopspot sweep`) from
    working at once; the moves themselves are idempotent, so a second sweep changes nothing.
    """
    if not rt.redis.set(_LOCK, b"1", nx=True, ex=60):
        return 0
    try:
        now = rt.context.clock()
        buffer = rt.buffers[DEALS]
        queued = 0
        for deal in rt.due.due(now, limit=PAGE):
            if buffer.offer(abandon_item(deal, now)) == "queued":
                queued += 1
        record_sweep(rt.redis, now)
        return queued
    finally:
        rt.redis.delete(_LOCK)
