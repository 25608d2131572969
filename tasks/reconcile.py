"""Reconciliation (W6), run by beat every RECONCILE_INTERVAL_SECONDS."""

from __future__ import annotations

from shopspot.backfill.reconcile import reconcile_store
from tasks.base import runtime
from tasks.storewide import TIME_LIMIT, each_store, flush_soon
from worker.app import app
from worker.routing import RECONCILE_TASK


@app.task(
    name=RECONCILE_TASK, acks_late=True, time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60
)
def reconcile() -> int:
    """Every store; returns the changes found. A failed run is simply repeated by the next
    tick, which reads from the last successful run."""
    rt = runtime()
    return each_store(
        "shopspot:reconcile:lock",
        lambda store: reconcile_store(rt, store, written=flush_soon).changed,
    )
