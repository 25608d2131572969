"""What the receiver's views share: settings, Redis, the delivery ledger, the publisher,
the traces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import redis
from flask import Flask

from shopspot.deliveries import DeliveryLedger
from shopspot.events import WebhookEvent
from shopspot.settings import Settings, Store
from shopspot.topics import Kind
from shopspot.trace.store import TraceStore


class Publisher(Protocol):
    def publish(self, kind: Kind, event: WebhookEvent) -> None:
        """Enqueue the event for its task; raise `worker.enqueue.EnqueueError` if it cannot."""


@dataclass(frozen=True)
class ReceiverContext:
    settings: Settings
    stores: dict[str, Store]
    redis: redis.Redis
    ledger: DeliveryLedger
    publisher: Publisher
    traces: TraceStore


def receiver_context(app: Flask) -> ReceiverContext:
    context: ReceiverContext = app.extensions["shopspot"]
    return context
