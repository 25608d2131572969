"""W6: webhooks that never arrive, and subscriptions Shopify removed, made good by
reconciliation."""

from __future__ import annotations

import pytest

from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration


def test_w6_reconciliation_syncs_what_dropped_webhooks_missed(simulated: Simulated) -> None:
    simulated.cli("backfill")
    # Every webhook of what follows is lost on its way.
    simulated.simulator.client.post("/_simulator/config", json={"drop_probability": 1.0})
    changes = simulated.simulator.client.post("/_simulator/changes", json={"count": 40}).json()
    assert changes
    before = simulated.held()

    output = simulated.cli("reconcile")
    simulated.cli("sweep")

    expected = simulated.expected()
    held = simulated.held()
    assert held != before
    store = simulated.simulator.app.sim.store
    want = {f"{p.id}:{v.id}" for p in store.products for v in p.variants}
    products = simulated.hubspot.records("products", ["shopify_product_key"])
    assert {r["properties"]["shopify_product_key"].split(":", 1)[1] for r in products} == want
    assert held["products"] == expected["products"]
    assert held["deals"] == expected["deals"]
    assert held["deals_by_stage"] == expected["deals_by_stage"]
    assert held["contacts"] == expected["contacts"]
    assert "changed since" in output


def test_w6_reconciliation_recreates_webhook_subscriptions_shopify_removed(
    simulated: Simulated,
) -> None:
    simulated.env["PUBLIC_URL"] = "https://shopspot.example.com"
    simulated.cli("setup")
    subscriptions = simulated.simulator.data(
        "{ webhookSubscriptions(first: 100) { nodes { id topic } } }"
    )["webhookSubscriptions"]["nodes"]
    removed = next(s for s in subscriptions if s["topic"] == "ORDERS_UPDATED")
    simulated.simulator.data(
        "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) "
        "{ deletedWebhookSubscriptionId } }",
        {"id": removed["id"]},
    )

    output = simulated.cli("reconcile")

    topics = [s["topic"] for s in simulated.simulator.data(
        "{ webhookSubscriptions(first: 100) { nodes { topic } } }"
    )["webhookSubscriptions"]["nodes"]]  # fmt: skip
    assert sorted(topics) == sorted(s["topic"] for s in subscriptions)
    assert "1 webhook subscriptions re-created" in output
