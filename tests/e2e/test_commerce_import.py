"""S2 under T1's `both` target: the import of a simulated store writes every order twice, as
a deal and as a HubSpot order associated with it, and every abandoned checkout as a cart."""

from __future__ import annotations

import json

import pytest

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
