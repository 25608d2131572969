"""One running Shopspot per test module (receiver, worker, HubSpot sandbox, Redis); each
test starts from an empty HubSpot portal (schema kept) and empty Shopspot state."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import redis

from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from tests.sandbox.shopify_fixtures import running_simulator, small_config
from tests.support.deliveries import delivery
from tests.support.env import SETTING_NAMES, SHOP, service_env
from tests.support.hubspot import HubSpotView, hubspot_sandbox
from tests.support.idle import settle
from tests.support.processes import Process, start_receiver, start_worker, wait_for
from tests.support.simulated import Simulated, environment

_databases = itertools.count(1)


class Shopspot:
    """A running Shopspot and the HubSpot it writes to, as a merchant's engineer sees them."""

    def __init__(
        self,
        env: dict[str, str],
        url: str,
        hubspot: HubSpotView,
        receiver: Process,
        worker: Process,
    ) -> None:
        # What `shopspot` commands run by a test need to reach this Shopspot.
        self.cli_env = {name: env[name] for name in env if name in SETTING_NAMES}
        self.redis = redis.Redis.from_url(env["REDIS_URL"])
        self.url = url
        self.hubspot = hubspot
        self.receiver = receiver
        self.worker = worker
        self.dead_letters = DeadLetterStore(self.redis)
        self.activity = ActivityLog(self.redis)

    def post(self, topic: str, payload: Any, shop: str = SHOP, **kwargs: Any) -> httpx.Response:
        body, headers = delivery(topic, payload, shop=shop, **kwargs)
        return httpx.post(f"{self.url}/webhooks/shopify", content=body, headers=headers)

    def send(self, topic: str, payload: Any, shop: str = SHOP, **kwargs: Any) -> None:
        """Deliver a webhook and wait until everything it causes is in HubSpot."""
        before = self.handled()
        response = self.post(topic, payload, shop, **kwargs)
        status = response.json()["status"]
        assert status in ("queued", "duplicate"), response.text
        if status == "queued":
            # A message a worker has just popped is briefly in no queue: its task must be
            # seen done before "nothing left to do" means anything.
            wait_for(lambda: self.handled() != before, message=f"the {topic} task")
        self.settle()

    def handled(self) -> int:
        """Events every task has finished with, dead-lettered ones included (shop/redact
        erases the count, so it changes rather than grows)."""
        return sum(kind.succeeded + kind.failed for kind in self.activity.all())

    def settle(self) -> None:
        settle(self.redis)

    def reset(self) -> None:
        self.settle()
        self.hubspot.control.post("/_sandbox/reset", json={"keep_schema": True})
        names = [
            n for n in self.redis.scan_iter(match="shopspot:*")
            if not n.startswith(b"shopspot:portal:")
        ]  # fmt: skip
        if names:
            self.redis.delete(*names)

    def records(self, object_type: str, *properties: str) -> list[dict[str, str]]:
        """Properties (and `id`) of every record of a type, through HubSpot's API."""
        found = self.hubspot.records(object_type, list(properties))
        return [{"id": record["id"], **record["properties"]} for record in found]

    def one(self, object_type: str, *properties: str) -> dict[str, str]:
        records = self.records(object_type, *properties)
        assert len(records) == 1, records
        return records[0]

    def stage(self, deal: dict[str, str]) -> str:
        return self.hubspot.pipeline_stages()[deal["dealstage"]]


@pytest.fixture(scope="module")
def shopspot_stack(
    redis_server: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Shopspot]:
    """A module may run it with settings of its own: a dict parametrizing it (indirectly)."""
    settings: dict[str, str] = getattr(request, "param", {})
    parts = urlsplit(redis_server)
    redis_url = urlunsplit(parts._replace(path=f"/{next(_databases) % 15 + 1}"))
    redis.Redis.from_url(redis_url).flushdb()
    logs = tmp_path_factory.mktemp("shopspot")
    with hubspot_sandbox() as hubspot:
        env = service_env(redis_url, HUBSPOT_BASE_URL=hubspot.url, **_stores_env(logs), **settings)
        receiver, url = start_receiver(env, logs)
        worker = start_worker(env, logs)
        yield Shopspot(env, url, hubspot, receiver, worker)
        worker.stop()
        receiver.stop()


OTHER_SHOP = "second-shop.myshopify.com"


def _stores_env(folder: Path) -> dict[str, str]:
    """Two stores: the test shop of the environment, and a second one from a stores file."""
    stores = folder / "stores.toml"
    stores.write_text(f'[shops."{OTHER_SHOP}"]\nwebhook_secret = "second-secret"\n')
    return {"SHOPSPOT_STORES_FILE": str(stores)}


@pytest.fixture
def shopspot(shopspot_stack: Shopspot, request: pytest.FixtureRequest) -> Iterator[Shopspot]:
    shopspot_stack.reset()
    yield shopspot_stack
    # A dead letter nobody asked for is a failure, even where the test looked elsewhere.
    if request.node.get_closest_marker("dead_letters") is None:
        shopspot_stack.settle()
        assert [letter.reason for letter in shopspot_stack.dead_letters.list()] == []


@pytest.fixture
def simulated(request: pytest.FixtureRequest, redis_url: str) -> Iterator[Simulated]:
    """A simulated store (sizes, and any other setting, from the test's parameter) and an
    empty HubSpot portal."""
    # The simulator's clock is real time unless the test fixes its start, so its "abandoned"
    # agrees with the sweep's.
    settings = {"now": None, "bulk_min_seconds": 0.2, **getattr(request, "param", {})}
    config = small_config(**settings)
    with (
        running_simulator(config) as simulator,
        hubspot_sandbox(rate_limit=100_000) as hubspot,
    ):
        yield Simulated(simulator, hubspot, environment(redis_url, simulator, hubspot))
