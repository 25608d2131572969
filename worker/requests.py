"""Celery's task request, made to survive acknowledging a message whose connection is gone.

A task that was running while Redis restarted finishes after the worker has reconnected, and
acknowledges its message through the old channel. Celery 5.7 has detached that channel from
its connection, so kombu raises AttributeError while building a client for it. Celery runs
the acknowledgement later, in the worker's event loop (it queues the message's
`ack_log_error`), where kombu catches only the connection errors the request hands it: any
other error stops the worker with "Unrecoverable error". AttributeError joins them, so kombu
logs that it could not acknowledge instead. Nothing is lost by not acknowledging: the
message stays in Redis's unacked set and is delivered again after the visibility timeout,
and every task is safe to run twice.
"""

from __future__ import annotations

from typing import Any

from celery import Task
from celery.worker.request import Request


class DetachedSafeRequest(Request):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        errors: tuple[type[BaseException], ...] = self.connection_errors
        self._connection_errors = (*errors, AttributeError)


class ResilientTask(Task):  # type: ignore[misc]
    """Every Shopspot task's base: its requests are `DetachedSafeRequest`s."""

    Request: Any = "worker.requests:DetachedSafeRequest"
