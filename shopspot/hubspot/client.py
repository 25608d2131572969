"""The HTTP client for HubSpot's CRM API: one connection pool, the shared rate budget, and
retries that follow HubSpot's answers.

Every request first takes a slot from the account's budget in Redis. A 429 that still happens
starts a cooldown for every process of the account and is retried after the wait HubSpot gives
(Retry-After when present, else its window), with jitter; 5xx and timeouts are retried with
exponential backoff, as far as the retry policy lets the request be repeated; 4xx answers are
never retried. A wait longer than the caller's patience is raised as `RateLimited`, so a
Celery task can park it as a retry instead of holding a worker.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from shopspot import retry
from shopspot.http import HttpClient, Pacing
from shopspot.hubspot.errors import RateLimited, Unavailable, error_for
from shopspot.hubspot.paths import Paths
from shopspot.ratelimit import Budget, RateLimiter, RateLimitWait
from shopspot.retry import Repeat

# Below HubSpot's own limits: HubSpot counts arrivals, we count departures, and other apps
# may share the account.
DEFAULT_HEADROOM = 0.9
_JSON_BODY = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class ClientPolicy:
    rate_limit: int = 100
    window_seconds: float = 10.0
    daily_limit: int = 250_000
    headroom: float = DEFAULT_HEADROOM
    # How long one call may wait for the budget or a 429 before raising RateLimited.
    max_wait_seconds: float = 30.0
    attempts: int = 5
    timeout_seconds: float = 30.0

    def budget(self) -> Budget:
        return Budget(
            "calls",
            max(1, int(self.rate_limit * self.headroom)),
            self.window_seconds,
            int(self.daily_limit * self.headroom),
        )


class HubSpotClient(HttpClient):
    label = "HubSpot"

    def __init__(
        self,
        base_url: str,
        token: str,
        limiter: RateLimiter,
        policy: ClientPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        paths: Paths | None = None,
    ) -> None:
        self.policy = policy or ClientPolicy()
        # Every caller takes its paths from here, so one setting picks the API version.
        self.paths = paths or Paths()
        super().__init__(
            base_url,
            {"Authorization": f"Bearer {token}", "Accept": "application/json"},
            retry.hubspot_requests(self.policy.attempts, self.policy.max_wait_seconds),
            timeout_seconds=self.policy.timeout_seconds,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
        )
        self._calls = _Budgeted(limiter, self.policy.budget())

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        repeat: Repeat | None = None,
    ) -> Any:
        """The decoded JSON answer (None for 204); raises a `HubSpotError` otherwise.

        `repeat` defaults by method; a POST that HubSpot applies as an upsert, read or search
        says `Repeat.SAFE`, a create HubSpot refuses to make twice `Repeat.REFUSED_TWICE`.
        """
        # orjson: an import sends and reads batches of hundreds of records on every call.
        body = None if json is None else orjson.dumps(json, option=orjson.OPT_NON_STR_KEYS)
        response = self._send(
            method,
            path,
            repeat=repeat,
            pacing=self._calls,
            content=body,
            headers=None if body is None else _JSON_BODY,
            params=params,
        )
        return orjson.loads(response.content) if response.content else None

    def _failure(self, response: httpx.Response) -> Exception | None:
        if response.status_code < 300:
            return None
        return error_for(response.status_code, _json(response))

    def _unavailable(self, detail: str) -> Exception:
        return Unavailable(0, detail)

    def _rate_limited(self, response: httpx.Response, wait: float) -> Exception:
        return RateLimited(str(_json(response).get("policyName", "")), wait)


class _Budgeted(Pacing):
    """The account's budget in Redis, shared by every process: a slot before each request,
    and a 429 pauses them all."""

    def __init__(self, limiter: RateLimiter, budget: Budget) -> None:
        self._limiter = limiter
        self._budget = budget

    def before_send(self, deadline: float) -> None:
        try:
            self._limiter.acquire(self._budget, max(0.0, deadline - time.monotonic()))
        except RateLimitWait as wait:
            raise RateLimited(wait.policy, wait.wait_seconds) from None

    def asked_to_wait(self, response: httpx.Response) -> float | None:
        if response.status_code != 429:
            return None
        wait = _retry_after(response, _json(response), self._budget)
        self._limiter.cool_down(self._budget, wait)
        return wait

    def hold(self, seconds: float) -> None:
        """Nothing to do here: the cooldown holds back the next slot, in every process."""


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: httpx.Response, body: dict[str, Any], budget: Budget) -> float:
    """Retry-After when HubSpot sends one, else until the window that refused us has moved."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(0.0, float(header)) + random.uniform(0.0, 0.5)
        except ValueError:
            pass
    policy = str(body.get("policyName", ""))
    if policy == "DAILY":
        seconds_into_day = time.time() % 86_400
        return 86_400 - seconds_into_day
    return budget.window_seconds * random.uniform(1.0, 1.2)
