"""Helpers for the Shopify simulator tests: a simulator served over real HTTP in a background
thread, a GraphQL client for it, and a tiny webhook receiver that records what it is sent."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from sandbox.shopify import SimulatorConfig, create_server
from sandbox.shopify.app import SimulatorApp

TOKEN = "shpat_test_token"
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
REPO_ROOT = Path(__file__).resolve().parents[2]


def small_config(**changes: Any) -> SimulatorConfig:
    settings: dict[str, Any] = {
        "seed": 3,
        "products": 12,
        "customers": 40,
        "orders": 90,
        "checkouts": 25,
        "access_token": TOKEN,
        "now": NOW,
    }
    settings.update(changes)
    return SimulatorConfig(**settings)


@dataclass
class Running:
    url: str
    app: SimulatorApp
    client: httpx.Client

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        version: str = "2025-01",
        token: str | None = TOKEN,
    ) -> httpx.Response:
        headers = {"X-Shopify-Access-Token": token} if token is not None else {}
        return self.client.post(
            f"/admin/api/{version}/graphql.json",
            json={"query": query, "variables": variables or {}},
            headers=headers,
        )

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """The `data` of a query that must succeed."""
        response = self.graphql(query, variables, **kw)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def stats(self) -> dict[str, Any]:
        return dict(self.client.get("/_simulator/stats").json())

    def drain(self, timeout: float = 10.0) -> None:
        """Waits until no webhook delivery is pending."""
        wait_until(lambda: self.stats()["webhooks_pending"] == 0, timeout)


@contextmanager
def running_simulator(config: SimulatorConfig) -> Iterator[Running]:
    server = create_server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            yield Running(server.url, server.app, client)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def topic(self) -> str:
        return self.headers["x-shopify-topic"]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records deliveries; answers 500 to the first `fail_first` of them, 200 afterwards."""

    url: str
    received: list[Received] = field(default_factory=list)
    attempts: list[Received] = field(default_factory=list)
    """Every request, answered with 500 or not."""
    fail_first: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def topics(self) -> list[str]:
        with self.lock:
            return [item.topic for item in self.received]

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)


@contextmanager
def webhook_receiver(fail_first: int = 0) -> Iterator[Receiver]:
    receiver = Receiver(url="", fail_first=fail_first)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            with receiver.lock:
                receiver.attempts.append(Received(self.path, headers, body))
                failing = len(receiver.attempts) <= receiver.fail_first
                if not failing:
                    receiver.received.append(Received(self.path, headers, body))
            self.send_response(500 if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def all_nodes(running: Running, field_name: str, selection: str, **kw: Any) -> list[Any]:
    """Every node of a top-level connection, paged 50 at a time."""
    nodes: list[Any] = []
    after = None
    query = (
        f"query($after: String) {{ {field_name}(first: 50, after: $after) "
        f"{{ nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    )
    while True:
        page = running.data(query, {"after": after}, **kw)[field_name]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]
