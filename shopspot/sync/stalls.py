"""Flushes that keep failing, per buffer, in Redis: how many in a row, since when, and why.

The flush task backs off by the count; `shopspot status` shows how long the oldest failing
write has waited and why. The next flush that writes clears it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import cast

import redis

KEY_PREFIX = "shopspot:flush-stall:"


@dataclass(frozen=True)
class Stall:
    failures: int  # flushes failed in a row
    since: float  # when the first of them failed
    reason: str  # why the latest one failed

    def waited(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.since


class Stalls:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def failed(self, buffer: str, reason: str, now: float | None = None) -> Stall:
        """Count one more failed flush of `buffer`; returns the stall it is part of."""
        key = KEY_PREFIX + buffer
        with self._redis.pipeline() as pipe:
            pipe.hincrby(key, "failures", 1)
            pipe.hsetnx(key, "since", time.time() if now is None else now)
            pipe.hset(key, "reason", reason)
            pipe.hgetall(key)
            *_, fields = pipe.execute()
        return _stall(fields)

    def overdue(
        self, buffer: str, stall: Stall, after_seconds: float, now: float | None = None
    ) -> bool:
        """True once per stall: the first time it is seen waiting `after_seconds` or more."""
        if stall.waited(now) < after_seconds:
            return False
        return bool(self._redis.hsetnx(KEY_PREFIX + buffer, "warned", 1))

    def cleared(self, buffer: str) -> None:
        self._redis.delete(KEY_PREFIX + buffer)

    def get(self, buffer: str) -> Stall | None:
        fields = cast(dict[bytes, bytes], self._redis.hgetall(KEY_PREFIX + buffer))
        return _stall(fields) if b"failures" in fields else None


def _stall(fields: dict[bytes, bytes]) -> Stall:
    return Stall(
        failures=int(fields[b"failures"]),
        since=float(fields[b"since"]),
        reason=fields[b"reason"].decode(),
    )
