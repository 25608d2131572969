"""Shopify's Admin GraphQL API: one client per store, within Shopify's query-cost budget.

Shopify meters GraphQL by query cost in a leaky bucket per app and store; every answer
says how full the bucket is. A THROTTLED answer is retried once the bucket has refilled
enough for the query; 5xx answers and dropped connections with backoff. GraphQL errors in
a 200 answer are raised as `AdminError` with Shopify's codes, never its data.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx

from shopspot.errors import PermanentError, TransientError
from shopspot.settings import Store

log = logging.getLogger("shopspot.shopify")


class AdminError(PermanentError):
    """Shopify refused the document (invalid, access denied, a userError)."""


class AdminUnavailable(TransientError):
    pass


class ShopifyAdmin:
    def __init__(
        self,
        store: Store,
        *,
        attempts: int = 8,
        timeout_seconds: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if store.access_token is None:
            raise PermanentError(f"{store.domain} has no Shopify access token configured")
        self.store = store
        self._attempts = attempts
        self._http = httpx.Client(
            base_url=store.admin_base_url,
            headers={
                "X-Shopify-Access-Token": store.access_token.get_secret_value(),
                "Content-Type": "application/json",
            },
            timeout=httpx.Timeout(timeout_seconds, connect=5.0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ShopifyAdmin:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def graphql(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of the answer; raises AdminError or AdminUnavailable otherwise."""
        path = f"/admin/api/{self.store.api_version}/graphql.json"
        body = {"query": document, "variables": variables or {}}
        for _ in range(self._attempts):
            answer = self._send("POST", path, json=body).json()
            cost = (answer.get("extensions") or {}).get("cost") or {}
            errors = answer.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                time.sleep(_refill_seconds(cost))
                continue
            if errors:
                codes = {str((e.get("extensions") or {}).get("code", "ERROR")) for e in errors}
                messages = "; ".join(str(e.get("message", ""))[:200] for e in errors[:3])
                raise AdminError(f"Shopify GraphQL {', '.join(sorted(codes))}: {messages}")
            data: dict[str, Any] = answer["data"]
            return data
        raise AdminUnavailable(f"Shopify Admin API of {self.store.domain} stayed throttled")

    def rest_pages(self, resource: str, params: dict[str, str]) -> Iterator[list[dict[str, Any]]]:
        """Every page of a REST list (`checkouts`), following the `Link` header's next cursor.

        The REST API is legacy, but its abandoned checkouts carry what GraphQL's lack: the
        checkout's token and the email a guest typed in.
        """
        path = f"/admin/api/{self.store.api_version}/{resource}.json"
        query: dict[str, str] = params
        while True:
            response = self._send("GET", path, params=query)
            yield list(response.json()[resource])
            cursor = _next_page(response.headers.get("Link", ""))
            if cursor is None:
                return
            query = {"limit": params.get("limit", "250"), "page_info": cursor}

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request, retried over dropped connections, 5xx and 429 (after Retry-After)."""
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                self._backoff(attempt, type(exc).__name__)
                continue
            if response.status_code == 429 and response.headers.get("Retry-After"):
                time.sleep(float(response.headers["Retry-After"]))
                continue
            if response.status_code >= 500 or response.status_code == 429:
                self._backoff(attempt, f"HTTP {response.status_code}")
                continue
            if response.status_code in (401, 403):
                raise AdminError(f"Shopify refused the access token ({response.status_code})")
            if response.status_code >= 400:
                raise AdminError(f"Shopify answered {response.status_code}: {response.text[:200]}")
            return response
        raise AdminUnavailable(f"Shopify Admin API of {self.store.domain} did not answer")

    def lines(self, url: str, skip: int = 0) -> Iterator[str]:
        """A bulk operation's JSONL result, line by line (a signed URL: no token), from line
        `skip` on, so an interrupted read resumes where it stopped."""
        timeout = httpx.Timeout(300.0, connect=10.0)
        with httpx.stream("GET", url, timeout=timeout) as response:
            if response.status_code >= 400:
                raise AdminUnavailable(f"bulk result answered {response.status_code}")
            for number, line in enumerate(response.iter_lines()):
                if number >= skip and line:
                    yield line

    def _backoff(self, attempt: int, why: str) -> None:
        if attempt >= self._attempts:
            raise AdminUnavailable(f"Shopify Admin API: {why}")
        delay = min(30.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        log.warning("Shopify Admin API %s; retrying in %.1f s", why, delay)
        time.sleep(delay)


_NEXT = re.compile(r'<[^>]*[?&]page_info=([^&>]+)[^>]*>;\s*rel="next"')


def _next_page(link: str) -> str | None:
    match = _NEXT.search(link)
    return unquote(match.group(1)) if match else None


def _refill_seconds(cost: dict[str, Any]) -> float:
    """How long until the bucket holds what the query asked for."""
    status = cost.get("throttleStatus") or {}
    wanted = float(cost.get("requestedQueryCost") or 50)
    available = float(status.get("currentlyAvailable") or 0)
    rate = float(status.get("restoreRate") or 50) or 50.0
    return max(0.1, (wanted - available) / rate) + random.uniform(0.0, 0.2)
