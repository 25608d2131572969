"""Shopify orders and checkouts -> HubSpot deals in the Ecommerce Pipeline (D1-D8).

A checkout and the order it became are one deal: both are keyed by the checkout token
(``<shop>:<token>``); an order without one (draft, POS, imported) is keyed by its id
(``<shop>:order:<id>``).

Stages are labels here; HubSpot's stage ids exist only at run time, so callers pass the label ->
id mapping of the pipeline they created. Checkout Abandoned and Checkout Pending are checkout
stages; the other four are order stages, reached only through an order (D7).

Amounts: an order's ``amount`` is its ``current_total_price`` (Shopify's total after refunds,
returns and edits) in the shop currency, falling back to ``total_price``;
``shopify_total_price`` keeps the original total. A checkout's amounts are in its
``presentment_currency``, which is therefore its ``deal_currency_code``.
"""

from collections.abc import Mapping

from shopspot.mapping.datamodel import Stage
from shopspot.mapping.values import (
    checkbox,
    compact,
    integer,
    key,
    money,
    shop_domain,
    timestamp,
)
from shopspot.shopify.models import Checkout, Order

CHECKOUT_STAGES = frozenset({Stage.CHECKOUT_ABANDONED, Stage.CHECKOUT_PENDING})
ORDER_STAGES = frozenset(Stage) - CHECKOUT_STAGES

PROCESSED_FINANCIAL_STATUSES = frozenset(
    {"paid", "partially_paid", "partially_refunded", "refunded"}
)


def order_stage(order: Order) -> Stage:
    """Cancelled (cancelled_at set) > Shipped (fully fulfilled) > Processed (paid, partially
    paid, partially or fully refunded) > Checkout Completed (pending, authorized, anything else).
    """
    if order.cancelled_at is not None:
        return Stage.CANCELLED
    if order.fulfillment_status == "fulfilled":
        return Stage.SHIPPED
    if order.financial_status in PROCESSED_FINANCIAL_STATUSES:
        return Stage.PROCESSED
    return Stage.CHECKOUT_COMPLETED


def sale_stage(sale: Order | Checkout) -> Stage:
    """The stage a payload asks for: an order's ``order_stage``; a checkout is Checkout Pending
    (the sweep moves it to Checkout Abandoned, D8)."""
    return order_stage(sale) if isinstance(sale, Order) else Stage.CHECKOUT_PENDING


def next_stage(current: Stage | None, incoming: Stage) -> Stage:
    """The stage a deal moves to when ``incoming`` arrives while it is in ``current``.

    Order stages always apply (the order's own state is the truth; ordering between order
    events is settled upstream by ``updated_at``). A checkout stage never replaces an order
    stage (D7), and never replaces Checkout Abandoned either: abandonment is decided by the
    checkout's creation time (D8), which a later checkout update does not change. Pass None
    for a new deal or one whose stage is not in the Ecommerce Pipeline.
    """
    if incoming in ORDER_STAGES or current is None:
        return incoming
    if current in ORDER_STAGES or current is Stage.CHECKOUT_ABANDONED:
        return current
    return incoming


def deal_key(shop: str, sale: Order | Checkout) -> str:
    """``shopify_deal_key``: ``<shop>:<checkout token>``, else ``<shop>:order:<order id>``."""
    if isinstance(sale, Checkout):
        return key(shop_domain(shop), sale.token)
    if sale.checkout_token:
        return key(shop_domain(shop), sale.checkout_token)
    return key(shop_domain(shop), "order", sale.id)


def stage_properties(
    stage: Stage, *, pipeline_id: str, stage_ids: Mapping[str, str]
) -> dict[str, str]:
    """``pipeline`` and ``dealstage`` for a stage label."""
    stage_id = stage_ids.get(stage)
    if not stage_id:
        raise LookupError(f"the pipeline has no stage labelled {stage.value!r}")
    return {"pipeline": pipeline_id, "dealstage": stage_id}


