"""`shopspot verify`: HubSpot changed behind Shopspot's back (a deal deleted, an amount
edited) is found object by object and, with --repair, restored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from tests.support.processes import start_worker, wait_for
from tests.support.simulated import Simulated
from worker.routing import SWEEP_QUEUE, VERIFY_TASK

pytestmark = pytest.mark.integration

ORDER_STAGES = {"Checkout Completed", "Processed", "Shipped", "Cancelled"}


def verify(simulated: Simulated, *extra: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(simulated.cli("verify", "--days", "3660", "--json", *extra))
    return report


def break_two(
    simulated: Simulated, object_type: str, amount: str, records: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Delete the first of `records` in HubSpot and set the second's `amount` to 1.23; verify
    must then find exactly those two orders."""
    gone, edited = records[0], records[1]
    api = simulated.hubspot.api
    api.delete(f"/crm/v3/objects/{object_type}/{gone['id']}").raise_for_status()
    change = {"properties": {amount: "1.23"}}
    api.patch(f"/crm/v3/objects/{object_type}/{edited['id']}", json=change).raise_for_status()
    return gone, edited


def problems(found: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return sorted((d["kind"], d["problem"], d["hubspot"]) for d in found["differences"])


def test_verify_finds_exactly_what_was_broken_in_hubspot_and_repairs_it(
    simulated: Simulated,
) -> None:
    simulated.cli("backfill")
    assert verify(simulated)["differences"] == []
    stages = simulated.hubspot.pipeline_stages()
    orders = [
        deal for deal in simulated.hubspot.records("deals", ["dealstage", "amount"])
        if stages[deal["properties"]["dealstage"]] in ORDER_STAGES
        and float(deal["properties"]["amount"]) > 2
    ]  # fmt: skip
    gone, edited = break_two(simulated, "deals", "amount", orders)

    found = verify(simulated)
    assert problems(found) == [("order", "amount", "1.23"), ("order", "missing", None)]
    day_counts = [(d["orders"], d["orders_in_hubspot"]) for d in found["days"]]
    assert sum(o for o, _ in day_counts) - sum(h for _, h in day_counts) == 2

    repaired = verify(simulated, "--repair")
    assert repaired["repaired"] == 2 and len(repaired["differences"]) == 2
    assert verify(simulated)["differences"] == []
    amounts = {
        d["id"]: d["properties"]["amount"] for d in simulated.hubspot.records("deals", ["amount"])
    }
    assert amounts[edited["id"]] == edited["properties"]["amount"]
    assert len([d for d in amounts if d not in {gone["id"]}]) == len(amounts)
    assert len(amounts) == simulated.expected()["deals"]
    assert simulated.dead_letters() == []


def test_beats_verify_task_repairs_hubspot_through_the_workers(
    simulated: Simulated, tmp_path: Path
) -> None:
    simulated.cli("backfill")
    stages = simulated.hubspot.pipeline_stages()
    deal = next(
        d for d in simulated.hubspot.records("deals", ["dealstage", "amount"])
        if stages[d["properties"]["dealstage"]] in ORDER_STAGES
    )  # fmt: skip
    change = {"properties": {"amount": "0.01"}}
    simulated.hubspot.api.patch(f"/crm/v3/objects/deals/{deal['id']}", json=change)
    worker = start_worker({**simulated.env_for_processes(), "VERIFY_DAYS": "3660"}, tmp_path)
    try:
        beat = Celery(broker=simulated.env["REDIS_URL"])
        beat.send_task(VERIFY_TASK, queue=SWEEP_QUEUE)
        beat.close()

        def restored() -> bool:
            found = simulated.hubspot.records("deals", ["amount"])
            return any(d["id"] == deal["id"] and d["properties"]["amount"] != "0.01" for d in found)

        wait_for(restored, timeout=60, message="beat's verify to write the deal again")
    finally:
        worker.stop()
    status = json.loads(simulated.cli("status", "--json"))["verified"]
    assert [(v["differences"], v["repaired"]) for v in status.values()] == [(1, 1)]
