"""Webhooks about customers: queued for the next batch write to HubSpot.

customers/delete changes nothing: the HubSpot contact stays (C6), as in the native app.
"""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from tasks.base import SyncTask
from tasks.queueing import queue_event
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.CUSTOMERS), base=SyncTask, kind=Kind.CUSTOMERS)
def sync_customers(event: WebhookEvent) -> str:
    return queue_event(event, unchanged="contact_kept")
