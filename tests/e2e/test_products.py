"""P1-P3: products and their variants, through signed webhooks into the HubSpot sandbox."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shopspot.events import WebhookEvent
from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import Unavailable
from shopspot.pending import PendingBuffer
from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.shopify.models import Order, Product
from shopspot.sync.context import SyncContext
from shopspot.sync.items import item_for
from shopspot.sync.memory import Memory
from shopspot.sync.products import delete_products, product_ids_for_lines, write_products
from shopspot.topics import parse_payload
from tests.e2e.conftest import OTHER_SHOP, Shopspot
from tests.e2e.test_backfill import lowered
from tests.support.env import SHOP
from tests.support.shopify import MUG_LINE, order, product
from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration

PRODUCT_FIELDS = (
    "name", "description", "price", "hs_sku", "hs_images", "shopify_handle",
    "shopify_created_at", "shopify_product_type", "shopify_published_at",
    "shopify_published_scope", "shopify_tags", "shopify_vendor", "shopify_images",
    "shopify_product_id", "shopify_variant_id", "shopify_variant_title",
    "shopify_product_key", "shopify_shop_domain",
)  # fmt: skip

SIZES = [
    (8_100_000_000_000_011, "Small", "20.00", "MUG-S"),
    (8_100_000_000_000_012, "Large", "30.00", "MUG-L"),
    (8_100_000_000_000_013, "Huge", "45.50", None),
]


def test_p1_a_product_syncs_with_its_fields(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product())

    mug = shopspot.one("products", *PRODUCT_FIELDS)
    assert mug["name"] == "Analytical Mug"
    assert mug["description"] == "<p>Holds <strong>tea</strong> and numbers.</p>"
    assert mug["price"] == "25.00" or float(mug["price"]) == 25.0
    assert mug["hs_sku"] == "MUG-1"
    assert mug["shopify_handle"] == "analytical-mug"
    assert mug["shopify_product_type"] == "Mugs"
    assert mug["shopify_vendor"] == "Babbage & Co"
    assert mug["shopify_tags"] == "kitchen, gifts"
    assert mug["shopify_published_scope"] == "global"
    assert mug["shopify_images"] == "https://cdn.example.com/mug.jpg"
    assert mug["hs_images"] == "https://cdn.example.com/mug.jpg"
    assert mug["shopify_created_at"] == "2026-11-02T09:00:00.000Z"
    assert mug["shopify_published_at"] == "2026-11-02T09:01:00.000Z"
    assert mug["shopify_product_id"] == "8000000000000001"
    assert mug["shopify_shop_domain"] == "test-shop.myshopify.com"


def test_p2_deleting_a_product_archives_it(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product(variants=SIZES))
    shopspot.send("products/delete", {"id": 8_000_000_000_000_001})

    assert shopspot.records("products") == []
    assert shopspot.hubspot.stats()["objects"]["products"]["archived"] == 3


def test_p2_a_deletion_after_shopspot_lost_its_memory_archives_the_products(
    shopspot: Shopspot,
) -> None:
    shopspot.send("products/create", product(variants=SIZES))
    other = {"shop": OTHER_SHOP, "secret": "second-secret"}
    shopspot.send("products/create", product(variants=SIZES), **other)
    # Redis's data lost or replaced: Shopspot no longer knows which HubSpot products it made.
    Memory(shopspot.redis).forget_shop(SHOP)
    searches = product_searches(shopspot)

    shopspot.send("products/delete", {"id": 8_000_000_000_000_001})

    # Found in HubSpot by the product's id, within the shop: another shop's product of the
    # same id (ids are unique only within a shop) stays.
    left = shopspot.records("products", "shopify_shop_domain")
    assert [record["shopify_shop_domain"] for record in left] == [OTHER_SHOP] * 3
    assert shopspot.hubspot.stats()["objects"]["products"]["archived"] == 3
    assert product_searches(shopspot) == searches + 1


def product_searches(shopspot: Shopspot) -> int:
    calls = shopspot.hubspot.stats()["by_endpoint"]
    return sum(n for name, n in calls.items() if name.endswith("/products/search"))


def offer(runtime: Runtime, shop: str, topic: str, payload: dict[str, Any]) -> PendingBuffer:
    """Queue a webhook's write as its task would; the buffer it waits in."""
    event = WebhookEvent(
        shop=shop, topic=topic, event_id=topic, received_at=time.time(), payload=payload
    )
    target = item_for(event, parse_payload(topic, payload), runtime.memory)
    assert target is not None
    buffer = runtime.buffers[target[0]]
    assert buffer.offer(target[1]) == "queued"
    return buffer


def active_product_ids(simulated: Simulated) -> set[str]:
    found = simulated.hubspot.records("products", ["shopify_product_id"])
    return {record["properties"]["shopify_product_id"] for record in found}


