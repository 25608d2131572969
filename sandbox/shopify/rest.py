"""Shopify's legacy REST Admin API, as far as an import needs it: the abandoned checkouts list,
`GET /admin/api/{version}/checkouts.json`.

Each checkout is the REST shape of the `checkouts/create` webhook at the requested version,
except that the resource keeps its `id` at every version. Paging is by cursor: the `page_info`
in a `Link` header carries the filters of the first request (as Shopify's base64 JSON does),
so a request with `page_info` may add only `limit` and `fields`. Every token has a leaky
bucket of requests, and every answer to it says how full that bucket is.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from . import versions
from .clock import parse_instant
from .graphql_api import INVALID_TOKEN, Answer
from .payloads import Payload, Renderer
from .records import Checkout

if TYPE_CHECKING:
    from .simulation import Simulation

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
STATUSES = ("open", "closed", "any")
TIME_FILTERS = ("created_at_min", "created_at_max", "updated_at_min", "updated_at_max")
FILTERS = ("status", "since_id", *TIME_FILTERS)
WITH_PAGE_INFO = frozenset({"page_info", "limit", "fields"})
PAGINATION_DOCS = "https://shopify.dev/api/usage/pagination-rest"
INVALID_PAGE_INFO = "Invalid value."

Errors = dict[str, str]
"""Bad query parameters, answered with 400 as `{"errors": {parameter: message}}` (Shopify's
shape; only the "cannot be passed when page_info is present" message is Shopify's wording)."""


# -- the request bucket ---------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    admitted: bool
    used: int
    """Requests in the bucket after this one, as `X-Shopify-Shop-Api-Call-Limit` counts them."""
    retry_after: float
    """Seconds until a refused request would fit (0 when admitted)."""


class RequestBucket:
    """Each request adds one, `leak_rate` drain away per second; one that would overflow the
    bucket is refused and adds nothing."""

    def __init__(self, size: int, leak_rate: float) -> None:
        self.size = size
        self.leak_rate = leak_rate
        self._level = 0.0
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> Call:
        with self._lock:
            now = time.monotonic()
            self._level = max(0.0, self._level - (now - self._at) * self.leak_rate)
            self._at = now
            admitted = self._level + 1 <= self.size
            if admitted:
                self._level += 1
            wait = 0.0 if admitted else (self._level + 1 - self.size) / self.leak_rate
            # A request partly drained away still counts until it has left the bucket.
            return Call(admitted, math.ceil(self._level), wait)


# -- the query ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    given: Mapping[str, str]
    """The filter parameters as sent: page_info carries them on to the following pages."""
    tests: tuple[Callable[[Checkout], bool], ...]

    def accepts(self, checkout: Checkout) -> bool:
        return all(test(checkout) for test in self.tests)


@dataclass(frozen=True)
class Cursor:
    direction: str  # "next": ids after last_id; "prev": ids before it
    last_id: int


@dataclass(frozen=True)
class Query:
    limit: int
    fields: frozenset[str] | None
    filters: Filters
    cursor: Cursor | None


def read_query(params: Mapping[str, str]) -> Query | Errors:
    limit = _limit(params.get("limit"))
    if limit is None:
        return {"limit": f"limit must be between 1 and {MAX_LIMIT}"}
    fields = params.get("fields")
    chosen = frozenset(name.strip() for name in fields.split(",")) if fields else None
    if "page_info" in params:
        return _next_query(params, limit, chosen)
    filters = read_filters(params)
    return filters if isinstance(filters, dict) else Query(limit, chosen, filters, None)


def _next_query(
    params: Mapping[str, str], limit: int, fields: frozenset[str] | None
) -> Query | Errors:
    """A query that goes on from a page_info, which carries the filters."""
    extra = sorted(set(params) - WITH_PAGE_INFO)
    if extra:
        return {
            name: f"{name} cannot be passed when page_info is present. "
            f"See {PAGINATION_DOCS} for more information."
            for name in extra
        }
    decoded = decode_page_info(params["page_info"])
    if decoded is None:
        return {"page_info": INVALID_PAGE_INFO}
    cursor, given = decoded
    filters = read_filters(given)
    if isinstance(filters, dict):
        return {"page_info": INVALID_PAGE_INFO}
    return Query(limit, fields, filters, cursor)


def _limit(text: str | None) -> int | None:
    limit = DEFAULT_LIMIT if text is None else _integer(text)
    return limit if limit is not None and 1 <= limit <= MAX_LIMIT else None


def read_filters(params: Mapping[str, str]) -> Filters | Errors:
    given = {name: params[name] for name in FILTERS if name in params}
    tests: list[Callable[[Checkout], bool]] = []
    errors: Errors = {}
    status = given.get("status", "open")
    if status not in STATUSES:
        errors["status"] = f"status must be one of {', '.join(STATUSES)}"
    elif status != "any":
        closed = status == "closed"
        tests.append(lambda checkout: (checkout.completed_at is not None) == closed)
    if "since_id" in given:
        since_id = _integer(given["since_id"])
        if since_id is None:
            errors["since_id"] = "since_id must be an integer"
        else:
            tests.append(lambda checkout: checkout.id > since_id)
    for name in TIME_FILTERS:
        instant = parse_instant(given[name]) if name in given else None
        if instant is not None:
            tests.append(_time_test(name, instant))
        elif name in given:
            errors[name] = f"{name} must be an ISO 8601 date or time"
    return errors or Filters(given, tuple(tests))


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _time_test(name: str, instant: int) -> Callable[[Checkout], bool]:
    """`created_at_min=T` keeps checkouts created at T or later; `_max`, at T or earlier."""
    value = attrgetter(name.removesuffix("_min").removesuffix("_max"))
    if name.endswith("_min"):
        return lambda checkout: bool(value(checkout) >= instant)
    return lambda checkout: bool(value(checkout) <= instant)


def encode_page_info(cursor: Cursor, filters: Filters) -> str:
    body = {
        "direction": cursor.direction,
        "last_id": cursor.last_id,
        "last_value": cursor.last_id,
        **filters.given,
    }
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_info(page_info: str) -> tuple[Cursor, dict[str, str]] | None:
    """The cursor and the filter parameters a page_info carries, or None if it is not one."""
    try:
        padded = page_info + "=" * (-len(page_info) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode()))
        direction, last_id = body["direction"], body["last_id"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    if direction not in ("next", "prev") or type(last_id) is not int:
        return None
    given = {name: body[name] for name in FILTERS if isinstance(body.get(name), str)}
    return Cursor(direction, last_id), given


# -- the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    ids: list[int]
    has_previous: bool
    has_next: bool


def select(
    ids: Sequence[int], accept: Callable[[int], bool], limit: int, cursor: Cursor | None
) -> Page:
    """The page of accepted ids (ascending) that `cursor` points at; scans from the cursor
    only until the page is full and it is known whether accepted ids lie beyond it."""
    if cursor is not None and cursor.direction == "prev":
        end = bisect.bisect_left(ids, cursor.last_id)
        found = _scan(ids, range(end - 1, -1, -1), accept, limit + 1)
        chosen = found[:limit][::-1]
        has_previous, has_next = len(found) > limit, bool(_scan(ids, range(end, len(ids)), accept))
    else:
        start = 0 if cursor is None else bisect.bisect_right(ids, cursor.last_id)
        found = _scan(ids, range(start, len(ids)), accept, limit + 1)
        chosen = found[:limit]
        has_previous = cursor is not None and bool(_scan(ids, range(start - 1, -1, -1), accept))
        has_next = len(found) > limit
    # Links are anchored on the page's own ids, so an empty page has none.
    return Page(chosen, has_previous and bool(chosen), has_next and bool(chosen))


def _scan(
    ids: Sequence[int], positions: range, accept: Callable[[int], bool], count: int = 1
) -> list[int]:
    found: list[int] = []
    for position in positions:
        if accept(ids[position]):
            found.append(ids[position])
            if len(found) == count:
                break
    return found


def link_header(base_url: str, limit: int, page: Page, filters: Filters) -> str | None:
    """Shopify's `Link`: previous before next, each `<url?limit=..&page_info=..>; rel=".."`."""
    links = []
    if page.has_previous:
        links.append(_link(base_url, limit, Cursor("prev", page.ids[0]), filters, "previous"))
    if page.has_next:
        links.append(_link(base_url, limit, Cursor("next", page.ids[-1]), filters, "next"))
    return ", ".join(links) or None


def _link(base_url: str, limit: int, cursor: Cursor, filters: Filters, rel: str) -> str:
    page_info = encode_page_info(cursor, filters)
    return f'<{base_url}?limit={limit}&page_info={page_info}>; rel="{rel}"'


# -- the endpoint ---------------------------------------------------------------------------


class RestApi:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._buckets: dict[str, RequestBucket] = {}

    def bucket(self, token: str) -> RequestBucket:
        bucket = self._buckets.get(token)
        if bucket is None:
            settings = self.sim.config.throttle
            fresh = RequestBucket(settings.rest_bucket_size, settings.rest_leak_rate)
            bucket = self._buckets.setdefault(token, fresh)
        return bucket

    def checkouts(
        self, requested_version: str, token: str | None, params: Mapping[str, str], base_url: str
    ) -> Answer:
        """`base_url`: the URL the request was sent to, without its query; links point there."""
        version = versions.resolve(requested_version)
        if version is None:
            return Answer(404, {"errors": "Not Found"}, {})
        headers = {"X-Shopify-API-Version": version}
        if token is None or token != self.sim.config.access_token:
            return Answer(401, INVALID_TOKEN, headers)
        refused = self._charge(token, headers)
        if refused is not None:
            return refused
        query = read_query(params)
        if isinstance(query, dict):
            return Answer(400, {"errors": query}, headers)
        return self._list(query, version, base_url, headers)

    def _charge(self, token: str, headers: dict[str, str]) -> Answer | None:
        """Takes the request from the token's bucket (adding the call-limit header to
        `headers`); the 429 answer if it did not fit."""
        self.sim.stats.add("rest_requests")
        call = self.bucket(token).take()
        settings = self.sim.config.throttle
        headers["X-Shopify-Shop-Api-Call-Limit"] = f"{call.used}/{settings.rest_bucket_size}"
        if call.admitted:
            return None
        self.sim.stats.add("rest_throttled")
        # Shopify writes seconds with a decimal ("2.0"); round up so a client that waits
        # exactly that long gets in.
        retry_after = f"{math.ceil(call.retry_after * 10) / 10:.1f}"
        message = (
            f"Exceeded {settings.rest_leak_rate:g} calls per second for api client. "
            "Reduce request rates to resume uninterrupted service."
        )
        return Answer(429, {"errors": message}, {**headers, "Retry-After": retry_after})

    def _list(self, query: Query, version: str, base_url: str, headers: dict[str, str]) -> Answer:
        store = self.sim.store
        with store.lock:
            by_id = store.checkouts.by_id
            page = select(
                store.checkouts.ids,
                lambda checkout_id: query.filters.accepts(by_id[checkout_id]),
                query.limit,
                query.cursor,
            )
            renderer = Renderer(store, version)
            checkouts = [_checkout(renderer, by_id[i], query.fields) for i in page.ids]
        link = link_header(base_url, query.limit, page, query.filters)
        if link is not None:
            headers = {**headers, "Link": link}
        return Answer(200, {"checkouts": checkouts}, headers)


def _checkout(renderer: Renderer, checkout: Checkout, fields: frozenset[str] | None) -> Payload:
    # The webhook dropped `id` at 2026-04; the REST resource still has it, first.
    body = {"id": checkout.id, **renderer.checkout(checkout)}
    return body if fields is None else {key: value for key, value in body.items() if key in fields}
