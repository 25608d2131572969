"""Authentication and HubSpot's rate limits (small windows keep these tests quick)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

CONTACTS = "/crm/v3/objects/contacts"
SEARCH = "/crm/v3/objects/contacts/search"
HsConfigure = Callable[..., dict[str, Any]]


def test_missing_or_wrong_token_is_401(hs_admin: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}):
        response = hs_admin.get(CONTACTS, headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["category"] == "INVALID_AUTHENTICATION"
        assert body["message"].startswith("Authentication credentials not found.")
        assert "X-HubSpot-RateLimit-Remaining" not in response.headers


def test_rate_headers_count_down(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(rate_limit=5, window_seconds=1.0, daily_limit=50)
    first = hs.get(CONTACTS).headers
    second = hs.get(CONTACTS).headers
    assert first["X-HubSpot-RateLimit-Max"] == "5"
    assert first["X-HubSpot-RateLimit-Interval-Milliseconds"] == "1000"
    assert first["X-HubSpot-RateLimit-Daily"] == "50"
    assert int(first["X-HubSpot-RateLimit-Remaining"]) == 4
    assert int(second["X-HubSpot-RateLimit-Remaining"]) == 3
    assert int(second["X-HubSpot-RateLimit-Daily-Remaining"]) == 48


def test_rolling_window_refuses_then_recovers(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(rate_limit=5, window_seconds=1.0)
    statuses = [hs.get(CONTACTS).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = hs.get(CONTACTS)
    body = refused.json()
    assert body["errorType"] == "RATE_LIMIT"
    assert body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert refused.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert "Retry-After" not in refused.headers
    time.sleep(1.05)
    assert hs.get(CONTACTS).status_code == 200


def test_refused_requests_do_not_use_up_the_budget(
    hs: httpx.Client, hs_configure: HsConfigure
) -> None:
    hs_configure(rate_limit=3, window_seconds=1.0, daily_limit=100)
    for _ in range(3):
        hs.get(CONTACTS)
    for _ in range(10):
        assert hs.get(CONTACTS).status_code == 429
    time.sleep(1.05)
    recovered = hs.get(CONTACTS)
    assert recovered.status_code == 200
    assert recovered.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "96"


def test_counting_refused_requests_is_an_option(
    hs: httpx.Client, hs_configure: HsConfigure
) -> None:
    hs_configure(rate_limit=3, window_seconds=1.0, daily_limit=100, count_rejected=True)
    for _ in range(4):
        hs.get(CONTACTS)
    assert hs.get(CONTACTS).headers["X-HubSpot-RateLimit-Daily-Remaining"] == "95"


def test_retry_after_is_an_option(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(rate_limit=1, window_seconds=1.0, retry_after=True)
    hs.get(CONTACTS)
    refused = hs.get(CONTACTS)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"


def test_daily_limit(hs: httpx.Client, hs_configure: HsConfigure, hs_admin: httpx.Client) -> None:
    hs_configure(daily_limit=3)
    assert [hs.get(CONTACTS).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = hs.get(CONTACTS).json()
    assert refused["policyName"] == "DAILY"
    assert refused["message"] == "You have reached your daily limit."
    assert hs.post(SEARCH, json={}).json()["policyName"] == "DAILY"
    stats = hs_admin.get("/_sandbox/stats").json()
    assert stats["rate_limited"]["DAILY"] == 3


def test_search_has_its_own_per_second_limit(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(search_per_second=5, rate_limit=2, window_seconds=10.0)
    statuses = [hs.post(SEARCH, json={}).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = hs.post(SEARCH, json={})
    assert refused.json()["policyName"] == "SECONDLY"
    assert refused.json()["message"] == "You have reached your secondly limit."
    assert not [h for h in refused.headers if h.lower().startswith("x-hubspot-ratelimit")]
    assert hs.get(CONTACTS).headers["X-HubSpot-RateLimit-Remaining"] == "1"
    time.sleep(1.05)
    assert hs.post(SEARCH, json={}).status_code == 200
