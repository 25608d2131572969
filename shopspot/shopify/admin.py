"""Shopify's Admin GraphQL API: one client per store, within Shopify's query-cost budget.

Shopify meters GraphQL by query cost in a leaky bucket per app and store; every answer
says how full the bucket is. A THROTTLED answer is retried once the bucket has refilled
enough for the query (Shopify ran nothing, so a mutation too); 5xx answers and dropped
connections with backoff, as far as the retry policy lets the document be repeated. GraphQL
errors in a 200 answer are raised as `AdminError` with Shopify's codes, never its data.

A query is safe to repeat. A mutation that failed after it was sent may have been applied,
so by default it is sent again only if it never left; its caller may know better and say
so (`repeat`): an upsert of the same files is safe, a subscription Shopify refuses to make
twice is `Repeat.REFUSED_TWICE`.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx

from shopspot import retry
from shopspot.errors import PermanentError, TransientError
from shopspot.http import HttpClient
from shopspot.retry import Repeat, RetryPolicy
from shopspot.settings import Store

_MUTATION = re.compile(r"\s*(?:#[^\n]*\s*)*mutation\b")


class AdminError(PermanentError):
    """Shopify refused the document (invalid, access denied, a userError)."""


class AdminUnavailable(TransientError):
    pass


class ShopifyAdmin(HttpClient):
    label = "Shopify Admin API"

    def __init__(
        self,
        store: Store,
        *,
        retries: RetryPolicy = retry.SHOPIFY_REQUESTS,
        timeout_seconds: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if store.access_token is None:
            raise PermanentError(f"{store.domain} has no Shopify access token configured")
        self.store = store
        super().__init__(
            store.admin_base_url,
            {
                "X-Shopify-Access-Token": store.access_token.get_secret_value(),
                "Content-Type": "application/json",
            },
            retries,
            timeout_seconds=timeout_seconds,
            transport=transport,
        )

    def graphql(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        repeat: Repeat | None = None,
    ) -> dict[str, Any]:
        """The `data` of the answer; raises AdminError or AdminUnavailable otherwise.

        `repeat` defaults to safe for a query and to "only if it never left" for a mutation.
        """
        if repeat is None:
            repeat = Repeat.UNSENT_ONLY if _MUTATION.match(document) else Repeat.SAFE
        path = f"/admin/api/{self.store.api_version}/graphql.json"
        body = {"query": document, "variables": variables or {}}
        tries = 0
        while True:
            tries += 1
            answer = self._send("POST", path, repeat=repeat, json=body).json()
            cost = (answer.get("extensions") or {}).get("cost") or {}
            errors = answer.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                if self.retry.gives_up(tries):
                    raise AdminUnavailable(
                        f"Shopify Admin API of {self.store.domain} stayed throttled"
                    )
                time.sleep(_refill_seconds(cost))
                continue
            if errors:
                codes = {str((e.get("extensions") or {}).get("code", "ERROR")) for e in errors}
                messages = "; ".join(str(e.get("message", ""))[:200] for e in errors[:3])
                raise AdminError(f"Shopify GraphQL {', '.join(sorted(codes))}: {messages}")
            data: dict[str, Any] = answer["data"]
            return data

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

    def _failure(self, response: httpx.Response) -> Exception | None:
        status = response.status_code
        if status < 400:
            return None
        if status >= 500 or status == 429:
            return AdminUnavailable(f"Shopify Admin API: HTTP {status}")
        if status in (401, 403):
            return AdminError(f"Shopify refused the access token ({status})")
        return AdminError(f"Shopify answered {status}")

    def _unavailable(self, detail: str) -> Exception:
        return AdminUnavailable(f"Shopify Admin API: {detail}")

    def _rate_limited(self, response: httpx.Response, wait: float) -> Exception:
        return AdminUnavailable(f"Shopify Admin API of {self.store.domain} kept asking to wait")

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
