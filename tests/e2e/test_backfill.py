"""S2: the initial import of a simulated store into the HubSpot sandbox, compared with what
the simulator says HubSpot should hold; and an interrupted import resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from click.testing import CliRunner

from shopspot.cli import main
from tests.sandbox.shopify_fixtures import TOKEN, Running, running_simulator, small_config
from tests.support.env import ROOT, SETTING_NAMES, service_env
from tests.support.hubspot import HubSpotView, hubspot_sandbox
from tests.support.processes import SHOPSPOT, wait_for

pytestmark = pytest.mark.integration


class Setup:
    def __init__(self, simulator: Running, hubspot: HubSpotView, env: dict[str, str]) -> None:
        self.simulator = simulator
        self.hubspot = hubspot
        self.env = env
        self.redis = redis.Redis.from_url(env["REDIS_URL"])

    def cli(self, *args: str) -> str:
        result = CliRunner().invoke(main, list(args), env=self.env)
        assert result.exit_code == 0, result.output
        return result.stdout

    def expected(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.simulator.client.get("/_simulator/expected").json()
        return answer

    def held(self) -> dict[str, Any]:
        """What HubSpot holds, counted as the simulator counts it."""
        stages = self.hubspot.pipeline_stages()
        deals = self.hubspot.records("deals", ["dealstage", "shopify_deal_key", "amount"])
        by_stage: dict[str, int] = {}
        for deal in deals:
            label = stages[deal["properties"]["dealstage"]]
            by_stage[label] = by_stage.get(label, 0) + 1
        return {
            "contacts": len(self.hubspot.records("contacts", ["email"])),
            "products": len(self.hubspot.records("products", ["shopify_product_key"])),
            "deals": len(deals),
            "deals_by_stage": by_stage,
        }


def webhook_only_emails(simulator: Running) -> set[str]:
    store = simulator.app.sim.store
    seen = {c.email.lower() for c in store.customers if c.email}
    seen |= {o.email.lower() for o in store.orders if o.email}
    guests = {c.email.lower() for c in store.checkouts if c.email and c.customer_id is None}
    return guests - seen


def environment(redis_url: str, simulator: Running, hubspot: HubSpotView) -> dict[str, str]:
    env = service_env(
        redis_url,
        HUBSPOT_BASE_URL=hubspot.url,
        HUBSPOT_RATE_LIMIT_PER_10S="100000",
        SHOPIFY_SHOP_DOMAIN="shopspot-simulator.myshopify.com",
        SHOPIFY_ACCESS_TOKEN=TOKEN,
        SHOPIFY_ADMIN_BASE_URL=simulator.url,
        SHOPIFY_API_VERSION="2025-01",
    )
    return {name: value for name, value in env.items() if name in SETTING_NAMES}


@pytest.fixture
def setup(request: pytest.FixtureRequest, redis_url: str) -> Iterator[Setup]:
    # The simulator's clock is real time, so its "abandoned" agrees with the sweep's.
    sizes = getattr(request, "param", {})
    config = small_config(now=None, bulk_min_seconds=0.2, **sizes)
    with (
        running_simulator(config) as simulator,
        hubspot_sandbox(rate_limit=100_000) as hubspot,
    ):
        yield Setup(simulator, hubspot, environment(redis_url, simulator, hubspot))


def test_s2_the_import_brings_the_whole_store_into_hubspot(setup: Setup) -> None:
    report = json.loads(setup.cli("backfill", "--json"))
    setup.cli("sweep")

    expected = setup.expected()
    held = setup.held()
    assert held["products"] == expected["products"]
    assert held["deals"] == expected["deals"]
    assert held["deals_by_stage"] == expected["deals_by_stage"]
    # A guest checkout's email only ever arrives by webhook: GraphQL does not show it.
    assert held["contacts"] == expected["contacts"] - len(webhook_only_emails(setup.simulator))
    (shop,) = report
    assert [k["kind"] for k in shop["kinds"]] == ["products", "customers", "orders", "checkouts"]
    assert shop["dead_letters"] == 0
    assert all(k["done"] for k in shop["kinds"])


def test_s2_imported_records_match_the_store(setup: Setup) -> None:
    setup.cli("backfill")

    order = setup.simulator.data(
        "{ orders(first: 1, sortKey: ID) { nodes { id name email "
        "currentTotalPriceSet { shopMoney { amount } } } } }"
    )["orders"]["nodes"][0]
    deals = setup.hubspot.records("deals", ["dealname", "amount", "shopify_deal_key"])
    (deal,) = [d for d in deals if d["properties"]["dealname"] == order["name"]]
    assert float(deal["properties"]["amount"]) == float(
        order["currentTotalPriceSet"]["shopMoney"]["amount"]
    )
    origins = {c["properties"]["shopify_sync_origin"] for c in
               setup.hubspot.records("contacts", ["shopify_sync_origin"])}  # fmt: skip
    assert origins == {"initial_import"}  # C8


# Enough orders for several chunks, so the import can be stopped in the middle of them.
@pytest.mark.parametrize("setup", [{"orders": 1400}], indirect=True)
def test_s2_an_interrupted_import_resumes_and_ends_as_an_uninterrupted_one(
    setup: Setup, tmp_path: Path
) -> None:
    env = {**os.environ, **setup.env, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen([*SHOPSPOT, "backfill"], env=env, stdout=log, stderr=log,
                             start_new_session=True)  # fmt: skip

    def orders_begun() -> bool:
        raw = setup.redis.hget("shopspot:import:shopspot-simulator.myshopify.com", "orders")
        return raw is not None and json.loads(raw).get("next_line", 0) > 0

    wait_for(orders_begun, timeout=60, message="the import to be in the middle of the orders")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    resumed = subprocess.run([*SHOPSPOT, "backfill"], env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr

    interrupted = setup.held()
    keys = sorted(d["properties"]["shopify_deal_key"] for d in
                  setup.hubspot.records("deals", ["shopify_deal_key"]))  # fmt: skip
    setup.hubspot.control.post("/_sandbox/reset", json={})
    names = [n for n in setup.redis.scan_iter(match="shopspot:*")]
    setup.redis.delete(*names)
    setup.cli("backfill")

    assert "resuming at line" in resumed.stderr
    assert setup.held() == interrupted
    assert keys == sorted(d["properties"]["shopify_deal_key"] for d in
                          setup.hubspot.records("deals", ["shopify_deal_key"]))  # fmt: skip
