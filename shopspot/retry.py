"""The retry policy, decided here and nowhere else: which failures are worth another try,
what may be sent again, how long to wait before it, and when to give up.

Every retry asks it: the HTTP clients (`shopspot.http`) about one request, the flush task
about one buffer, the base task about one event. A wait the remote side asked for (a rate
limit) is not a failure: it never counts towards giving up, and it is waited out as asked
rather than backed off.
"""

from __future__ import annotations

import enum
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import redis

from shopspot.errors import RetryAfter, TransientError

T = TypeVar("T")
log = logging.getLogger("shopspot.retry")

# Failures worth a retry wherever they are raised: ours, and the connections we use.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientError,
    redis.ConnectionError,
    redis.TimeoutError,
    httpx.TransportError,
)

# Failures of a request that never left this process: no connection was made, or none was
# free in the pool. Any other transport failure may have reached the other side.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Repeat(enum.Enum):
    """What sending a request again, after a failure that may have reached the other side,
    can do."""

    # Reads, PUT, DELETE, upserts and associations by key: the same effect again.
    SAFE = "safe"
    # A create the other side refuses to make twice (HubSpot's 409, Shopify's "already been
    # taken"): a repeat at worst earns that refusal, which its caller takes as "found".
    REFUSED_TWICE = "refused twice"
    # Anything else, a create in particular: sent again only if it never left.
    UNSENT_ONLY = "unsent only"

    @classmethod
    def by_method(cls, method: str) -> Repeat:
        return cls.SAFE if method in ("GET", "HEAD", "PUT", "DELETE") else cls.UNSENT_ONLY


def never_sent(failure: BaseException) -> bool:
    return isinstance(failure, _UNSENT)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff from `first_backoff_seconds`, capped at `max_backoff_seconds`;
    `attempts` tries in all (None: never give up); no try begins after `max_wait_seconds`
    of waiting, so a caller that can park the work (a Celery retry) gets it back instead."""

    first_backoff_seconds: float
    max_backoff_seconds: float
    attempts: int | None = None
    max_wait_seconds: float = math.inf

    def may_repeat(self, repeat: Repeat, failure: BaseException) -> bool:
        return repeat is not Repeat.UNSENT_ONLY or never_sent(failure)

    def gives_up(self, tries: int) -> bool:
        return self.attempts is not None and tries >= self.attempts

    def backoff(self, failures: int) -> float:
        """The wait after the `failures`-th failure in a row. Jittered down to half, so that
        the clients of one outage do not all come back at the same moment."""
        growing = self.first_backoff_seconds * 2.0 ** (failures - 1)
        return min(self.max_backoff_seconds, growing) * random.uniform(0.5, 1.0)


def rate_limit_wait(seconds: float) -> float:
    """A wait the remote side asked for, with a little jitter added (never taken off)."""
    return seconds + random.uniform(0.0, min(1.0, seconds * 0.1 + 0.1))


def hubspot_requests(attempts: int, max_wait_seconds: float) -> RetryPolicy:
    """One HubSpot call: quick tries within the caller's patience."""
    return RetryPolicy(0.5, 8.0, attempts, max_wait_seconds)


# One Shopify Admin call: Shopify's 5xx bursts last longer than HubSpot's.
SHOPIFY_REQUESTS = RetryPolicy(0.5, 30.0, attempts=8)


def tasks(max_retries: int, max_backoff_seconds: float) -> RetryPolicy:
    """One event's task: retried `max_retries` times, then dead-lettered."""
    return RetryPolicy(1.0, max_backoff_seconds, attempts=max_retries + 1)


# A command's own steps (set-up, the inline flushes of the import, the sweep, verify): they
# ride out a HubSpot hiccup or contacts still held by a process that died (W8, W9), and give
# up only after minutes.
DRAINS = RetryPolicy(0.5, 30.0, attempts=12)


def persevere(step: Callable[[], T], policy: RetryPolicy = DRAINS) -> T:
    """Run a step that is safe to run again whole (it finds what an earlier run made) until
    it ends without a transient failure: a rate limit waited out as asked, anything else
    transient backed off, up to the policy's attempts."""
    failures = 0
    while True:
        try:
            return step()
        except RetryAfter as exc:
            time.sleep(rate_limit_wait(exc.wait_seconds))
        except TRANSIENT_ERRORS as exc:
            failures += 1
            if policy.gives_up(failures):
                raise
            log.warning("%s; trying again", type(exc).__name__)
            time.sleep(policy.backoff(failures))


def flushes(max_backoff_seconds: float) -> RetryPolicy:
    """One buffer's flush. Never given up on a transient failure: the writes wait in Redis
    for as long as HubSpot is away, and the log says so once the wait grows long."""
    return RetryPolicy(5.0, max_backoff_seconds)
