"""The shared HubSpot budget on a real Redis."""

from __future__ import annotations

import time

import pytest
import redis

from shopspot.ratelimit import Budget, RateLimiter, RateLimitWait

pytestmark = pytest.mark.integration


@pytest.fixture
def limiter(redis_url: str) -> RateLimiter:
    return RateLimiter(redis.Redis.from_url(redis_url), account="portal-1")


def test_the_window_grants_its_limit_then_says_how_long_to_wait(limiter: RateLimiter) -> None:
    budget = Budget("calls", limit=3, window_seconds=0.5)
    granted = [limiter.try_acquire(budget) for _ in range(3)]
    wait, policy = limiter.try_acquire(budget)

    assert granted == [(0.0, "ok")] * 3
    assert policy == "window"
    assert 0 < wait <= 0.5
    time.sleep(wait)
    assert limiter.try_acquire(budget) == (0.0, "ok")


def test_free_in_says_when_a_slot_frees_and_takes_none(limiter: RateLimiter) -> None:
    budget = Budget("calls", limit=2, window_seconds=2)
    assert limiter.free_in(budget) == 0
    assert limiter.free_in(budget) == 0  # asking took no slot
    granted = [limiter.try_acquire(budget) for _ in range(2)]
    free_in = limiter.free_in(budget)
    wait, _ = limiter.try_acquire(budget)

    assert granted == [(0.0, "ok")] * 2
    assert 1.5 < free_in <= 2
    assert free_in - 0.2 < wait <= free_in
    limiter.cool_down(budget, 5)
    assert 4 < limiter.free_in(budget) <= 5


def test_acquire_waits_for_a_slot_within_its_patience(limiter: RateLimiter) -> None:
    budget = Budget("calls", limit=2, window_seconds=0.3)
    for _ in range(2):
        limiter.acquire(budget, max_wait=0)
    started = time.monotonic()
    limiter.acquire(budget, max_wait=1)

    assert time.monotonic() - started > 0.1


def test_a_wait_beyond_the_callers_patience_is_raised(limiter: RateLimiter) -> None:
    budget = Budget("slow", limit=1, window_seconds=30)
    limiter.acquire(budget, max_wait=0)
    with pytest.raises(RateLimitWait) as raised:
        limiter.acquire(budget, max_wait=1)

    assert raised.value.policy == "window"
    assert 29 < raised.value.wait_seconds <= 30


def test_the_daily_limit_refuses_until_the_next_day(limiter: RateLimiter) -> None:
    budget = Budget("calls", limit=100, window_seconds=10, daily_limit=2)
    limiter.try_acquire(budget)
    limiter.try_acquire(budget)
    wait, policy = limiter.try_acquire(budget)

    assert policy == "daily"
    assert 0 < wait <= 86_400
    assert limiter.used_today(budget) == 2


def test_a_cooldown_pauses_every_user_of_the_budget(redis_url: str) -> None:
    first = RateLimiter(redis.Redis.from_url(redis_url), account="portal-1")
    second = RateLimiter(redis.Redis.from_url(redis_url), account="portal-1")
    other_account = RateLimiter(redis.Redis.from_url(redis_url), account="portal-2")
    budget = Budget("calls", limit=100, window_seconds=10)
    first.cool_down(budget, 0.5)

    wait, policy = second.try_acquire(budget)
    assert policy == "cooldown"
    assert 0 < wait <= 0.5
    assert other_account.try_acquire(budget) == (0.0, "ok")
    assert second.try_acquire(Budget("search", limit=4, window_seconds=1)) == (0.0, "ok")
