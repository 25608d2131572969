"""The checkouts waiting to be called abandoned, indexed by the time they become due (D8).

The sweep reads only what is due, so its cost grows with the checkouts that are due, not
with every pending one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import cast

import redis

_KEY = "shopspot:checkouts-due"
_LAST_SWEPT = "shopspot:sweep:last-run"


class CheckoutsDue:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def schedule(self, due_at: Mapping[str, float]) -> None:
        """Deal keys of pending checkouts, each with the time it becomes abandoned."""
        if due_at:
            self._redis.zadd(_KEY, dict(due_at))

    def cancel(self, deal_keys: Iterable[str]) -> None:
        keys = list(deal_keys)
        if keys:
            self._redis.zrem(_KEY, *keys)

    def due(self, now: float, page: int) -> Iterator[list[str]]:
        """Every checkout due at `now`, a page at a time. The due ones score lowest, so each
        page costs the due ones before it, never the pending ones behind them."""
        offset = 0
        while True:
            raws = cast(
                list[bytes],
                self._redis.zrangebyscore(_KEY, "-inf", now, start=offset, num=page),
            )
            if raws:
                yield [raw.decode() for raw in raws]
            if len(raws) < page:
                return
            offset += page

    def pending(self) -> int:
        return int(self._redis.zcard(_KEY))

    def swept(self, now: float) -> None:
        """A sweep has queued everything due at `now`."""
        self._redis.set(_LAST_SWEPT, str(now))

    def last_swept(self) -> float | None:
        raw = cast(bytes | None, self._redis.get(_LAST_SWEPT))
        return float(raw) if raw else None

    def next_due(self) -> float | None:
        first = cast(list[tuple[bytes, float]], self._redis.zrange(_KEY, 0, 0, withscores=True))
        return first[0][1] if first else None
