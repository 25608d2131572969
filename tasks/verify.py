"""`shopspot verify --repair` (does HubSpot match the store?), run by beat every
VERIFY_INTERVAL_SECONDS over the last VERIFY_DAYS days."""

from __future__ import annotations

from shopspot.backfill.verify import verify_store
from tasks.base import runtime
from tasks.storewide import TIME_LIMIT, each_store, flush_soon
from worker.app import app
from worker.routing import VERIFY_TASK


@app.task(name=VERIFY_TASK, acks_late=True, time_limit=TIME_LIMIT, soft_time_limit=TIME_LIMIT - 60)
def verify() -> int:
    """Every store; returns the differences found, each written again. A failed run changes
    nothing the next one would not repeat."""
    rt = runtime()
    days = rt.settings.verify_days
    return each_store(
        "shopspot:verify:lock",
        lambda store: len(
            verify_store(rt, store, days, repair=True, written=flush_soon).differences
        ),
    )
