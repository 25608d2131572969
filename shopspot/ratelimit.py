"""One HubSpot rate budget per account, shared by every process on every machine.

HubSpot counts requests per account in a rolling 10-second window, a daily count, and a
separate per-second budget for search. Celery's own `rate_limit` is per worker, so the
budget lives in Redis: one Lua script takes a slot atomically, using Redis's clock (no
clock skew between machines), and answers how long to wait when there is none. Callers
wait for a slot instead of earning 429s; a 429 that still happens (another app on the
same account, a budget set too high) starts a cooldown that pauses every process at once.

An exact sliding log (a sorted set of request times) rather than a fixed window or a
counter estimate, because HubSpot's window is rolling: a fixed window allows twice the
limit across a boundary, and an estimate overshoots at the edges.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import cast

import redis

KEY_PREFIX = "shopspot:ratelimit:"

# KEYS: window log, daily counter, cooldown. ARGV: limit, window ms, daily limit (0 = none),
# a unique member. Returns {granted (1/0), wait ms, policy}.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local cooldown = redis.call('PTTL', KEYS[3])
if cooldown > 0 then
  return {0, cooldown, 'cooldown'}
end
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local daily_limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window_ms)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + window_ms - now_ms), 'window'}
end
if daily_limit > 0 then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used >= daily_limit then
    local ms_into_day = now_ms % 86400000
    return {0, 86400000 - ms_into_day, 'daily'}
  end
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], 90000000)
end
redis.call('ZADD', KEYS[1], now_ms, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window_ms)
return {1, 0, 'ok'}
"""


# KEYS: window log, cooldown. ARGV: limit, window ms. Takes nothing; returns the ms until
# a slot is free (0: now).
_FREE_IN = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local cooldown = redis.call('PTTL', KEYS[2])
if cooldown > 0 then
  return cooldown
end
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local since = '(' .. (now_ms - window_ms)
local used = redis.call('ZCOUNT', KEYS[1], since, '+inf')
if used < limit then
  return 0
end
local freeing = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT',
                           used - limit, 1)
return math.max(1, tonumber(freeing[2]) + window_ms - now_ms)
"""


@dataclass(frozen=True)
class Budget:
    """`limit` requests per rolling `window_seconds`, and `daily_limit` per UTC day."""

    name: str
    limit: int
    window_seconds: float
    daily_limit: int = 0


class RateLimitWait(Exception):
    """No slot within the caller's patience; `wait_seconds` says when to come back."""

    def __init__(self, budget: str, policy: str, wait_seconds: float) -> None:
        super().__init__(f"{budget} budget: no slot for {wait_seconds:.1f} s ({policy})")
        self.policy = policy
        self.wait_seconds = wait_seconds


class RateLimiter:
    def __init__(self, client: redis.Redis, account: str) -> None:
        self._redis = client
        self.account = account
        self._script = client.register_script(_ACQUIRE)
        self._free_in = client.register_script(_FREE_IN)

    def _keys(self, budget: Budget) -> list[str]:
        base = f"{KEY_PREFIX}{self.account}:{budget.name}"
        day = time.strftime("%Y-%m-%d", time.gmtime())
        return [f"{base}:window", f"{base}:day:{day}", f"{base}:cooldown"]

    def try_acquire(self, budget: Budget) -> tuple[float, str]:
        """Take a slot if there is one: (0, "ok"), else (seconds to wait, policy)."""
        granted, wait_ms, policy = cast(
            list[bytes | int],
            self._script(
                keys=self._keys(budget),
                args=[
                    budget.limit,
                    int(budget.window_seconds * 1000),
                    budget.daily_limit,
                    uuid.uuid4().hex,
                ],
            ),
        )
        label = policy.decode() if isinstance(policy, bytes) else str(policy)
        return (0.0, label) if granted else (int(wait_ms) / 1000, label)

    def free_in(self, budget: Budget) -> float:
        """Seconds until `try_acquire` would grant a slot of the window (0: now), taking none;
        the daily limit is left to `acquire`."""
        keys = self._keys(budget)
        wait_ms = self._free_in(
            keys=[keys[0], keys[2]], args=[budget.limit, int(budget.window_seconds * 1000)]
        )
        return int(cast(int, wait_ms)) / 1000

    def acquire(self, budget: Budget, max_wait: float) -> None:
        """Wait for a slot; a wait longer than `max_wait` raises `RateLimitWait` instead."""
        deadline = time.monotonic() + max_wait
        while True:
            wait, policy = self.try_acquire(budget)
            if not wait:
                return
            if time.monotonic() + wait > deadline:
                raise RateLimitWait(budget.name, policy, wait)
            time.sleep(wait)

    def cool_down(self, budget: Budget, seconds: float) -> None:
        """After a 429: every process of this account pauses this budget for `seconds`."""
        self._redis.set(self._keys(budget)[2], b"1", px=max(1, int(seconds * 1000)))

    def used_today(self, budget: Budget) -> int:
        return int(cast(bytes | None, self._redis.get(self._keys(budget)[1])) or 0)
