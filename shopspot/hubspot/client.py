"""The HTTP client for HubSpot's CRM API: one connection pool, the shared rate budget, and
retries that follow HubSpot's answers.

Every request first takes a slot from the account's budget in Redis (search from its own
budget). A 429 that still happens starts a cooldown for every process of the account and
is retried after the wait HubSpot gives (Retry-After when present, else its window), with
jitter; 5xx and timeouts are retried with exponential backoff, but only for requests that
are safe to repeat; 4xx answers are never retried. A wait longer than the caller's
patience is raised as `RateLimited`, so a Celery task can park it as a retry instead of
holding a worker.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx

from shopspot.hubspot.errors import RateLimited, Unavailable, error_for
from shopspot.ratelimit import Budget, RateLimiter, RateLimitWait

log = logging.getLogger("shopspot.hubspot")

# Below HubSpot's own limits: HubSpot counts arrivals, we count departures, and other apps
# may share the account.
DEFAULT_HEADROOM = 0.9
SEARCH_PER_SECOND = 5


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

    def budgets(self) -> tuple[Budget, Budget]:
        scale = self.window_seconds / 10.0
        calls = Budget(
            "calls",
            max(1, int(self.rate_limit * self.headroom)),
            self.window_seconds,
            int(self.daily_limit * self.headroom),
        )
        # The search limit is per second; a shrunk window (benchmarks) shrinks it alike.
        search = Budget("search", max(1, int(SEARCH_PER_SECOND * self.headroom)), scale)
        return calls, search


class HubSpotClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        limiter: RateLimiter,
        policy: ClientPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy or ClientPolicy()
        self.calls = 0  # HTTP requests sent by this client, for reports
        self._limiter = limiter
        self._calls, self._search = self.policy.budgets()
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(self.policy.timeout_seconds, connect=5.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        idempotent: bool | None = None,
        search: bool = False,
    ) -> Any:
        """The decoded JSON answer (None for 204); raises a `HubSpotError` otherwise.

        `idempotent` defaults by method; a POST that HubSpot applies as an upsert, read or
        search is safe to repeat and says so.
        """
        repeatable = method in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        budget = self._search if search else self._calls
        deadline = time.monotonic() + self.policy.max_wait_seconds
        attempt = 0
        while True:
            attempt += 1
            self._take_slot(budget, deadline)
            self.calls += 1
            try:
                response = self._http.request(method, path, json=json, params=params)
            except httpx.TransportError as exc:
                failure: Exception = Unavailable(0, type(exc).__name__)
            else:
                if response.status_code < 300:
                    return response.json() if response.content else None
                body = _json(response)
                if response.status_code == 429:
                    wait = _retry_after(response, body, budget)
                    self._limiter.cool_down(budget, wait)
                    if time.monotonic() + wait > deadline or attempt >= self.policy.attempts:
                        raise RateLimited(str(body.get("policyName", "")), wait)
                    log.warning("HubSpot 429 %s; waiting %.1f s", body.get("policyName"), wait)
                    continue
                failure = error_for(response.status_code, body)
                if not isinstance(failure, Unavailable):
                    raise failure
            if not repeatable or attempt >= self.policy.attempts:
                raise failure
            backoff = min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            if time.monotonic() + backoff > deadline:
                raise failure
            log.warning("HubSpot %s on %s %s; retrying", failure, method, path)
            time.sleep(backoff)

    def _take_slot(self, budget: Budget, deadline: float) -> None:
        try:
            self._limiter.acquire(budget, max(0.0, deadline - time.monotonic()))
        except RateLimitWait as wait:
            raise RateLimited(wait.policy, wait.wait_seconds) from None


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
