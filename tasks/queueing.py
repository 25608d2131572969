"""The flushes that empty the pending buffers: at most one waits per buffer."""

from __future__ import annotations

from shopspot.topics import Buffer
from tasks.base import runtime
from worker.app import app
from worker.routing import FLUSH_QUEUES, FLUSH_TASK

_SCHEDULED = "shopspot:flush-scheduled:"
# How long a scheduled flush may take to start before another may be scheduled.
_SCHEDULED_MARK_SECONDS = 30.0


def schedule_flush(buffer: Buffer, countdown: float = 0.0) -> None:
    """At most one flush of a buffer waits on the queue at a time; it takes what waits.

    The mark outlasts the countdown, so that a flush backing off from HubSpot is not
    overtaken by flushes for what arrives meanwhile.
    """
    mark_ms = int((countdown + _SCHEDULED_MARK_SECONDS) * 1000)
    if runtime().redis.set(_SCHEDULED + buffer, b"1", nx=True, px=mark_ms):
        app.send_task(FLUSH_TASK, args=[buffer], queue=FLUSH_QUEUES[buffer], countdown=countdown)


def flush_started(buffer: Buffer) -> None:
    # From now on, what is offered needs a flush of its own.
    runtime().redis.delete(_SCHEDULED + buffer)
