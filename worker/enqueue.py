"""How the receiver hands an event to its task."""

from __future__ import annotations

from celery import Celery

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from worker.routing import queue_name, task_name

# The receiver must answer Shopify within 5 s: a short publish retry, then 503 so that
# Shopify redelivers later, instead of the worker's long policy.
RECEIVER_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.1,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


class EnqueueError(Exception):
    pass


class CeleryPublisher:
    def __init__(self, app: Celery) -> None:
        self._app = app

    def publish(self, kind: Kind, event: WebhookEvent) -> None:
        try:
            self._app.send_task(
                task_name(kind),
                kwargs={"event": event.model_dump(mode="json")},
                queue=queue_name(kind),
                retry=True,
                retry_policy=RECEIVER_PUBLISH_RETRY_POLICY,
            )
        except Exception as exc:
            # Whatever stops the publish (broker down, timeout, serialization), the answer
            # to Shopify is the same: not accepted, deliver again.
            raise EnqueueError(type(exc).__name__) from exc
