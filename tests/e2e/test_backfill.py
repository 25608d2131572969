"""S2: the initial import of a simulated store into the HubSpot sandbox, compared with what
the simulator says HubSpot should hold; and an interrupted import resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from shopspot.backfill.runner import Importer, KindResult, Progress
from shopspot.events import WebhookEvent
from shopspot.pending import PendingBuffer
from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.sync.items import item_for
from shopspot.topics import Buffer, parse_payload
from tests.support.env import ROOT
from tests.support.processes import SHOPSPOT, wait_for
from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration


def test_s2_the_import_brings_the_whole_store_into_hubspot(simulated: Simulated) -> None:
    report = json.loads(simulated.cli("backfill", "--json"))
    simulated.cli("sweep")

    expected = simulated.expected()
    held = simulated.held()
    assert held["products"] == expected["products"]
    assert held["deals"] == expected["deals"]
    assert held["deals_by_stage"] == expected["deals_by_stage"]
    assert held["contacts"] == expected["contacts"]
    (shop,) = report
    assert [k["kind"] for k in shop["kinds"]] == ["products", "customers", "orders", "checkouts"]
    assert shop["dead_letters"] == 0
    assert all(k["done"] for k in shop["kinds"])


def test_s2_imported_records_match_the_store(simulated: Simulated) -> None:
    simulated.cli("backfill")

    order = simulated.simulator.data(
        "{ orders(first: 1, sortKey: ID) { nodes { id name email "
        "currentTotalPriceSet { shopMoney { amount } } } } }"
    )["orders"]["nodes"][0]
    deals = simulated.hubspot.records("deals", ["dealname", "amount", "shopify_deal_key"])
    (deal,) = [d for d in deals if d["properties"]["dealname"] == order["name"]]
    assert float(deal["properties"]["amount"]) == float(
        order["currentTotalPriceSet"]["shopMoney"]["amount"]
    )
    origins = {c["properties"]["shopify_sync_origin"] for c in
               simulated.hubspot.records("contacts", ["shopify_sync_origin"])}  # fmt: skip
    assert origins == {"initial_import"}  # C8


# Enough orders for several chunks, so the import can be stopped in the middle of them.
@pytest.mark.parametrize("simulated", [{"orders": 1400}], indirect=True)
def test_s2_w9_an_import_killed_mid_chunk_resumes_at_once_and_ends_as_an_uninterrupted_one(
    simulated: Simulated, tmp_path: Path
) -> None:
    env = {**os.environ, **simulated.env, "PYTHONPATH": str(ROOT), "IMPORT_CHUNK_SIZE": "300"}
    deals = PendingBuffer(simulated.redis, Buffer.DEALS)
    # Slow enough that the kill finds a chunk of orders half written, its batches held.
    simulated.hubspot.configure(latency_ms=30)
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen([*SHOPSPOT, "backfill"], env=env, stdout=log, stderr=log,
                             start_new_session=True)  # fmt: skip

    def orders_begun() -> bool:
        raw = simulated.redis.hget("shopspot:import:shopspot-simulator.myshopify.com", "orders")
        return raw is not None and json.loads(raw).get("next_line", 0) > 0

    wait_for(orders_begun, timeout=60, message="the import to be in the middle of the orders")
    wait_for(lambda: deals.in_flight() > 0, timeout=30, message="a batch of orders in flight")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    simulated.hubspot.configure(latency_ms=0)
    started = time.monotonic()
    resumed = subprocess.run([*SHOPSPOT, "backfill"], env=env, capture_output=True, text=True)
    resumed_seconds = time.monotonic() - started
    assert resumed.returncode == 0, resumed.stderr

    interrupted = simulated.held()
    keys = sorted(d["properties"]["shopify_deal_key"] for d in
                  simulated.hubspot.records("deals", ["shopify_deal_key"]))  # fmt: skip
    simulated.hubspot.control.post("/_sandbox/reset", json={})
    names = [n for n in simulated.redis.scan_iter(match="shopspot:*")]
    simulated.redis.delete(*names)
    started = time.monotonic()
    simulated.cli("backfill")
    uninterrupted_seconds = time.monotonic() - started

    assert "resuming where the last run stopped" in resumed.stderr
    assert simulated.held() == interrupted
    assert keys == sorted(d["properties"]["shopify_deal_key"] for d in
                          simulated.hubspot.records("deals", ["shopify_deal_key"]))  # fmt: skip
    # W9: the batches the killed run held come back within a lease, not minutes later.
    assert resumed_seconds < uninterrupted_seconds + 60


@pytest.mark.parametrize("simulated", [{"orders": 900}], indirect=True)
def test_s2_w9_the_import_saves_its_place_only_past_chunks_in_hubspot(
    simulated: Simulated,
) -> None:
    """Each chunk is offered while the one before it is written: the place saved after a
    chunk must still name only orders HubSpot holds."""
    runtime = Runtime(
        load_settings(_env_file=None, **lowered(simulated.env), import_chunk_size=150)
    )
    (store,) = runtime.settings.require_stores().values()
    saved: list[tuple[int, int]] = []

    class Checked(Progress):
        def advanced(self, shop: str, result: KindResult) -> None:
            if result.kind == "orders":
                held = len(simulated.hubspot.records("deals", ["shopify_deal_key"]))
                saved.append((result.read, held))

    result = Importer(runtime, store, Checked()).run()

    assert [kind.done for kind in result.kinds] == [True] * 4
    # 900 orders in chunks of at most 150: six places saved, more where a part of the
    # export ends inside a chunk.
    assert len(saved) >= 6 and saved[-1][0] == 900
    assert all(held >= read for read, held in saved), saved


@pytest.mark.parametrize("simulated", [{"customers": 300, "orders": 300}], indirect=True)
def test_s2_products_come_first_then_the_other_kinds_are_written_side_by_side(
    simulated: Simulated,
) -> None:
    """Customers cost CPU and orders cost HubSpot's budget: written at the same time, the one
    is done while the other waits. The customers here stop after their first chunk until
    the orders have written one of theirs, which an import of one kind after another never
    does."""
    runtime = Runtime(
        load_settings(_env_file=None, **lowered(simulated.env), import_chunk_size=100)
    )
    (store,) = runtime.settings.require_stores().values()
    told: list[str] = []
    orders_written = threading.Event()

    class SideBySide(Progress):
        def started(self, shop: str, kind: str, total: int, resumed_from: int) -> None:
            told.append(f"started {kind}")

        def advanced(self, shop: str, result: KindResult) -> None:
            if result.kind == "orders":
                orders_written.set()
            elif result.kind == "customers" and not any("meanwhile" in line for line in told):
                told.append(f"orders written meanwhile: {orders_written.wait(30)}")

        def finished(self, shop: str, result: KindResult) -> None:
            told.append(f"finished {result.kind}")

    result = Importer(runtime, store, SideBySide()).run()

    assert [kind.kind for kind in result.kinds] == ["products", "customers", "orders", "checkouts"]
    assert all(kind.done for kind in result.kinds)
    assert told[:2] == ["started products", "finished products"], told
    assert "orders written meanwhile: True" in told
    held, expected = simulated.held(), simulated.expected()
    assert (held["contacts"], held["deals"]) == (expected["contacts"], expected["deals"])


@pytest.mark.parametrize("simulated", [{"orders": 1400}], indirect=True)
def test_s2_an_interrupted_import_stops_at_once_and_resumes(
    simulated: Simulated, tmp_path: Path
) -> None:
    """Ctrl-C stops every kind being written, not only the one the command waits for."""
    env = {**os.environ, **simulated.env, "PYTHONPATH": str(ROOT), "IMPORT_CHUNK_SIZE": "300"}
    # Slow enough that the orders written after the first chunk take seconds: the signal
    # comes in the middle of them on a busy machine too.
    simulated.hubspot.configure(latency_ms=100)
    log_path = tmp_path / "first.log"
    log = log_path.open("w")
    first = subprocess.Popen([*SHOPSPOT, "backfill"], env=env, stdout=log, stderr=log)

    def orders_begun() -> bool:
        raw = simulated.redis.hget("shopspot:import:shopspot-simulator.myshopify.com", "orders")
        return raw is not None and json.loads(raw).get("next_line", 0) > 0

    wait_for(orders_begun, timeout=60, message="the import to be in the middle of the orders")
    first.send_signal(signal.SIGINT)
    assert first.wait(timeout=30) != 0, log_path.read_text()
    simulated.hubspot.configure(latency_ms=0)

    resumed = subprocess.run([*SHOPSPOT, "backfill"], env=env, capture_output=True, text=True)

    assert resumed.returncode == 0, resumed.stderr
    assert "resuming where the last run stopped" in resumed.stderr
    held, expected = simulated.held(), simulated.expected()
    assert (held["contacts"], held["deals"]) == (expected["contacts"], expected["deals"])


def test_s2_a_webhook_newer_than_the_import_keeps_its_version(simulated: Simulated) -> None:
    """Live webhooks and the import meet in the same buffers: the newest version wins."""
    order = simulated.simulator.data("{ orders(first: 1, sortKey: ID) { nodes { id name } } }")[
        "orders"
    ]["nodes"][0]
    order_id = int(order["id"].rsplit("/", 1)[1])
    newer = {**shop_order(order_id, order["name"]), "updated_at": "2099-01-01T00:00:00Z"}
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    event = WebhookEvent(shop="shopspot-simulator.myshopify.com", topic="orders/updated",
                         event_id="live-1", received_at=time.time(), payload=newer)  # fmt: skip
    name, item = item_for(event, parse_payload(event.topic, newer), runtime.memory) or ("", None)
    assert item is not None and runtime.buffers[name].offer(item) == "queued"
    runtime.flusher.drain(runtime.buffers[name])

    simulated.cli("backfill")

    deals = simulated.hubspot.records("deals", ["dealname", "amount", "shopify_note"])
    (deal,) = [d for d in deals if d["properties"]["dealname"] == order["name"]]
    # The store's own total differs: the import's older snapshot was dropped.
    assert float(deal["properties"]["amount"]) == 10.0
    assert deal["properties"]["shopify_note"] == "from the newest webhook"


def shop_order(order_id: int, name: str) -> dict[str, object]:
    return {
        "id": order_id, "name": name, "email": "newest@example.com",
        "created_at": "2026-01-01T00:00:00Z", "processed_at": "2026-01-01T00:00:00Z",
        "financial_status": "paid", "currency": "USD", "total_price": "10.00",
        "current_total_price": "10.00",
        "note": "from the newest webhook", "line_items": [],
    }  # fmt: skip


def lowered(env: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in env.items()}
