"""What the receiver's views share: settings, Redis, the delivery ledger, the Celery app whose
messages it queues, the traces."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from celery import Celery
from flask import Flask

from shopspot.deliveries import DeliveryLedger
from shopspot.settings import Settings, Store
from shopspot.trace.store import TraceStore


@dataclass(frozen=True)
class ReceiverContext:
    settings: Settings
    stores: dict[str, Store]
    redis: redis.Redis
    ledger: DeliveryLedger
    celery: Celery
    traces: TraceStore


def receiver_context(app: Flask) -> ReceiverContext:
    context: ReceiverContext = app.extensions["shopspot"]
    return context