def test_p2_a_deletion_hubspot_failed_to_archive_is_archived_by_the_next_flush(
    simulated: Simulated,
) -> None:
    simulated.cli("backfill")
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    doomed = next(iter(simulated.simulator.app.sim.store.products)).id
    shop = simulated.env["SHOPIFY_SHOP_DOMAIN"]
    buffer = offer(runtime, shop, "products/delete", {"id": doomed})

    simulated.hubspot.configure(fault_503_probability=1.0)
    with pytest.raises(Unavailable):
        runtime.flusher.flush(buffer)
    simulated.hubspot.configure(fault_503_probability=0.0)
    runtime.flusher.drain(buffer)

    assert str(doomed) not in active_product_ids(simulated)


def test_p2_a_deletion_finds_the_products_of_a_write_that_died_half_way(
    simulated: Simulated,
) -> None:
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    shop = simulated.env["SHOPIFY_SHOP_DOMAIN"]
    buffer = offer(runtime, shop, "products/create", product(variants=SIZES))
    # HubSpot writes the products, but its answers are lost: the flush gives up.
    simulated.hubspot.configure(fault_after_write_probability=1.0)
    with pytest.raises(Unavailable):
        runtime.flusher.flush(buffer)
    simulated.hubspot.configure(fault_after_write_probability=0.0)
    assert "8000000000000001" in active_product_ids(simulated)

    offer(runtime, shop, "products/delete", {"id": 8_000_000_000_000_001})
    runtime.flusher.drain(buffer)

    assert "8000000000000001" not in active_product_ids(simulated)


class HeldRequest(httpx.BaseTransport):
    """Real HTTP, except that the first request to a path ending in `held` (or one of them)
    waits until the test lets it go: another writer's work happens in between, at a known
    step."""

    def __init__(self, held: str | tuple[str, ...]) -> None:
        self._held = held
        self._wire = httpx.HTTPTransport()
        self.reached = threading.Event()
        self.go = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self._held) and not self.reached.is_set():
            self.reached.set()
            assert self.go.wait(30)
        return self._wire.handle_request(request)


def holding(runtime: Runtime, transport: HeldRequest) -> SyncContext:
    """The runtime's context, with a HubSpot client of its own that goes through `transport`."""
    hubspot = runtime.hubspot
    token = runtime.settings.require_hubspot_token().get_secret_value()
    client = HubSpotClient(
        runtime.settings.hubspot_base_url,
        token,
        runtime.limiter,
        hubspot.policy,
        transport=transport,
        paths=hubspot.paths,
    )
    return dataclasses.replace(runtime.context, client=client)


def lines_made_while(
    runtime: Runtime, held: str | tuple[str, ...], order: Order, meanwhile: Callable[[], None]
) -> dict[int, str]:
    """The products of the order's lines, as its flush finds or makes them, with `meanwhile`
    run while the flush's request to `held` waits."""
    transport = HeldRequest(held)
    context = holding(runtime, transport)
    shop = runtime.settings.shopify_shop_domain
    assert shop is not None
    found: dict[int, str] = {}
    making = threading.Thread(
        target=lambda: found.update(product_ids_for_lines(context, shop, order.line_items))
    )
    making.start()
    try:
        assert transport.reached.wait(30)
        meanwhile()
    finally:
        transport.go.set()
        making.join(30)
    return found


MAKE = ("/products/batch/create", "/products/batch/upsert")


@pytest.mark.parametrize("held", ["/products/batch/read", MAKE], ids=["read", "make"])
def test_p2_a_product_deleted_while_an_order_line_makes_it_is_archived(
    simulated: Simulated, held: str | tuple[str, ...]
) -> None:
    """An order's flush makes the product of a line's variant while, in another flush, the
    product's deletion looks for its variants: before the order's flush has recorded the
    variant (`held` read), or before HubSpot has made it (`held` make)."""
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    shop = simulated.env["SHOPIFY_SHOP_DOMAIN"]
    lines = parse_payload("orders/create", order(lines=[MUG_LINE]))
    assert isinstance(lines, Order)
    found = lines_made_while(
        runtime,
        held,
        lines,
        lambda: delete_products(runtime.context, shop, [8_000_000_000_000_001]),
    )

    assert "8000000000000001" not in active_product_ids(simulated)
    # The line is left without a product, as are lines of products deleted before.
    assert found == {}


