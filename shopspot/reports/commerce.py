"""What the reports read from HubSpot under the commerce target (SPEC T1): the shop's orders in
the "Ecommerce Orders" pipeline and its carts, with their contacts, as the deals they would be
in the deals model, so that one definition of the reports serves every target (R1).

A checkout and the order it became are one deal (D7): an order is a deal in its order stage,
worth its ``hs_total_price``, closed when it was processed (``shopify_processed_at``) and
abandoned when the cart it recovered was; a cart that no order recovered is a deal in
Checkout Pending or Checkout Abandoned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shopspot.hubspot import crm
from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.schema import Pipeline
from shopspot.mapping.carts import CartStatus
from shopspot.mapping.datamodel import Stage
from shopspot.mapping.values import shop_domain
from shopspot.reports.figures import Contact, Deal
from shopspot.reports.hubspot import amount, deal_contacts, linked, moment, stage_labels

ORDER_PROPERTIES = (
    "hs_pipeline",
    "hs_pipeline_stage",
    "hs_total_price",
    "shopify_processed_at",
    "shopify_shop_domain",
)
CART_PROPERTIES = (
    "hs_external_status",
    "hs_total_price",
    "shopify_abandoned_at",
    "shopify_shop_domain",
)
CART_STAGES = {
    CartStatus.PENDING.value: Stage.CHECKOUT_PENDING.value,
    CartStatus.ABANDONED.value: Stage.CHECKOUT_ABANDONED.value,
}
Record = Mapping[str, Any]


def shop_orders(
    client: HubSpotClient, pipeline: Pipeline, shop: str
) -> tuple[list[Deal], dict[str, Contact]]:
    """`pipeline` is the order pipeline."""
    orders = list(
        crm.all_records(client, "orders", ORDER_PROPERTIES, associations=("contacts", "carts"))
    )
    carts = list(crm.all_records(client, "carts", CART_PROPERTIES, associations=("contacts",)))
    deals = commerce_deals(orders, carts, pipeline, shop)
    return deals, deal_contacts(client, deals)


def commerce_deals(
    orders: Sequence[Record], carts: Sequence[Record], pipeline: Pipeline, shop: str
) -> list[Deal]:
    """The shop's orders and carts, as listed with their associations, as deals."""
    domain = shop_domain(shop)
    labels = stage_labels(pipeline)
    mine = [
        order
        for order in orders
        if _of(order, domain) and order["properties"].get("hs_pipeline") == pipeline.id
    ]
    shop_carts = {str(cart["id"]): cart for cart in carts if _of(cart, domain)}
    deals = []
    completed: set[str] = set()
    for order in mine:
        recovered = [shop_carts[cid] for cid in linked(order, "carts") if cid in shop_carts]
        completed.update(str(cart["id"]) for cart in recovered)
        deals.append(order_deal(order, labels, recovered))
    # A recovered cart whose order is gone went with it, as the deal would have (D6).
    deals += [
        cart_deal(cart)
        for cid, cart in shop_carts.items()
        if cid not in completed and _status(cart) != CartStatus.RECOVERED
    ]
    return deals


def order_deal(order: Record, labels: Mapping[str, str], recovered: Sequence[Record]) -> Deal:
    """An order and the carts it recovered (one, or none) as one deal. `labels`: the order
    pipeline's stage id -> label."""
    props = order["properties"]
    abandoned = (moment(c["properties"].get("shopify_abandoned_at")) for c in recovered)
    return Deal(
        stage=labels.get(str(props.get("hs_pipeline_stage")), ""),
        amount=amount(props.get("hs_total_price")),
        closed=moment(props.get("shopify_processed_at")),
        abandoned=next((when for when in abandoned if when is not None), None),
        contact=next(iter(linked(order, "contacts")), None),
    )


def cart_deal(cart: Record) -> Deal:
    """A cart no order recovered: a checkout's deal."""
    props = cart["properties"]
    return Deal(
        stage=CART_STAGES.get(_status(cart), ""),
        amount=amount(props.get("hs_total_price")),
        closed=None,
        abandoned=moment(props.get("shopify_abandoned_at")),
        contact=next(iter(linked(cart, "contacts")), None),
    )


def _status(cart: Record) -> str:
    return str(cart["properties"].get("hs_external_status"))


def _of(record: Record, domain: str) -> bool:
    return bool(record["properties"].get("shopify_shop_domain") == domain)
