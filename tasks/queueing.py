"""Webhook events into the pending buffers, and the flushes that empty them."""

from __future__ import annotations

import logging

from shopspot.events import WebhookEvent
from shopspot.shopify import parse_payload
from shopspot.sync.items import item_for
from tasks.base import runtime
from worker.app import app
from worker.routing import FLUSH_QUEUES, FLUSH_TASK

log = logging.getLogger("shopspot.tasks")

_SCHEDULED = "shopspot:flush-scheduled:"
# How long a scheduled flush may take to start before another may be scheduled.
_SCHEDULED_MARK_SECONDS = 30.0


def queue_event(event: WebhookEvent, unchanged: str = "unchanged") -> str:
    """Parse the event and queue its write; returns the task's outcome.

    `unchanged` is the outcome of a topic that writes nothing to HubSpot.
    """
    rt = runtime()
    model = parse_payload(event.topic, event.payload)
    target = item_for(event, model, rt.memory)
    if target is None:
        return unchanged
    buffer, item = target
    outcome = rt.buffers[buffer].offer(item)
    if outcome != "queued":
        return outcome  # stale or duplicate: newest wins, one effect
    schedule_flush(buffer, rt.settings.flush_delay_seconds)
    return outcome


def schedule_flush(buffer: str, countdown: float = 0.0) -> None:
    """At most one flush of a buffer waits on the queue at a time; it takes what waits.

    The mark outlasts the countdown, so that a flush backing off from HubSpot is not
    overtaken by flushes for what arrives meanwhile.
    """
    mark_ms = int((countdown + _SCHEDULED_MARK_SECONDS) * 1000)
    if runtime().redis.set(_SCHEDULED + buffer, b"1", nx=True, px=mark_ms):
        app.send_task(FLUSH_TASK, args=[buffer], queue=FLUSH_QUEUES[buffer], countdown=countdown)


def flush_started(buffer: str) -> None:
    # From now on, what is offered needs a flush of its own.
    runtime().redis.delete(_SCHEDULED + buffer)
