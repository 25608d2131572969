"""Request counters for `GET /_sandbox/stats`."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear()

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self._requests = 0
        self._by_endpoint: Counter[str] = Counter()
        self._by_status: Counter[int] = Counter()
        self._rate_limited: Counter[str] = Counter()
        self._injected: Counter[str] = Counter()
        self._write_requests = 0

    def record(self, endpoint: str, status: int, write: bool) -> None:
        with self._lock:
            self._requests += 1
            self._by_endpoint[endpoint] += 1
            self._by_status[status] += 1
            if write and 200 <= status < 300:
                self._write_requests += 1

    def rate_limited(self, policy: str) -> None:
        with self._lock:
            self._rate_limited[policy] += 1

    def injected(self, fault: str) -> None:
        with self._lock:
            self._injected[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self._requests,
                "by_endpoint": dict(sorted(self._by_endpoint.items())),
                "by_status": {str(k): v for k, v in sorted(self._by_status.items())},
                "rate_limited": dict(self._rate_limited),
                "injected_faults": dict(self._injected),
                "successful_write_requests": self._write_requests,
            }
