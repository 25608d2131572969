"""The one shape of Shopspot's HTTP clients (HubSpot, Shopify Admin): a connection pool with
timeouts, retries as `shopspot.retry` decides, typed errors, and a count of requests sent.

A subclass says what its API's answers mean (`_failure`, `_unavailable`, `_rate_limited`);
its errors never carry a response body, which can quote a customer's data. A `Pacing` keeps
a call to the API's rate limit.
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from typing import Any, Self

import httpx

from shopspot.retry import TRANSIENT_ERRORS, Repeat, RetryPolicy, rate_limit_wait

log = logging.getLogger("shopspot.http")

# httpx's own defaults.
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class Pacing:
    """How a call keeps to the remote side's rate limit. This one waits out a 429 for as
    long as its Retry-After asks and does nothing else."""

    def before_send(self, deadline: float) -> None:
        """Runs before every request; the call's patience ends at `deadline` (monotonic)."""

    def asked_to_wait(self, response: httpx.Response) -> float | None:
        """The wait a rate-limited answer asks for, or None when the answer is not one."""
        header = response.headers.get("Retry-After")
        if response.status_code != 429 or not header:
            return None
        try:
            return rate_limit_wait(max(0.0, float(header)))
        except ValueError:
            return None

    def hold(self, seconds: float) -> None:
        time.sleep(seconds)


class HttpClient(ABC):
    label = "remote API"  # how log lines name the API

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        retry: RetryPolicy,
        *,
        timeout_seconds: float,
        limits: httpx.Limits = DEFAULT_LIMITS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.retry = retry
        self.calls = 0  # HTTP requests sent by this client, for reports
        self._by_thread = threading.local()
        self._pacing = Pacing()
        self._http = httpx.Client(
            base_url=base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_seconds, connect=5.0),
            limits=limits,
            transport=transport,
        )

    def calls_by_this_thread(self) -> int:
        """The requests sent from the calling thread: what one of several threads spent."""
        return int(getattr(self._by_thread, "calls", 0))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _send(
        self,
        method: str,
        path: str,
        *,
        repeat: Repeat | None = None,
        pacing: Pacing | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """The first answer that is not a failure, else the typed error of the last failure.

        `repeat` says what sending the request again can do (by default, by its method); the
        retry policy decides from it whether a failure that may have reached the other side
        is tried again.
        """
        repeat = repeat or Repeat.by_method(method)
        pacing = pacing or self._pacing
        deadline = time.monotonic() + self.retry.max_wait_seconds
        tries = 0
        while True:
            tries += 1
            pacing.before_send(deadline)
            self.calls += 1
            self._by_thread.calls = self.calls_by_this_thread() + 1
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                failure: Exception = self._unavailable(type(exc).__name__)
                cause: BaseException = exc
            else:
                wait = pacing.asked_to_wait(response)
                if wait is not None:
                    # Not a failure (nothing was done) and no backoff: the wait asked for.
                    # It still counts as a try, so that a call cannot wait forever.
                    if self.retry.gives_up(tries) or time.monotonic() + wait > deadline:
                        raise self._rate_limited(response, wait)
                    log.warning("%s asked to wait %.1f s", self.label, wait)
                    pacing.hold(wait)
                    continue
                found = self._failure(response)
                if found is None:
                    return response
                if not isinstance(found, TRANSIENT_ERRORS):
                    raise found
                failure = cause = found
            if not self.retry.may_repeat(repeat, cause) or self.retry.gives_up(tries):
                raise failure
            backoff = self.retry.backoff(tries)
            if time.monotonic() + backoff > deadline:
                raise failure
            log.warning("%s on %s %s; retrying in %.1f s", failure, method, path, backoff)
            time.sleep(backoff)

    @abstractmethod
    def _failure(self, response: httpx.Response) -> Exception | None:
        """The typed error an answer means, or None for a success."""

    @abstractmethod
    def _unavailable(self, detail: str) -> Exception:
        """The transient error of a request that got no answer (`detail`: the failure's type)."""

    @abstractmethod
    def _rate_limited(self, response: httpx.Response, wait: float) -> Exception:
        """The error of a rate limit that outlasts the call's tries or patience."""
