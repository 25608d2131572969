"""Webhooks about orders."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.shopify import parse_payload
from shopspot.topics import Kind
from tasks.base import SyncTask
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.ORDERS), base=SyncTask, kind=Kind.ORDERS)
def sync_orders(event: WebhookEvent) -> str:
    parse_payload(event.topic, event.payload)
    return "parsed"
