"""Shopify orders -> HubSpot orders in the "Ecommerce Orders" pipeline (SPEC T1).

An order is keyed by its id (``shopify_order_key`` = ``<shop>:order:<id>``): unlike a deal, a
HubSpot order is never a checkout first, so it needs no checkout token. Its stage follows the
deal's order stage rules; the checkout it came from is a cart of its own, which the order
marks recovered.
"""

from collections.abc import Mapping

from shopspot.mapping.deals import order_amount, order_processed, order_stage, sale_fields
from shopspot.mapping.values import compact, key, money, shop_domain
from shopspot.shopify.models import Order

ORDER_KEY = "shopify_order_key"


def order_key(shop: str, order_id: int) -> str:
    return key(shop_domain(shop), "order", order_id)


def order_properties(
    shop: str, order: Order, *, pipeline_id: str, stage_ids: Mapping[str, str]
) -> dict[str, str]:
    """A HubSpot order, empty values dropped (C3). ``hs_total_price`` is the total after
    refunds, like the deal's amount; ``shopify_total_price`` keeps the original total;
    ``shopify_processed_at`` is when it was processed, as the deal's close date."""
    stage = order_stage(order)
    stage_id = stage_ids.get(stage)
    if not stage_id:
        raise LookupError(f"the order pipeline has no stage labelled {stage.value!r}")
    return compact(
        {
            ORDER_KEY: order_key(shop, order.id),
            **sale_fields(shop, order),
            "hs_order_name": order.name,
            "hs_external_order_id": str(order.id),
            "hs_currency_code": order.currency,
            "hs_total_price": order_amount(order),
            "hs_subtotal_price": money(order.subtotal_price),
            "hs_order_discount": money(order.total_discounts),
            "hs_tax": money(order.total_tax),
            "hs_shipping_cost": money(order.total_shipping_price),
            "hs_fulfillment_status": order.fulfillment_status,
            "hs_source_store": shop_domain(shop),
            "hs_pipeline": pipeline_id,
            "hs_pipeline_stage": stage_id,
            "shopify_processed_at": order_processed(order),
        }
    )
