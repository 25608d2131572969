"""Reconciliation (W6), run by beat every RECONCILE_INTERVAL_SECONDS."""

from __future__ import annotations

from shopspot.backfill.reconcile import reconcile_store
from shopspot.topics import Buffer
from tasks.base import runtime
from tasks.queueing import schedule_flush
from worker.app import app
from worker.routing import RECONCILE_TASK

_LOCK = "shopspot:reconcile:lock"
# Reading changes waits on Shopify's bulk export; it gets longer than a sync task.
TIME_LIMIT = 600


def _flush_soon(buffers: set[Buffer]) -> None:
    for name in buffers:
        schedule_flush(name)


@app.task(
    name=RECONCILE_TASK, acks_late=True, time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60
)
def reconcile() -> int:
    """Every store with an Admin API token; returns the changes found. A failed run is
    simply repeated by the next tick, which reads from the last successful run."""
    rt = runtime()
    if not rt.redis.set(_LOCK, b"1", nx=True, ex=TIME_LIMIT):
        return 0
    try:
        changed = 0
        for store in rt.settings.stores.values():
            if store.access_token is not None:
                changed += reconcile_store(rt, store, written=_flush_soon).changed
        return changed
    finally:
        rt.redis.delete(_LOCK)
