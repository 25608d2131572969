"""`shopspot trace`: the story of an object as the running receiver, worker and HubSpot
sandbox made it, told in order, with the HubSpot record it ended in or its dead letter."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from shopspot.mapping.values import ms
from shopspot.trace.store import Entry, Subject, Traced, TraceStore
from tests.e2e.conftest import Shopspot
from tests.support.env import SHOP
from tests.support.processes import wait_for
from tests.support.shopify import at, customer, order

pytestmark = pytest.mark.integration

ORDER_ID = "6000000000000001"
CUSTOMER_ID = "7000000000000001"


def run(shopspot: Shopspot, *args: str) -> Result:
    return CliRunner().invoke(main, ["trace", *args], env=shopspot.cli_env)


def story(shopspot: Shopspot, kind: str, ident: str) -> dict[str, Any]:
    result = run(shopspot, kind, ident, "--shop", SHOP, "--json")
    assert result.exit_code == 0, result.output
    told: dict[str, Any] = json.loads(result.output)
    return told


def steps_so_far(shopspot: Shopspot, kind: Traced, ident: str) -> list[Entry]:
    return TraceStore(shopspot.redis, 14).entries(Subject(SHOP, kind, ident))


def version(minutes: float) -> int | None:
    return ms(datetime.fromisoformat(at(minutes)))


def test_an_orders_story_tells_duplicates_stale_versions_retries_and_its_deal(
    shopspot: Shopspot,
) -> None:
    newer = order(minute=20)
    older = order(minute=10, financial_status="pending")
    # Set up beforehand, as deployed: the outage is to fail the flush, not the set-up.
    assert CliRunner().invoke(main, ["setup"], env=shopspot.cli_env).exit_code == 0
    shopspot.hubspot.configure(fault_503_probability=1.0)
    assert shopspot.post("orders/updated", newer, event_id="newer").json()["status"] == "queued"
    wait_for(
        lambda: any(s.outcome == "retry" for s in steps_so_far(shopspot, Traced.ORDER, ORDER_ID)),
        timeout=60,
        message="a flush to fail",
    )
    assert shopspot.post("orders/updated", newer, event_id="newer").json()["status"] == "duplicate"
    assert shopspot.post("orders/create", older, event_id="older").json()["status"] == "queued"
    wait_for(
        lambda: any(s.outcome == "stale" for s in steps_so_far(shopspot, Traced.ORDER, ORDER_ID)),
        message="the older version to be found stale",
    )
    meanwhile = story(shopspot, "order", ORDER_ID)["now"]
    shopspot.hubspot.configure(fault_503_probability=0.0)
    shopspot.settle()

    told = story(shopspot, "order", ORDER_ID)
    timeline = told["timeline"]
    deal = shopspot.one("deals", "dealstage")
    portal = shopspot.hubspot.api.get("/account-info/v3/details").json()["portalId"]
    link = f"https://app.hubspot.com/contacts/{portal}/record/0-3/{deal['id']}"
    assert [step["at"] for step in timeline] == sorted(step["at"] for step in timeline)
    assert [
        (step["step"], step["outcome"], step["event_id"], step.get("version"))
        for step in timeline
        if step["outcome"] != "retry"
    ] == [
        ("receiver", "accepted", "newer", version(20)),
        ("task", "queued", "newer", version(20)),
        ("receiver", "duplicate", "newer", version(20)),
        ("receiver", "accepted", "older", version(10)),
        ("task", "stale", "older", version(10)),
        ("flush", "written", "newer", version(20)),
    ]
    assert meanwhile["state"] in ("waiting", "in flight")
    assert [stall["buffer"] for stall in meanwhile["stalled"]] == ["deals"]
    assert meanwhile["stalled"][0]["failures"] >= 1
    outcomes = [step["outcome"] for step in timeline]
    assert outcomes.index("retry") == 2  # the flush failed before the duplicate came
    assert outcomes[-1] == "written"
    retries = [step for step in timeline if step["outcome"] == "retry"]
    assert all(step["step"] == "flush" and step["reason"] for step in retries)
    assert sum(step.get("retries", 1) for step in retries) >= 1
    assert timeline[-1]["records"] == [{"type": "deal", "id": deal["id"], "url": link}]
    assert told["now"]["state"] == "written"
    assert told["now"]["records"] == [{"type": "deal", "id": deal["id"], "url": link}]
    assert told["now"]["deal_stage"] == shopspot.stage(deal) == "Processed"

    text = run(shopspot, "order", f"gid://shopify/Order/{ORDER_ID}", "--shop", SHOP).output
    assert "orders/updated, event newer: duplicate, answered without queueing it again" in text
    assert "not queued: older than one already queued or written (stale)" in text
    assert f"written to HubSpot: deal {deal['id']} {link}" in text
    assert text.splitlines()[-1].endswith(f"written: deal {deal['id']} {link} in stage Processed")


@pytest.mark.dead_letters
def test_a_dead_lettered_customers_story_names_its_dead_letter(shopspot: Shopspot) -> None:
    # HubSpot refuses an address without a top-level domain.
    shopspot.send("customers/create", customer(email="ada@example"), event_id="refused")
    (letter,) = shopspot.dead_letters.list()

    told = story(shopspot, "customer", CUSTOMER_ID)

    assert [(s["step"], s["outcome"]) for s in told["timeline"]] == [
        ("receiver", "accepted"),
        ("task", "queued"),
        ("flush", "dead_letter"),
    ]
    assert told["timeline"][-1]["letter"] == letter.id
    assert told["timeline"][-1]["reason"] == letter.reason
    assert letter.reason == "HubSpot 400 VALIDATION_ERROR: email INVALID_EMAIL"
    assert told["now"] == {
        "state": "dead-lettered",
        "records": [],
        "deal_stage": None,
        "dead_letters": [{"id": letter.id, "reason": letter.reason, "held": True}],
        "stalled": [],
    }
    text = run(shopspot, "customer", CUSTOMER_ID, "--shop", SHOP).output
    assert f"dead-lettered as {letter.id}: {letter.reason}" in text
    for personal in ("ada@example", "Ada", "Lovelace", "London"):
        assert personal not in text
        assert personal not in json.dumps(told)


def test_an_object_without_a_story_a_store_not_named_and_a_bad_id_are_said_so(
    shopspot: Shopspot,
) -> None:
    untraced = run(shopspot, "order", "1", "--shop", SHOP)
    unnamed = run(shopspot, "order", ORDER_ID)  # two stores are configured
    misnamed = run(shopspot, "order", "ada@example.com", "--shop", SHOP)

    assert untraced.exit_code == 1
    assert f"no trace of order 1 of {SHOP} in the last 14 days" in untraced.output
    assert unnamed.exit_code == 2
    assert "--shop is needed" in unnamed.output
    assert misnamed.exit_code == 2
    assert "not the id of a Shopify order" in misnamed.output
