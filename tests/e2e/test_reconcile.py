"""W6: webhooks that never arrive, and subscriptions Shopify removed, made good by
reconciliation."""

from __future__ import annotations

import pytest

from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.shopify.models import LineItem
from shopspot.sync.products import product_ids_for_lines
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


def test_w6_reconciliation_archives_the_product_an_order_line_made_of_a_removed_variant(
    simulated: Simulated,
) -> None:
    """An order line naming a variant Shopspot never saw makes a product of it (P3). When
    Shopify removed the variant before the product's webhook came, no webhook ever says so:
    reconciliation finds the variant gone and archives its product, and keeps the others."""
    simulated.cli("backfill")
    shop = "shopspot-simulator.myshopify.com"
    product = simulated.simulator.app.sim.store.products.newest(1)[0]
    rt = Runtime(load_settings(_env_file=None, **{k.lower(): v for k, v in simulated.env.items()}))
    removed = LineItem(id=1, product_id=product.id, variant_id=9_999_999_999, title="Gone",
                       quantity=1, price="5.00")  # fmt: skip
    made = product_ids_for_lines(rt.context, shop, [removed])
    stub = f"{shop}:{product.id}:9999999999"
    assert stub in keys_held(simulated)
    assert made

    simulated.cli("reconcile")

    store = simulated.simulator.app.sim.store
    want = {f"{shop}:{p.id}:{v.id}" for p in store.products for v in p.variants}
    assert keys_held(simulated) == want
    # An order naming it again does not bring it back.
    assert product_ids_for_lines(rt.context, shop, [removed]) == {}
    assert keys_held(simulated) == want


def keys_held(simulated: Simulated) -> set[str]:
    products = simulated.hubspot.records("products", ["shopify_product_key"])
    return {r["properties"]["shopify_product_key"] for r in products}


def test_w6_reconciliation_archives_products_hubspot_holds_that_shopspot_forgot(
    simulated: Simulated,
) -> None:
    """A write that raced a deletion, or a memory that was lost, can leave a variant product
    in HubSpot that Shopspot no longer knows: reconciliation finds it among the products
    HubSpot made since the last run, and archives it when Shopify has neither its product
    nor its variant."""
    simulated.cli("backfill")
    shop = "shopspot-simulator.myshopify.com"
    kept = simulated.simulator.app.sim.store.products.newest(1)[0]
    rt = Runtime(load_settings(_env_file=None, **{k.lower(): v for k, v in simulated.env.items()}))
    lines = [
        LineItem(id=1, product_id=product_id, variant_id=variant_id, title="Forgotten",
                 quantity=1, price="5.00")
        for product_id, variant_id in ((kept.id, 9_999_999_998), (9_999_999_997, 9_999_999_996))
    ]  # fmt: skip
    assert len(product_ids_for_lines(rt.context, shop, lines)) == 2
    forgotten = {
        kept.id: {f"{shop}:{kept.id}:9999999998"},
        9_999_999_997: {f"{shop}:9999999997:9999999996"},
    }
    rt.memory.drop_variant_keys(shop, forgotten)
    rt.memory.forget_products(key for keys in forgotten.values() for key in keys)
    assert {key for keys in forgotten.values() for key in keys} <= keys_held(simulated)

    simulated.cli("reconcile")

    store = simulated.simulator.app.sim.store
    want = {f"{shop}:{p.id}:{v.id}" for p in store.products for v in p.variants}
    assert keys_held(simulated) == want
