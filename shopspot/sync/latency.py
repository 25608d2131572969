"""How long events take from the receiver to HubSpot: the last writes' times, for the demo
and for operators."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import cast

import redis

_LATENCIES = "shopspot:latencies"
KEEP = 10_000


def record(client: redis.Redis, received_at: Iterable[float]) -> None:
    now = time.time()
    seconds = [f"{max(0.0, now - moment):.3f}" for moment in received_at]
    if seconds:
        with client.pipeline(transaction=False) as pipe:
            pipe.lpush(_LATENCIES, *seconds)
            pipe.ltrim(_LATENCIES, 0, KEEP - 1)
            pipe.execute()


def recorded(client: redis.Redis) -> list[float]:
    """The seconds of the last writes, newest first."""
    raws = cast(list[bytes], client.lrange(_LATENCIES, 0, -1))
    return [float(seconds) for seconds in raws]
