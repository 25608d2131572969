"""The simulated store as the source of truth: set up, imported, then changed live with its
webhooks (duplicated and reordered as Shopify may) flowing through Shopspot; HubSpot ends
holding exactly what the simulator says it should."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import Process, start_receiver, start_worker, wait_for
from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration

SIZES = {"products": 8, "customers": 30, "orders": 60, "checkouts": 6}


@pytest.fixture
def live(simulated: Simulated, tmp_path: Path) -> Iterator[Simulated]:
    receiver, url = start_receiver(simulated.env_for_processes(), tmp_path)
    worker = start_worker(simulated.env_for_processes(), tmp_path)
    simulated.env["PUBLIC_URL"] = url
    processes: list[Process] = [worker, receiver]
    yield simulated
    for process in processes:
        process.stop()


@pytest.mark.parametrize("simulated", [SIZES], indirect=True)
def test_hubspot_ends_holding_exactly_the_live_store(live: Simulated) -> None:
    live.cli("setup")
    live.cli("backfill")
    live.simulator.client.post(
        "/_simulator/config", json={"duplicate_probability": 0.2, "reorder_window": 4}
    )
    live.simulator.client.post("/_simulator/changes", json={"count": 60})
    wait_for(lambda: live.simulator.client.get("/_simulator/stats").json()["webhooks_pending"]
             == 0, timeout=60, message="the webhooks to be delivered")  # fmt: skip
    live.settle()
    live.cli("sweep")

    expected = live.expected()
    held = live.held()
    assert {k: held[k] for k in ("contacts", "products", "deals")} == {
        k: expected[k] for k in ("contacts", "products", "deals")
    }
    assert held["deals_by_stage"] == expected["deals_by_stage"]
    assert live.dead_letters() == []
