"""One way to open Redis for Shopspot's own state (the broker has its own connections)."""

from __future__ import annotations

import redis


def connect(url: str, *, timeout: float = 5.0) -> redis.Redis:
    # Bounded timeouts turn an unreachable Redis into an error within `timeout` seconds,
    # which the receiver answers with 503 while Shopify is still waiting.
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )
