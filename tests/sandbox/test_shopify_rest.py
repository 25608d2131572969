"""The REST abandoned checkouts list over HTTP: auth, filters, cursor paging with the Link
header, Shopify's errors, and the per-token request bucket."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.shopify import ThrottleSettings
from sandbox.shopify.clock import TimeFormat
from sandbox.shopify.records import Checkout
from tests.sandbox.shopify_fixtures import TOKEN, Running, running_simulator, small_config

PAGING_DOCS = "https://shopify.dev/api/usage/pagination-rest"
LINK = re.compile(
    r"<(?P<url>http://127\.0\.0\.1:\d+/admin/api/2025-01/checkouts\.json"
    r'\?limit=(?P<limit>\d+)&page_info=(?P<page_info>[A-Za-z0-9_-]+))>; rel="(?P<rel>\w+)"'
)


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    throttle = ThrottleSettings(rest_bucket_size=100_000, rest_leak_rate=100_000)
    with running_simulator(small_config(throttle=throttle)) as simulator:
        yield simulator


def get(
    running: Running,
    params: dict[str, Any] | None = None,
    *,
    version: str = "2025-01",
    token: str | None = TOKEN,
) -> httpx.Response:
    headers = {"X-Shopify-Access-Token": token} if token is not None else {}
    return running.client.get(
        f"/admin/api/{version}/checkouts.json", params=params, headers=headers
    )


def ok(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    checkouts: list[dict[str, Any]] = response.json()["checkouts"]
    return checkouts


def links(response: httpx.Response) -> dict[str, str]:
    """rel -> URL of a Link header that must match Shopify's format exactly."""
    header = response.headers.get("Link")
    if header is None:
        return {}
    parts = header.split(", ")
    matches = [LINK.fullmatch(part) for part in parts]
    assert all(matches), header
    return {match["rel"]: match["url"] for match in matches if match}


def store_checkouts(running: Running) -> list[Checkout]:
    return list(running.app.sim.store.checkouts)


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_token_is_refused(running: Running, token: str | None) -> None:
    response = get(running, token=token)
    assert response.status_code == 401
    assert response.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        ({}, "open"),
        ({"status": "open"}, "open"),
        ({"status": "closed"}, "closed"),
        ({"status": "any"}, "any"),
    ],
)
def test_status_filters_the_stores_checkouts(
    running: Running, params: dict[str, str], wanted: str
) -> None:
    records = store_checkouts(running)
    expected = [
        checkout.id
        for checkout in records
        if wanted == "any" or (checkout.completed_at is not None) == (wanted == "closed")
    ]
    assert 0 < len(expected) <= len(records)
    assert [checkout["id"] for checkout in ok(get(running, params))] == expected


def test_updated_at_min_keeps_checkouts_updated_since(running: Running) -> None:
    records = store_checkouts(running)
    floor = sorted(checkout.updated_at for checkout in records)[len(records) // 2]
    offset = running.app.sim.store.shop.utc_offset_minutes
    params = {"status": "any", "updated_at_min": TimeFormat(offset).rest(floor)}
    expected = {checkout.id for checkout in records if checkout.updated_at >= floor}
    assert 0 < len(expected) < len(records)
    assert {checkout["id"] for checkout in ok(get(running, params))} == expected


def test_since_id_and_created_at_max(running: Running) -> None:
    records = store_checkouts(running)
    since, ceiling = records[3], records[-4]
    params = {
        "status": "any",
        "since_id": str(since.id),
        "created_at_max": TimeFormat.graphql(ceiling.created_at),
    }
    expected = [c.id for c in records if since.id < c.id and c.created_at <= ceiling.created_at]
    assert [checkout["id"] for checkout in ok(get(running, params))] == expected


def test_paging_by_7_visits_every_open_checkout_once_in_a_stable_order(running: Running) -> None:
    open_ids = [c.id for c in store_checkouts(running) if c.completed_at is None]
    assert len(open_ids) > 14
    everything = [checkout["id"] for checkout in ok(get(running, {"limit": 250}))]
    pages: list[list[int]] = []
    response = get(running, {"limit": 7})
    while True:
        pages.append([checkout["id"] for checkout in ok(response)])
        following = links(response).get("next")
        if following is None:
            break
        response = running.client.get(following, headers={"X-Shopify-Access-Token": TOKEN})
    visited = [checkout_id for page in pages for checkout_id in page]
    assert visited == everything == open_ids
    assert len(set(visited)) == len(visited)
    assert [len(page) for page in pages[:-1]] == [7] * (len(pages) - 1)


def test_previous_links_walk_back_over_the_same_pages(running: Running) -> None:
    forward: list[list[int]] = []
    response = get(running, {"limit": 7, "status": "any"})
    while "next" in links(response):
        forward.append([checkout["id"] for checkout in ok(response)])
        response = running.client.get(
            links(response)["next"], headers={"X-Shopify-Access-Token": TOKEN}
        )
    backward = [[checkout["id"] for checkout in ok(response)]]
    while "previous" in links(response):
        response = running.client.get(
            links(response)["previous"], headers={"X-Shopify-Access-Token": TOKEN}
        )
        backward.append([checkout["id"] for checkout in ok(response)])
    assert len(forward) >= 2
    assert backward[::-1][:-1] == forward


def test_the_link_header_is_shopifys(running: Running) -> None:
    first = get(running, {"limit": 7})
    assert first.headers["Link"].endswith('>; rel="next"')
    assert list(links(first)) == ["next"]
    middle = running.client.get(links(first)["next"], headers={"X-Shopify-Access-Token": TOKEN})
    assert list(links(middle)) == ["previous", "next"]
    assert all(match["limit"] == "7" for match in LINK.finditer(middle.headers["Link"]))
    last = running.client.get(links(middle)["next"], headers={"X-Shopify-Access-Token": TOKEN})
    assert list(links(last)) == ["previous"]
    assert "Link" not in get(running, {"limit": 250}).headers


def test_page_info_carries_the_filters(running: Running) -> None:
    first = get(running, {"limit": 2, "status": "closed"})
    second = running.client.get(links(first)["next"], headers={"X-Shopify-Access-Token": TOKEN})
    closed = [c.id for c in store_checkouts(running) if c.completed_at is not None]
    assert [checkout["id"] for checkout in ok(first) + ok(second)] == closed[:4]


def test_a_filter_next_to_page_info_is_refused(running: Running) -> None:
    page_info = LINK.search(get(running, {"limit": 7}).headers["Link"])
    assert page_info is not None
    params = {"limit": 7, "page_info": page_info["page_info"]}
    response = get(running, {**params, "status": "any"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "status": "status cannot be passed when page_info is present. "
            f"See {PAGING_DOCS} for more information."
        }
    }
    assert len(ok(get(running, {**params, "fields": "id,token"}))) == 7


def test_a_page_info_that_is_not_one_is_refused(running: Running) -> None:
    response = get(running, {"page_info": "not-a-cursor"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_info"]


def test_limit_above_250_is_refused(running: Running) -> None:
    response = get(running, {"limit": 251})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["limit"]
    assert get(running, {"limit": 250}).status_code == 200


def test_fields_picks_the_keys(running: Running) -> None:
    checkouts = ok(get(running, {"fields": "id,token,email", "limit": 3}))
    assert [list(checkout) for checkout in checkouts] == [["id", "token", "email"]] * 3


def test_guest_checkouts_carry_their_email_and_token(running: Running) -> None:
    guests = {c.id: c for c in store_checkouts(running) if c.customer_id is None and c.email}
    assert guests
    # 2026-04 dropped `id` from the checkout webhooks; the REST resource keeps it.
    listed = ok(get(running, {"status": "any"}, version="2026-04"))
    by_id = {checkout["id"]: checkout for checkout in listed}
    for checkout_id, guest in guests.items():
        assert by_id[checkout_id]["email"] == guest.email
        assert by_id[checkout_id]["token"] == guest.token
        assert "customer" not in by_id[checkout_id]


def test_the_bucket_counts_up_and_then_refuses() -> None:
    # A leak this slow keeps the bucket's count exact for the test's few requests.
    throttle = ThrottleSettings(rest_bucket_size=5, rest_leak_rate=0.001)
    with running_simulator(small_config(throttle=throttle)) as running:
        answers = [get(running, {"limit": 1}) for _ in range(7)]
        assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 2
        assert [answer.headers["X-Shopify-Shop-Api-Call-Limit"] for answer in answers] == [
            "1/5",
            "2/5",
            "3/5",
            "4/5",
            "5/5",
            "5/5",
            "5/5",
        ]
        refused = answers[-1]
        assert float(refused.headers["Retry-After"]) > 0
        assert refused.json() == {
            "errors": "Exceeded 0.001 calls per second for api client. "
            "Reduce request rates to resume uninterrupted service."
        }
        stats = running.stats()
        assert (stats["rest_requests"], stats["rest_throttled"]) == (7, 2)
