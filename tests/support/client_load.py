"""A process that calls HubSpot through Shopspot's client, to test the budget it shares.

python -m tests.support.client_load BASE_URL REDIS_URL CALLS RATE_LIMIT WINDOW_SECONDS
"""

from __future__ import annotations

import sys

import redis

from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.ratelimit import RateLimiter
from tests.support.env import HUBSPOT_TOKEN


def main() -> None:
    base_url, redis_url, calls, rate_limit, window = sys.argv[1:6]
    limiter = RateLimiter(redis.Redis.from_url(redis_url), account="shared-account")
    policy = ClientPolicy(
        rate_limit=int(rate_limit),
        window_seconds=float(window),
        # Leaves room for the jitter between a request leaving and HubSpot counting it.
        headroom=0.8,
        max_wait_seconds=60,
        attempts=50,
    )
    with HubSpotClient(base_url, HUBSPOT_TOKEN, limiter, policy) as client:
        for _ in range(int(calls)):
            client.request("GET", client.paths.objects("contacts"), params={"limit": "1"})


if __name__ == "__main__":
    main()