def test_p3_a_variant_an_order_line_makes_during_its_products_write_is_archived_later(
    simulated: Simulated,
) -> None:
    """The product's write must not forget a variant an order line made meanwhile: the
    product's next write archives it, since Shopify no longer lists it."""
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    shop = simulated.env["SHOPIFY_SHOP_DOMAIN"]
    mug = parse_payload("products/update", product(variants=SIZES))
    lines = parse_payload("orders/create", order(lines=[MUG_LINE]))
    assert isinstance(mug, Product) and isinstance(lines, Order)
    transport = HeldRequest("/products/batch/upsert")
    context = holding(runtime, transport)
    writing = threading.Thread(target=write_products, args=(context, shop, [mug]))
    writing.start()
    try:
        assert transport.reached.wait(30)
        assert product_ids_for_lines(runtime.context, shop, lines.line_items)
    finally:
        transport.go.set()
        writing.join(30)

    again = parse_payload("products/update", product(variants=SIZES, minute=5))
    assert isinstance(again, Product)
    write_products(runtime.context, shop, [again])
    found = simulated.hubspot.records("products", ["shopify_variant_id"])
    assert sorted(int(r["properties"]["shopify_variant_id"]) for r in found) == [
        size[0] for size in SIZES
    ]


def test_p3_a_product_written_while_an_order_line_makes_it_keeps_its_own_fields(
    simulated: Simulated,
) -> None:
    """An order's flush finds no product for a line and makes one from the line, while the
    product's own write comes in between: the line's product must not overwrite it."""
    runtime = Runtime(load_settings(_env_file=None, **lowered(simulated.env)))
    shop = simulated.env["SHOPIFY_SHOP_DOMAIN"]
    mug = parse_payload("products/create", product(variants=SIZES))
    large = (9_000_000_000_000_002, 8_000_000_000_000_001, SIZES[1][0], "Analytical Mug", 1,
             "30.00")  # fmt: skip
    lines = parse_payload("orders/create", order(lines=[large]))
    assert isinstance(mug, Product) and isinstance(lines, Order)
    found = lines_made_while(
        runtime, MAKE, lines, lambda: write_products(runtime.context, shop, [mug])
    )

    held = simulated.hubspot.records("products", ["name", "shopify_variant_id"])
    by_variant = {int(r["properties"]["shopify_variant_id"]): r for r in held}
    assert by_variant[SIZES[1][0]]["properties"]["name"] == "Analytical Mug - Large"
    assert found == {SIZES[1][0]: by_variant[SIZES[1][0]]["id"]}
    assert len(held) == len(SIZES)


def test_p3_each_variant_is_a_product_named_after_it(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product(variants=SIZES))

    variants = sorted(
        shopspot.records("products", "name", "price", "hs_sku", "shopify_variant_title",
                         "shopify_product_key"),
        key=lambda p: p["shopify_product_key"],
    )  # fmt: skip
    assert [v["name"] for v in variants] == [
        "Analytical Mug - Small",
        "Analytical Mug - Large",
        "Analytical Mug - Huge",
    ]
    assert [float(v["price"]) for v in variants] == [20.0, 30.0, 45.5]
    assert [v.get("hs_sku") for v in variants] == ["MUG-S", "MUG-L", None]
    assert variants[0]["shopify_product_key"] == (
        "test-shop.myshopify.com:8000000000000001:8100000000000011"
    )


def test_p3_a_removed_variant_archives_its_product(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product(variants=SIZES))
    shopspot.send("products/update", product(variants=SIZES[:2], minute=5))

    names = sorted(p["name"] for p in shopspot.records("products", "name"))
    assert names == ["Analytical Mug - Large", "Analytical Mug - Small"]


def test_p3_order_line_items_point_at_the_variant_product(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product(variants=SIZES))
    large = (9_000_000_000_000_002, 8_000_000_000_000_001, SIZES[1][0], "Analytical Mug", 1,
             "30.00")  # fmt: skip
    shopspot.send("orders/create", order(lines=[large]))

    (item,) = shopspot.records("line_items", "hs_product_id", "description", "name")
    by_id = {p["id"]: p for p in shopspot.records("products", "name")}
    assert by_id[item["hs_product_id"]]["name"] == "Analytical Mug - Large"
    assert item["description"] == "Holds tea and numbers."


def test_p2_a_product_met_only_on_an_order_line_is_archived_when_deleted(
    shopspot: Shopspot,
) -> None:
    shopspot.send("orders/create", order(lines=[MUG_LINE]))
    shopspot.send("products/delete", {"id": 8_000_000_000_000_001})

    assert shopspot.records("products") == []


def test_a_line_for_a_product_not_synced_yet_gets_its_product_then_the_full_one(
    shopspot: Shopspot,
) -> None:
    shopspot.send("orders/create", order(lines=[MUG_LINE]))
    shopspot.send("products/create", product())

    (mug,) = shopspot.records("products", "name", "shopify_vendor")
    (item,) = shopspot.records("line_items", "hs_product_id")
    assert item["hs_product_id"] == mug["id"]
    assert mug["shopify_vendor"] == "Babbage & Co"
