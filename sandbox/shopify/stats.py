"""Counters the control endpoint reports."""

from __future__ import annotations

import threading

NAMES = (
    "graphql_requests",
    "graphql_throttled",
    "graphql_max_cost_exceeded",
    "rest_requests",
    "rest_throttled",
    "bulk_operations",
    "changes",
    "webhooks_emitted",
    "webhooks_sent",
    "webhooks_failed",
    "webhooks_dropped",
    "webhooks_duplicated",
    "webhooks_retried",
    "webhook_attempts",
    "webhook_failed_attempts",
    "subscriptions_removed",
)


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(NAMES, 0)

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)
