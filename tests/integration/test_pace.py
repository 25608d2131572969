"""When a flush is worth its calls, on a real Redis."""

from __future__ import annotations

import pytest
import redis

from shopspot.ratelimit import Budget, RateLimiter
from shopspot.sync.pace import AHEAD, FlushPace

pytestmark = pytest.mark.integration

# 90 calls per 10 s, half of them for thin flushes: 4.5 calls a second, 22.5 calls ahead.
BUDGET = Budget("calls", limit=90, window_seconds=10)
SHARE = 0.5


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def pace(client: redis.Redis, account: str = "portal-1") -> tuple[FlushPace, RateLimiter]:
    limiter = RateLimiter(client, account)
    return FlushPace(client, limiter, BUDGET, SHARE), limiter


def test_thin_flushes_run_ahead_of_their_share_then_wait_for_their_calls_to_be_paid(
    client: redis.Redis,
) -> None:
    flushes, _ = pace(client)
    ahead = AHEAD * BUDGET.limit  # calls
    rate = SHARE * BUDGET.limit / BUDGET.window_seconds

    assert flushes.wait(full=False) == 0
    flushes.paid(int(ahead))
    assert flushes.wait(full=False) == 0  # still within what they may run ahead
    flushes.paid(9)
    owed = flushes.wait(full=False)
    assert 9 / rate - 0.2 < owed <= 9 / rate + 0.1
    assert flushes.wait(full=True) == 0  # a full batch does not wait for thin flushes' calls
    other_account, _ = pace(client, "portal-2")
    assert other_account.wait(full=False) == 0


def test_every_flush_waits_for_a_slot_of_the_budget(client: redis.Redis) -> None:
    flushes, limiter = pace(client)
    limiter.cool_down(BUDGET, 3.0)

    assert 2.5 < flushes.wait(full=True) <= 3
    assert 2.5 < flushes.wait(full=False) <= 3


def test_a_flush_that_made_no_call_owes_nothing(client: redis.Redis) -> None:
    flushes, _ = pace(client)
    flushes.paid(0)

    assert client.keys("shopspot:flush-pace:*") == []
