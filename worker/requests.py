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
from collections.abc import Callable
from functools import partial
from typing import Any

from celery import Task
from celery.worker.request import Request

log = logging.getLogger("shopspot.worker")


class DetachedSafeRequest(Request):  # type: ignore[misc]
    def acknowledge(self) -> None:
        self._settle("finished", super().acknowledge)

    def reject(self, requeue: bool = False) -> None:
        self._settle("was rejected", partial(super().reject, requeue=requeue))

    def _settle(self, what: str, settle: Callable[[], None]) -> None:
        try:
            settle()
        except AttributeError:
            log.warning("%s %s after its broker connection was lost; Redis delivers it again "
                        "after the visibility timeout", self.task_name, what)  # fmt: skip


class ResilientTask(Task):  # type: ignore[misc]
    """Every Shopspot task's base: its requests are `DetachedSafeRequest`s."""

    Request: Any = "worker.requests:DetachedSafeRequest"
