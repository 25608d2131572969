"""How a failure should be handled, declared by the code that raises it.

The worker's base task turns these into a retry or a dead letter; nothing else decides.
"""

from __future__ import annotations

import httpx
import redis


class TransientError(Exception):
    """Worth retrying with backoff: a timeout, a 5xx, a connection that dropped."""


class RetryAfter(TransientError):
    """The remote side asked to come back later (a rate limit); not counted as a failure."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class PermanentError(Exception):
    """Retrying cannot help (a payload that does not parse, a 4xx validation error)."""


# Failures worth a retry wherever they are raised: ours, and the connections we use.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientError,
    redis.ConnectionError,
    redis.TimeoutError,
    httpx.TransportError,
)
