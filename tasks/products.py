"""Webhooks about products: queued for the next batch write to HubSpot."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from tasks.base import SyncTask
from tasks.queueing import queue_event
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.PRODUCTS), base=SyncTask, kind=Kind.PRODUCTS)
def sync_products(event: WebhookEvent) -> str:
    return queue_event(event)
