"""What the receiver's views share: settings, Redis, the delivery ledger, the messages it queues
for Celery's workers, the traces."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import Flask

from shopspot.deliveries import DeliveryLedger
from shopspot.settings import Settings, Store
from shopspot.trace.store import TraceStore
from worker.enqueue import TaskMessages


@dataclass(frozen=True)
class ReceiverContext:
    settings: Settings
    stores: dict[str, Store]
    redis: redis.Redis
    ledger: DeliveryLedger
    messages: TaskMessages
    traces: TraceStore


def receiver_context(app: Flask) -> ReceiverContext:
    context: ReceiverContext = app.extensions["shopspot"]
    return context
