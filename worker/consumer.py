"""Celery's consumer, made to survive losing Redis while it holds unacknowledged messages.

Celery 5.7 closes the broker connection right after collecting it when the connection is
lost. Closing the channel then tries to put the unacknowledged messages back through a
transport that the collect already detached, which raises AttributeError; only connection
errors are ignored there, so the worker dies with "Unrecoverable error" on every Redis
restart that finds a task running or a retry waiting. Nothing is lost by skipping that
close: those messages stay in Redis's unacked set and are redelivered after the visibility
timeout, which is what happens anyway when Redis cannot be reached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery.worker.consumer import Consumer

log = logging.getLogger("shopspot.worker")


def _tolerant(close: Callable[[], Any]) -> Callable[[], None]:
    def close_detached() -> None:
        try:
            close()
        except AttributeError:
            log.warning("broker connection already detached; unacked messages stay in Redis")

    return close_detached


class ResilientConsumer(Consumer):  # type: ignore[misc]
    def on_connection_error_after_connected(self, exc: Exception) -> None:
        if self.connection is not None:
            self.connection.close = _tolerant(self.connection.close)
        super().on_connection_error_after_connected(exc)
