"""How a failure should be handled, declared by the code that raises it.

What a declaration leads to (another try, a wait, a dead letter) is decided by the retry
policy in `shopspot.retry`, which every retry asks.
"""

from __future__ import annotations


class TransientError(Exception):
    """Worth retrying with backoff: a timeout, a 5xx, a connection that dropped."""


class RetryAfter(TransientError):
    """The remote side asked to come back later (a rate limit); not counted as a failure."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class PermanentError(Exception):
    """Retrying cannot help (a payload that does not parse, a 4xx validation error)."""
