"""S2 and verification under T1's targets: the import with `both` writes every order twice,
as a deal and as a HubSpot order associated with it, and every checkout as a cart; under
`commerce`, `shopspot verify` checks and repairs HubSpot orders, and reconciliation makes
good what dropped webhooks missed."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.e2e.test_verify import break_two, problems, verify
from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration


def test_s2_t1_the_import_with_both_targets_gives_each_deal_its_order(
    simulated: Simulated,
) -> None:
    simulated.env["HUBSPOT_SYNC_TARGET"] = "both"
    (shop,) = json.loads(simulated.cli("backfill", "--json"))
    simulated.cli("sweep")

    expected = simulated.expected()
    held = simulated.held()
    deals = simulated.hubspot.records("deals", ["shopify_deal_key", "dealname"])
    orders = simulated.hubspot.records("orders", ["hs_order_name"])
    carts = simulated.hubspot.records("carts", ["hs_external_status"])
    order_deals = [d for d in deals if not d["properties"]["dealname"].startswith("Checkout ")]
    assert held["deals"] == expected["deals"]
    assert held["deals_by_stage"] == expected["deals_by_stage"]
    assert shop["dead_letters"] == 0 and simulated.dead_letters() == []
    assert orders and len(orders) == len(order_deals)
    names = {d["id"]: d["properties"]["dealname"] for d in deals}
    for order in orders:
        (deal_id,) = simulated.hubspot.associated("orders", order["id"], "deals")
        assert names[deal_id] == order["properties"]["hs_order_name"]
    abandoned = expected["deals_by_stage"].get("Checkout Abandoned", 0)
    statuses = [c["properties"]["hs_external_status"] for c in carts]
    assert statuses.count("abandoned") == abandoned


def test_w6_verify_under_commerce_checks_hubspot_orders_and_repairs_them(
    simulated: Simulated,
) -> None:
    simulated.env["HUBSPOT_SYNC_TARGET"] = "commerce"
    simulated.cli("backfill")
    assert verify(simulated)["differences"] == []
    orders = [
        o for o in simulated.hubspot.records("orders", ["hs_total_price"])
        if float(o["properties"]["hs_total_price"]) > 2
    ]  # fmt: skip
    break_two(simulated, "orders", "hs_total_price", orders)

    found = verify(simulated)
    assert problems(found) == [("order", "amount", "1.23"), ("order", "missing", None)]

    assert verify(simulated, "--repair")["repaired"] == 2
    assert verify(simulated)["differences"] == []
    assert simulated.hubspot.records("deals", []) == []
    assert simulated.dead_letters() == []


def test_w6_reconciliation_under_commerce_brings_orders_and_carts_level_with_the_store(
    simulated: Simulated,
) -> None:
    simulated.env["HUBSPOT_SYNC_TARGET"] = "commerce"
    simulated.cli("backfill")
    # Every webhook of what follows is lost on its way.
    simulated.simulator.client.post("/_simulator/config", json={"drop_probability": 1.0})
    assert simulated.simulator.client.post("/_simulator/changes", json={"count": 40}).json()

    simulated.cli("reconcile")
    simulated.cli("sweep")

    expected = simulated.expected()["deals_by_stage"]
    (pipeline,) = simulated.hubspot.api.get("/crm/v3/pipelines/orders").json()["results"]
    labels = {stage["id"]: stage["label"] for stage in pipeline["stages"]}
    orders = Counter(
        labels[o["properties"]["hs_pipeline_stage"]]
        for o in simulated.hubspot.records("orders", ["hs_pipeline_stage"])
    )
    carts = Counter(
        c["properties"]["hs_external_status"]
        for c in simulated.hubspot.records("carts", ["hs_external_status"])
    )
    assert orders == {s: n for s, n in expected.items() if s in labels.values()}
    assert (carts["pending"], carts["abandoned"]) == (
        expected.get("Checkout Pending", 0),
        expected.get("Checkout Abandoned", 0),
    )
    assert simulated.hubspot.records("deals", []) == []
    assert simulated.dead_letters() == []
