"""The envelope a webhook travels in from the receiver to its task (and to a dead letter)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shopspot.shopify.fields import MAX_ID

# Shopify ids as digit strings, and checkout tokens (hex, or letters, digits and dashes).
_ID_OR_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class WebhookEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shop: str
    topic: str
    event_id: str | None = None
    webhook_id: str | None = None
    api_version: str | None = None
    triggered_at: str | None = None
    received_at: float
    # The payload carries customer PII: it never appears in a repr or a log line.
    payload: dict[str, Any] = Field(repr=False)

    @property
    def delivery_key(self) -> str:
        """What makes two deliveries the same: the shop, the topic and Shopify's event id.

        The event id is shared by all deliveries of one merchant action (retries included);
        the webhook id stands in when an older sender leaves the event id out.
        """
        return f"{self.shop}|{self.topic}|{self.event_id or self.webhook_id}"

    def describe(self) -> dict[str, Any]:
        """What a log line may say about the event: no payload values."""
        return {
            "shop": self.shop,
            "topic": self.topic,
            "event_id": self.event_id or self.webhook_id,
            "object_id": object_id(self.payload),
        }


def object_id(payload: dict[str, Any]) -> str | None:
    """The Shopify id (or checkout token) the payload is about, for logs and status.

    Only a value shaped like an id or a token counts: the payload is not validated yet, and
    whatever a bad one holds in its place (an email address, a megabyte) must not reach a log.
    """
    for key in ("id", "customer_id", "token", "shop_id"):
        found = id_or_token(payload.get(key))
        if found is not None:
            return found
    return None


def id_or_token(value: Any) -> str | None:
    """The value as a string if it is shaped like a Shopify id or a checkout token."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID:
        return str(value)
    if isinstance(value, str) and _ID_OR_TOKEN.fullmatch(value):
        return value
    return None
