"""When a flush is worth the HubSpot calls it makes.

HubSpot's rate budget is what is scarce, and a flush costs about the same handful of calls
(contacts, products, deals, line items, associations) whether it writes one order or a
hundred. A flush that would take a full batch spends its calls as well as they can be spent:
it waits only until the budget has a slot, so that it takes its batch when it can write it
rather than holding it while it waits. A thin batch buys latency with calls, which is worth
it only while HubSpot has budget to spare: thin flushes share a part of the budget, each
paying for its calls with time. Thin flushes may run ahead of their share by a little
(AHEAD), so that events spaced out enough to stay within it never wait; beyond that, the next
thin flush waits until what they owe is paid, and meanwhile what arrives waits in the buffer,
for the flush that follows to take all of it. A lone event is written after the flush delay;
a steady stream is written in batches that grow with it, at a cost in calls that its share of
the budget bounds.
"""

from __future__ import annotations

import redis

from shopspot.ratelimit import Budget, RateLimiter

_KEY_PREFIX = "shopspot:flush-pace:"
# How far thin flushes may run ahead of their share, as a part of the budget's limit: two
# flushes of lone orders (7 calls each) under HubSpot's lowest limit, which a stream sustained
# for minutes adds little to.
AHEAD = 0.15

# KEYS: what thin flushes owe. ARGV: ms to add. What they owe is kept as the key's time to
# live: the time until their calls are paid for at their share of the budget.
_OWE = """
local owed = math.max(0, redis.call('PTTL', KEYS[1]))
redis.call('SET', KEYS[1], '1', 'PX', owed + tonumber(ARGV[1]))
return 1
"""


class FlushPace:
    """Shared by every process writing to one HubSpot account, as its budget is."""

    def __init__(
        self, client: redis.Redis, limiter: RateLimiter, budget: Budget, share: float
    ) -> None:
        self._redis = client
        self._limiter = limiter
        self._budget = budget
        self._key = f"{_KEY_PREFIX}{limiter.account}:{budget.name}"
        # HubSpot calls a second that thin flushes may spend.
        self._rate = share * budget.limit / budget.window_seconds
        self._ahead_seconds = AHEAD * budget.limit / self._rate
        self._owe = client.register_script(_OWE)

    def wait(self, full: bool) -> float:
        """Seconds a flush should wait before it takes its batch (0: take it now); `full`
        says whether a full batch waits."""
        slot = self._limiter.free_in(self._budget)
        if full:
            return slot
        owed = max(0, int(self._redis.pttl(self._key))) / 1000
        return max(slot, owed - self._ahead_seconds)

    def paid(self, calls: int) -> None:
        """A thin flush made `calls` calls: the next one waits until they are paid for."""
        if calls:
            self._owe(keys=[self._key], args=[max(1, round(calls / self._rate * 1000))])
