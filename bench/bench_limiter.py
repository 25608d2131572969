"""What the shared rate budget costs per HubSpot call.

The same authenticated GETs against a local HubSpot sandbox, through Shopspot's client,
once taking a slot from the Redis budget before each call and once without (a limiter
that never waits), in alternating rounds within one run so that machine noise hits both.
Run `python -m bench limiter` (or `make bench` for all).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

from bench.bench_hubspot_sandbox import TOKEN, _start_sandbox
from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.localredis import LocalRedis
from shopspot.ratelimit import Budget, RateLimiter

CALLS_PER_ROUND = 300
ROUNDS = 4


class _Unlimited(RateLimiter):
    def acquire(self, budget: Budget, max_wait: float) -> None:
        return None


def _timed(client: HubSpotClient) -> float:
    started = time.perf_counter()
    for _ in range(CALLS_PER_ROUND):
        client.request("GET", client.paths.objects("contacts"), params={"limit": "1"})
    return time.perf_counter() - started


def run() -> dict[str, Any]:
    sandbox, port = _start_sandbox()
    try:
        with tempfile.TemporaryDirectory() as folder, LocalRedis(Path(folder)) as server:
            store = redis.Redis.from_url(server.url)
            policy = ClientPolicy(rate_limit=10**9, daily_limit=10**9)
            url = f"http://127.0.0.1:{port}"
            limited = HubSpotClient(url, TOKEN, RateLimiter(store, "bench"), policy)
            unlimited = HubSpotClient(url, TOKEN, _Unlimited(store, "bench"), policy)
            with_budget = without_budget = 0.0
            for _ in range(ROUNDS):
                with_budget += _timed(limited)
                without_budget += _timed(unlimited)
            budget = Budget("micro", limit=10**9, window_seconds=10)
            limiter = RateLimiter(store, "micro")
            started = time.perf_counter()
            for _ in range(2000):
                limiter.try_acquire(budget)
            acquire = (time.perf_counter() - started) / 2000
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
    calls = CALLS_PER_ROUND * ROUNDS
    return {
        "calls_per_variant": calls,
        "ms_per_call_with_budget": round(with_budget / calls * 1000, 3),
        "ms_per_call_without_budget": round(without_budget / calls * 1000, 3),
        "ratio_with_to_without": round(with_budget / without_budget, 3),
        "ms_per_budget_slot_alone": round(acquire * 1000, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
