"""R1 under the commerce target: HubSpot orders and carts, as the API lists them, become the
deals the deals model would hold for the same store (a checkout and its order are one deal)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shopspot.hubspot.schema import Pipeline
from shopspot.reports.commerce import commerce_deals
from shopspot.reports.figures import Deal

SHOP = "kiln-and-co.myshopify.com"
PIPELINE = Pipeline(
    id="orders-1",
    stage_ids={"Checkout Completed": "s1", "Processed": "s2", "Shipped": "s3", "Cancelled": "s4"},
)


def listed(record_id: str, links: dict[str, list[str]] | None = None, **props: str) -> Any:
    """A record as `GET /crm/objects/.../{type}?associations=...` lists it."""
    record: dict[str, Any] = {
        "id": record_id,
        "properties": {"shopify_shop_domain": SHOP, **props},
    }
    shown = {kind: ids for kind, ids in (links or {}).items() if ids}
    if shown:
        record["associations"] = {
            kind: {"results": [{"id": i, "type": f"x_to_{kind}"} for i in ids]}
            for kind, ids in shown.items()
        }
    return record


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def order(record_id: str, stage: str, total: str, day: int, **links: list[str]) -> Any:
    return listed(
        record_id,
        links,
        hs_pipeline=PIPELINE.id,
        hs_pipeline_stage=PIPELINE.stage_ids[stage],
        hs_total_price=total,
        shopify_processed_at=f"2026-11-{day:02d}T12:00:00.000Z",
    )


def cart(record_id: str, status: str, total: str, day: int | None = None, **links: Any) -> Any:
    abandoned = {"shopify_abandoned_at": f"2026-11-{day:02d}T12:00:00.000Z"} if day else {}
    return listed(record_id, links, hs_external_status=status, hs_total_price=total, **abandoned)


def test_orders_and_carts_become_the_deals_of_the_deals_model() -> None:
    orders = [
        # Recovered an abandoned cart: one deal, abandoned when the cart was.
        order("o1", "Processed", "40.00", 12, contacts=["c1"], carts=["k1"]),
        order("o2", "Cancelled", "30.00", 7, contacts=["c2"]),
        order("o3", "Shipped", "20.00", 8),  # a guest
        # Its cart is still marked abandoned (the recovery write comes after): one deal all
        # the same.
        order("o4", "Checkout Completed", "15.00", 9, contacts=["c3"], carts=["k2"]),
    ]
    carts = [
        cart("k1", "recovered", "40.00", 2, contacts=["c1"]),
        cart("k2", "abandoned", "15.00", 3, contacts=["c3"]),
        cart("k3", "abandoned", "12.00", 4, contacts=["c4"]),
        cart("k4", "pending", "9.50"),
        cart("k5", "recovered", "8.00", 5),  # its order was deleted: no deal left, as under D6
    ]

    deals = commerce_deals(orders, carts, PIPELINE, SHOP)

    assert deals == [
        Deal("Processed", Decimal("40.00"), at(12), at(2), "c1"),
        Deal("Cancelled", Decimal("30.00"), at(7), None, "c2"),
        Deal("Shipped", Decimal("20.00"), at(8), None, None),
        Deal("Checkout Completed", Decimal("15.00"), at(9), at(3), "c3"),
        Deal("Checkout Abandoned", Decimal("12.00"), None, at(4), "c4"),
        Deal("Checkout Pending", Decimal("9.50"), None, None, None),
    ]


def test_only_the_shops_orders_in_the_order_pipeline_count() -> None:
    other_shop = order("o1", "Processed", "40.00", 12)
    other_shop["properties"]["shopify_shop_domain"] = "other.myshopify.com"
    other_pipeline = order("o2", "Processed", "40.00", 12)
    other_pipeline["properties"]["hs_pipeline"] = "someone-elses"
    foreign_cart = cart("k1", "abandoned", "5.00", 1)
    foreign_cart["properties"]["shopify_shop_domain"] = "other.myshopify.com"
    mine = order("o3", "Processed", "10.00", 3, carts=["k1"])

    deals = commerce_deals([other_shop, other_pipeline, mine], [foreign_cart], PIPELINE, SHOP)

    # Another shop's cart is not this order's recovered cart either.
    assert deals == [Deal("Processed", Decimal("10.00"), at(3), None, None)]


def test_unknown_stages_and_statuses_are_kept_without_a_label() -> None:
    stray = order("o1", "Processed", "10.00", 3)
    stray["properties"]["hs_pipeline_stage"] = "gone"
    odd = cart("k1", "expired", "4.00")

    deals = commerce_deals([stray], [odd], PIPELINE, SHOP)

    # Counted nowhere in the snapshot, sold never: as a deal in an unknown stage.
    assert [deal.stage for deal in deals] == ["", ""]
