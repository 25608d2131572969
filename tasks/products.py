"""Webhooks about products."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.shopify import parse_payload
from shopspot.topics import Kind
from tasks.base import SyncTask
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.PRODUCTS), base=SyncTask, kind=Kind.PRODUCTS)
def sync_products(event: WebhookEvent) -> str:
    parse_payload(event.topic, event.payload)
    return "parsed"
