"""Webhooks about privacy."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.shopify import parse_payload
from shopspot.topics import Kind
from tasks.base import SyncTask
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.PRIVACY), base=SyncTask, kind=Kind.PRIVACY)
def sync_privacy(event: WebhookEvent) -> str:
    parse_payload(event.topic, event.payload)
    return "parsed"