def deal_properties(
    shop: str,
    sale: Order | Checkout,
    *,
    pipeline_id: str,
    stage_ids: Mapping[str, str],
    current_stage: Stage | None,
) -> dict[str, str]:
    """A deal for an order or checkout, empty values dropped (C3).

    ``current_stage`` is the existing deal's stage label (None for a new deal). A checkout
    arriving for a deal already in an order stage yields ``{}``: the order owns the deal, and
    the checkout's older name, amount and stage must not overwrite it (D7).
    """
    stage = next_stage(current_stage, sale_stage(sale))
    if isinstance(sale, Checkout) and stage in ORDER_STAGES:
        return {}
    return compact(
        {
            "shopify_deal_key": deal_key(shop, sale),
            "ecomm_synced": "true",
            **sale_fields(shop, sale),
            "shopify_currency": sale.currency,
            "shopify_name": sale.name,
            "shopify_subtotal_price": money(sale.subtotal_price),
            "shopify_total_discounts": money(sale.total_discounts),
            "shopify_total_tax": money(sale.total_tax),
            **(_order_fields(sale) if isinstance(sale, Order) else _checkout_fields(sale)),
        }
    ) | stage_properties(stage, pipeline_id=pipeline_id, stage_ids=stage_ids)


def sale_fields(shop: str, sale: Order | Checkout) -> dict[str, str | None]:
    """The ``shopify_*`` fields a deal and a HubSpot order both carry: those with no ``hs_``
    equivalent on orders (SPEC T1)."""
    fields = {
        "shopify_buyer_accepts_marketing": checkbox(sale.buyer_accepts_marketing),
        "shopify_customer_id": integer(sale.customer.id if sale.customer else None),
        "shopify_cart_token": sale.cart_token,
        "shopify_created_at": timestamp(sale.created_at),
        "shopify_landing_site": sale.landing_site,
        "shopify_note": sale.note,
        "shopify_referring_site": sale.referring_site,
        "shopify_source_name": sale.source_name,
        "shopify_taxes_included": checkbox(sale.taxes_included),
        "shopify_token": _checkout_token(sale),
        "shopify_total_line_items_price": money(sale.total_line_items_price),
        "shopify_total_price": money(sale.total_price),
        "shopify_total_weight": integer(sale.total_weight),
        "shopify_shop_domain": shop_domain(shop),
    }
    if isinstance(sale, Order):
        fields |= {
            "shopify_cancel_reason": sale.cancel_reason,
            "shopify_cancelled_at": timestamp(sale.cancelled_at),
            "shopify_financial_status": sale.financial_status,
            "shopify_order_number": integer(sale.order_number),
            "shopify_processing_method": sale.processing_method,
        }
    return fields


def order_amount(order: Order) -> str | None:
    """What the order is worth now: Shopify's total after refunds, returns and edits."""
    current = order.current_total_price
    return money(current if current is not None else order.total_price)


def order_processed(order: Order) -> str | None:
    """When the order was processed: the deal's close date, and the HubSpot order's
    ``shopify_processed_at``."""
    return timestamp(order.processed_at or order.created_at)


def _order_fields(order: Order) -> dict[str, str | None]:
    return {
        "dealname": order.name,
        "amount": order_amount(order),
        "closedate": order_processed(order),
        "deal_currency_code": order.currency,
        "shopify_fulfillment_status": order.fulfillment_status,
    }


def _checkout_fields(checkout: Checkout) -> dict[str, str | None]:
    return {
        "dealname": f"Checkout {checkout.token[:8]}",
        "amount": money(checkout.total_price),
        "closedate": timestamp(checkout.created_at),
        "deal_currency_code": checkout.presentment_currency or checkout.currency,
        "shopify_abandoned_checkout_url": checkout.abandoned_checkout_url,
    }


def _checkout_token(sale: Order | Checkout) -> str | None:
    return sale.checkout_token if isinstance(sale, Order) else sale.token
