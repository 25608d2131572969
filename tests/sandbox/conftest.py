"""One HubSpot sandbox per test session, served over real HTTP; each test that uses it starts
from a fresh portal with the start-up settings restored."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.hubspot import SandboxConfig, serve

TOKEN = "test-token"
# Limits high enough that only the tests about limits ever meet them.
START_CONFIG = SandboxConfig(
    token=TOKEN,
    rate_limit=100_000,
    daily_limit=10_000_000,
    search_per_second=100_000,
    seed=7,
)


@pytest.fixture(scope="session")
def hubspot_url() -> str:
    ports: queue.Queue[int] = queue.Queue()
    threading.Thread(
        target=serve, args=(START_CONFIG,), kwargs={"ready": ports.put}, daemon=True
    ).start()
    return f"http://127.0.0.1:{ports.get(timeout=10)}"


@pytest.fixture(scope="session")
def _raw_client(hubspot_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hubspot_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def _token_client(hubspot_url: str) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=hubspot_url, headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def _fresh_portal(_raw_client: httpx.Client) -> None:
    """Every test that talks to the sandbox starts from an empty portal and start-up settings."""
    _raw_client.post("/_sandbox/reset", json={"reset_config": True}).raise_for_status()


@pytest.fixture
def hs_admin(_raw_client: httpx.Client, _fresh_portal: None) -> httpx.Client:
    """An unauthenticated client, for `/_sandbox/` and for requests HubSpot must refuse."""
    return _raw_client


@pytest.fixture
def hs(_token_client: httpx.Client, _fresh_portal: None) -> httpx.Client:
    """A client authenticated like a private app."""
    return _token_client


@pytest.fixture
def hs_configure(hs_admin: httpx.Client) -> Callable[..., dict[str, Any]]:
    """Change run-time settings through `POST /_sandbox/config`."""

    def apply(**changes: Any) -> dict[str, Any]:
        response = hs_admin.post("/_sandbox/config", json=changes)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    return apply


class Crm:
    """Shorthands for the calls many tests make."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def create(self, object_type: str, **properties: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/crm/v3/objects/{object_type}", json={"properties": properties}
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def deal(self, name: str = "#1001", **properties: Any) -> dict[str, Any]:
        return self.create("deals", dealname=name, dealstage="appointmentscheduled", **properties)

    def unique_property(self, object_type: str, name: str, group: str) -> None:
        response = self.client.post(
            f"/crm/v3/properties/{object_type}",
            json={
                "name": name,
                "label": name,
                "type": "string",
                "fieldType": "text",
                "groupName": group,
                "hasUniqueValue": True,
            },
        )
        assert response.status_code == 201, response.text

    @staticmethod
    def issues(response: httpx.Response) -> list[dict[str, Any]]:
        """The entries of a "Property values were not valid: [...]" message."""
        message = response.json()["message"]
        prefix = "Property values were not valid: "
        assert message.startswith(prefix), message
        issues: list[dict[str, Any]] = json.loads(message.removeprefix(prefix))
        return issues


@pytest.fixture
def crm(hs: httpx.Client) -> Crm:
    return Crm(hs)
