"""Celery's task request, made to survive acknowledging a message whose connection is gone.

A task that was running while Redis restarted finishes after the worker has reconnected, and
acknowledges its message through the old channel. Celery 5.7 has detached that channel from
its connection, so kombu raises AttributeError while building a client for it; only
connection errors are caught there, so the worker dies with "Unrecoverable error". Nothing
is lost by not acknowledging: the message stays in Redis's unacked set and is delivered
again after the visibility timeout, and every task is safe to run twice.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from celery.worker.request import Request

log = logging.getLogger("shopspot.worker")


class DetachedSafeRequest(Request):  # type: ignore[misc]
    def acknowledge(self) -> None:
        try:
            super().acknowledge()
        except AttributeError:
            log.warning("%s finished after its broker connection was lost; Redis delivers it "
                        "again after the visibility timeout", self.task_name)  # fmt: skip

    def reject(self, requeue: bool = False) -> None:
        try:
            super().reject(requeue=requeue)
        except AttributeError:
            log.warning("%s was rejected after its broker connection was lost; Redis delivers "
                        "it again after the visibility timeout", self.task_name)  # fmt: skip


class ResilientTask(Task):  # type: ignore[misc]
    """Every Shopspot task's base: its requests are `DetachedSafeRequest`s."""

    Request: Any = "worker.requests:DetachedSafeRequest"
