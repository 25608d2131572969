"""Webhook deliveries as Shopify makes them."""

from __future__ import annotations

import json
import uuid
from typing import Any

from shopspot.signatures import sign
from tests.support.env import SECRET, SHOP


def delivery(
    topic: str,
    payload: Any,
    *,
    shop: str = SHOP,
    secret: str = SECRET,
    event_id: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A webhook body and headers as Shopify sends them (compact JSON, signed)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Hmac-Sha256": sign(body, secret),
        "X-Shopify-API-Version": "2026-04",
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": "2026-11-27T12:00:00.000000Z",
    }
    return body, headers
