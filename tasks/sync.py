"""Webhooks about customers, products, orders and checkouts: one task per kind (each on its
kind's queue), all doing the same thing, queueing the event's write for the next batch."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.sync.items import item_for
from shopspot.topics import Kind, parse_payload
from shopspot.trace.notes import about
from shopspot.trace.store import Step
from tasks.base import SyncTask, runtime
from tasks.queueing import schedule_flush
from worker.app import app
from worker.routing import task_name

SYNCED_KINDS = (Kind.CUSTOMERS, Kind.PRODUCTS, Kind.ORDERS, Kind.CHECKOUTS)


def queue_event(event: WebhookEvent) -> str:
    """Parse the event and queue its write: "queued", "stale" or "duplicate", or
    "unchanged" for a topic that writes nothing to HubSpot (customers/delete, C6)."""
    rt = runtime()
    target = item_for(event, parse_payload(event.topic, event.payload), rt.memory)
    if target is None:
        rt.traces.record([about(event, Step.TASK, "unchanged")])
        return "unchanged"
    buffer, item = target
    outcome = rt.buffers[buffer].offer(item)
    rt.traces.record(
        [about(event, Step.TASK, outcome, version=item.version, buffer=buffer, item=item.key)]
    )
    if outcome == "queued":
        schedule_flush(buffer, rt.settings.flush_delay_seconds)
    return outcome


for _kind in SYNCED_KINDS:
    app.task(name=task_name(_kind), base=SyncTask, kind=_kind)(queue_event)
