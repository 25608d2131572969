"""Flushing the pending buffers into HubSpot's batch endpoints.

Nothing is lost if a flush fails or its message is: the items stay in Redis, leased items
come back when the lease expires, and the beat tick schedules a flush for whatever waits.
"""

from __future__ import annotations

import logging
import random

from shopspot.errors import RetryAfter
from shopspot.topics import Buffer
from tasks.base import RETRYABLE, runtime
from tasks.queueing import flush_started, schedule_flush
from worker.app import app
from worker.routing import FLUSH_TASK, TICK_TASK

log = logging.getLogger("shopspot.tasks")

# After HubSpot failed a batch, the next try waits this long (HubSpot's own retries ran).
RETRY_SECONDS = 5.0


@app.task(name=FLUSH_TASK, acks_late=True)
def flush(name: str) -> str:
    rt = runtime()
    buffer = Buffer(name)
    flush_started(buffer)
    try:
        result = rt.flusher.flush(rt.buffers[buffer])
    except RetryAfter as exc:
        schedule_flush(buffer, exc.wait_seconds + random.uniform(0, 0.5))
        return "rate_limited"
    except RETRYABLE as exc:
        log.warning("flush of %s failed (%s); retrying", buffer, type(exc).__name__)
        schedule_flush(buffer, RETRY_SECONDS * random.uniform(1.0, 1.5))
        return "retry"
    if result.waiting:
        schedule_flush(buffer)
    return f"synced {result.synced}, dead-lettered {result.dead_lettered}"


@app.task(name=TICK_TASK, acks_late=True)
def tick() -> None:
    """Beat's safety net: items of dead flushes come back, and whatever waits gets a flush."""
    rt = runtime()
    for name, buffer in rt.buffers.items():
        buffer.release_expired()
        if buffer.waiting():
            schedule_flush(name)
