"""One way to open Redis for Shopspot's own state (the broker has its own connections), and
one way to erase many of its keys at once."""

from __future__ import annotations

from collections.abc import Iterable

import redis

# A shop's state can run to many thousands of keys: one DEL per batch keeps each command small.
_DELETE_BATCH = 500


def connect(url: str, *, timeout: float = 5.0) -> redis.Redis:
    # Bounded timeouts turn an unreachable Redis into an error within `timeout` seconds,
    # which the receiver answers with 503 while Shopify is still waiting.
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )


def delete_matching(client: redis.Redis, pattern: str, names: Iterable[str] = ()) -> int:
    """Delete `names` and every key matching the glob `pattern`; returns how many existed."""
    doomed = [*names, *client.scan_iter(match=pattern, count=1000)]
    return sum(
        int(client.delete(*doomed[start : start + _DELETE_BATCH]))
        for start in range(0, len(doomed), _DELETE_BATCH)
    )
