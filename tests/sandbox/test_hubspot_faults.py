"""Fault injection, latency, and the sandbox's own inspection endpoints."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from .conftest import Crm

CONTACTS = "/crm/v3/objects/contacts"
HsConfigure = Callable[..., dict[str, Any]]


def _stats(hs_admin: httpx.Client) -> dict[str, Any]:
    body: dict[str, Any] = hs_admin.get("/_sandbox/stats").json()
    return body


@pytest.mark.parametrize("status", [500, 502, 503])
def test_injected_server_errors_change_nothing(
    hs: httpx.Client, hs_configure: HsConfigure, hs_admin: httpx.Client, status: int
) -> None:
    hs_configure(**{f"fault_{status}_probability": 1.0})
    response = hs.post(CONTACTS, json={"properties": {"email": "ann@example.com"}})
    assert response.status_code == status
    if status == 500:
        assert response.json()["status"] == "error"
    else:
        assert response.headers["Content-Type"].startswith("text/html")
    hs_configure(**{f"fault_{status}_probability": 0.0})
    assert hs.get(CONTACTS).json()["results"] == []
    assert _stats(hs_admin)["injected_faults"] == {str(status): 1}


def test_injected_429_costs_no_budget(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(fault_429_probability=1.0, rate_limit=10, retry_after=True)
    response = hs.post(CONTACTS, json={"properties": {"email": "ann@example.com"}})
    assert response.status_code == 429
    assert response.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert response.headers["Retry-After"] == "10"
    search = hs.post(f"{CONTACTS}/search", json={})
    assert search.json()["policyName"] == "SECONDLY"
    hs_configure(fault_429_probability=0.0)
    fresh = hs.get(CONTACTS)
    assert fresh.json()["results"] == []
    assert fresh.headers["X-HubSpot-RateLimit-Remaining"] == "9"


def test_fault_after_write_applies_the_write(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(fault_after_write_probability=1.0)
    response = hs.post(CONTACTS, json={"properties": {"email": "ann@example.com"}})
    assert response.status_code == 502
    assert hs.get(CONTACTS).status_code == 200
    hs_configure(fault_after_write_probability=0.0)
    retry = hs.post(CONTACTS, json={"properties": {"email": "ann@example.com"}})
    assert retry.status_code == 409


def test_fault_probabilities_are_drawn(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(fault_503_probability=0.5, seed=11)
    statuses = {hs.get(CONTACTS).status_code for _ in range(40)}
    assert statuses == {200, 503}


def test_latency(hs: httpx.Client, hs_configure: HsConfigure) -> None:
    hs_configure(latency_ms=150)
    started = time.perf_counter()
    hs.get(CONTACTS)
    assert time.perf_counter() - started >= 0.15


def test_config_endpoint_validates(hs_admin: httpx.Client, hs_configure: HsConfigure) -> None:
    shown = hs_configure(rate_limit=7)
    assert shown["rate_limit"] == 7 and "token" not in shown
    assert hs_admin.get("/_sandbox/config").json()["rate_limit"] == 7
    for bad in (
        {"rate_limit": 0},
        {"rate_limit": "many"},
        {"fault_500_probability": 1.5},
        {"fault_500_probability": 0.6, "fault_502_probability": 0.6},
        {"nonsense": 1},
        {"portal_id": 5},
    ):
        assert hs_admin.post("/_sandbox/config", json=bad).status_code == 400, bad
    assert hs_admin.get("/_sandbox/config").json()["rate_limit"] == 7


def test_sandbox_endpoints_need_no_auth_and_do_not_count(
    hs_admin: httpx.Client, hs_configure: HsConfigure
) -> None:
    hs_configure(rate_limit=1, window_seconds=10.0)
    for _ in range(3):
        assert hs_admin.get("/_sandbox/stats").status_code == 200
    assert _stats(hs_admin)["requests"] == 0


def test_stats_count_requests_objects_and_writes(
    crm: Crm, hs: httpx.Client, hs_admin: httpx.Client, hs_configure: HsConfigure
) -> None:
    contact = crm.create("contacts", email="ann@example.com")
    hs.patch(f"{CONTACTS}/{contact['id']}", json={"properties": {"city": "Ghent"}})
    crm.create("contacts", email="bob@example.com")
    hs.delete(f"{CONTACTS}/{contact['id']}")
    hs.get(f"{CONTACTS}/{contact['id']}")
    hs_configure(rate_limit=5, window_seconds=10.0)
    assert hs.get(CONTACTS).status_code == 429
    stats = _stats(hs_admin)
    assert stats["by_endpoint"]["POST /crm/v3/objects/contacts"] == 2
    assert stats["by_endpoint"]["GET /crm/v3/objects/contacts/<object_id>"] == 1
    assert stats["by_status"] == {"200": 1, "201": 2, "204": 1, "404": 1, "429": 1}
    assert stats["rate_limited"] == {"TEN_SECONDLY_ROLLING": 1}
    assert stats["objects"]["contacts"] == {"active": 1, "archived": 1}
    assert stats["writes"] == {
        "requests": 4,
        "records_created": 2,
        "records_updated": 1,
        "records_archived": 1,
    }


def test_reset_keeps_or_drops_schema_and_restores_config(
    crm: Crm, hs: httpx.Client, hs_admin: httpx.Client, hs_configure: HsConfigure
) -> None:
    crm.unique_property("products", "shopify_product_key", "productinformation")
    crm.create("products", name="A")
    hs_configure(rate_limit=9)
    kept = hs_admin.post("/_sandbox/reset", json={"keep_schema": True}).json()
    assert kept["config"]["rate_limit"] == 9
    assert hs.get("/crm/v3/objects/products").json()["results"] == []
    assert hs.get("/crm/v3/properties/products/shopify_product_key").status_code == 200
    hs_admin.post("/_sandbox/reset", json={"reset_config": True}).raise_for_status()
    assert hs.get("/crm/v3/properties/products/shopify_product_key").status_code == 404
    assert hs_admin.get("/_sandbox/config").json()["rate_limit"] == 100_000
