"""Flushing the pending buffers into HubSpot's batch endpoints.

Nothing is lost if a flush fails or its message is: the items stay in Redis, leased items
come back when the lease expires, and the beat tick schedules a flush for whatever waits.
A flush that failed is tried again with the retry policy's growing backoff, by the count of
failures in a row kept in Redis (`shopspot.sync.stalls`); a rate limit is waited out as
HubSpot asks and counts as no failure.
"""

from __future__ import annotations

import logging

from shopspot import retry
from shopspot.errors import RetryAfter
from shopspot.reasons import describe
from shopspot.topics import Buffer
from tasks.base import RETRYABLE, runtime
from tasks.queueing import flush_started, schedule_flush
from worker.app import app
from worker.routing import FLUSH_TASK, TICK_TASK

log = logging.getLogger("shopspot.tasks")

# Writes waiting this long for HubSpot are an outage someone should hear about (once).
STALL_WARNING_SECONDS = 600.0


@app.task(name=FLUSH_TASK, acks_late=True)
def flush(name: str) -> str:
    rt = runtime()
    buffer = Buffer(name)
    flush_started(buffer)
    try:
        wait = rt.flusher.wait(rt.buffers[buffer])
        if wait:
            # Nothing taken: whatever arrives meanwhile joins the batch this flush takes then.
            schedule_flush(buffer, wait)
            return f"waiting {wait:.2f} s for a fuller batch or a slot"
        result = rt.flusher.flush(rt.buffers[buffer])
    except RetryAfter as exc:
        schedule_flush(buffer, retry.rate_limit_wait(exc.wait_seconds))
        return "rate_limited"
    except RETRYABLE as exc:
        stall = rt.stalls.failed(buffer, describe(exc))
        log.warning("flush of %s failed %d times in a row (%s); retrying",
                    buffer, stall.failures, type(exc).__name__)  # fmt: skip
        if rt.stalls.overdue(buffer, stall, STALL_WARNING_SECONDS):
            log.warning("writes to HubSpot have waited %.0f s in %s, because %s",
                        stall.waited(), buffer, stall.reason)  # fmt: skip
        policy = retry.flushes(rt.settings.task_retry_backoff_max_seconds)
        schedule_flush(buffer, policy.backoff(stall.failures))
        return "retry"
    if result.synced or result.dead_lettered:
        rt.stalls.cleared(buffer)  # HubSpot answered
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
