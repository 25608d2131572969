"""The flushes that empty the pending buffers: at most one waits per buffer."""

from __future__ import annotations

from shopspot.topics import Buffer
from tasks.base import runtime
from worker.app import app
from worker.routing import FLUSH_QUEUES, FLUSH_TASK

_SCHEDULED = "shopspot:flush-scheduled:"


def schedule_flush(buffer: Buffer, countdown: float = 0.0) -> None:
    """At most one flush of a buffer waits on the queue at a time; it takes what waits."""
    if runtime().redis.set(_SCHEDULED + buffer, b"1", nx=True, px=30_000):
        app.send_task(FLUSH_TASK, args=[buffer], queue=FLUSH_QUEUES[buffer], countdown=countdown)


def flush_started(buffer: Buffer) -> None:
    # From now on, what is offered needs a flush of its own.
    runtime().redis.delete(_SCHEDULED + buffer)
