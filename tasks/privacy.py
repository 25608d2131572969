"""Shopify's mandatory privacy topics (W5) and app/uninstalled."""

from __future__ import annotations

from shopspot.events import WebhookEvent
from shopspot.shopify.models import CustomerDataRequest, CustomerRedact, ShopRedact
from shopspot.topics import Kind, parse_payload
from tasks.base import SyncTask, runtime
from worker.app import app
from worker.routing import task_name


@app.task(name=task_name(Kind.PRIVACY), base=SyncTask, kind=Kind.PRIVACY)
def sync_privacy(event: WebhookEvent) -> str:
    office = runtime().privacy
    model = parse_payload(event.topic, event.payload)
    # The delivery's verified shop header names the shop, never the payload's own field.
    if isinstance(model, CustomerRedact):
        return f"erased {office.redact_customer(event.shop, model)}"
    if isinstance(model, ShopRedact) and event.topic == "shop/redact":
        return f"erased {office.redact_shop(event.shop)}"
    if isinstance(model, CustomerDataRequest):
        office.record_data_request(event.shop, model)
        return "recorded"
    # app/uninstalled: shop/redact follows 48 hours later unless the app is reinstalled.
    return "noted"
