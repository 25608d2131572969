"""Order and checkout lines -> HubSpot line items of the sale's deal (D2, D9).

Keys (``shopify_line_item_key``): an order line is ``<shop>:<line item id>``. Checkout lines
have no id, and their ``key`` is not unique within a checkout (two lines of one variant may
share it), so a checkout line is ``<shop>:checkout:<checkout token>:<position>``, its 0-based
position in ``line_items``. That is stable for a given checkout state; when lines are removed
the positions shift, which is harmless because a deal's line items are replaced as a set (keys
no longer produced are archived). When the checkout becomes an order its lines get order keys.
"""

from collections.abc import Mapping, Sequence
from typing import Literal

from shopspot.mapping.products import DEFAULT_VARIANT_TITLE
from shopspot.mapping.values import compact, html_to_text, integer, key, money, shop_domain
from shopspot.shopify.models import Checkout, CheckoutLineItem, LineItem, Order

LINE_KEY = "shopify_line_item_key"


def line_item_properties(
    shop: str,
    sale: Order | Checkout,
    *,
    hs_product_ids: Mapping[int, str],
    product_bodies: Mapping[int, str],
) -> list[dict[str, str]]:
    """One HubSpot line item per line of the order or checkout, in line order.

    ``hs_product_ids`` maps Shopify variant ids to the HubSpot product ids of their variant
    products (P3); ``product_bodies`` maps Shopify product ids to their ``body_html``, written
    as plain text into ``description`` (D9). Lines whose variant or product is missing from
    them (custom items, deleted products) are written without ``hs_product_id`` or
    ``description``. Prices are in the deal's currency (the shop's for orders, the
    presentment currency for checkouts).
    """
    domain = shop_domain(shop)
    keyed: list[tuple[str, LineItem | CheckoutLineItem]]
    if isinstance(sale, Order):
        keyed = [(key(domain, line.id), line) for line in sale.line_items]
    else:
        keyed = [
            (key(domain, "checkout", sale.token, position), line)
            for position, line in enumerate(sale.line_items)
        ]
    return [
        compact(
            {
                LINE_KEY: line_key,
                "name": _name(line),
                "quantity": integer(line.quantity),
                "price": money(line.price),
                "hs_sku": line.sku,
                "hs_product_id": _lookup(hs_product_ids, line.variant_id),
                "description": html_to_text(_lookup(product_bodies, line.product_id)),
                "shopify_shop_domain": domain,
            }
        )
        for line_key, line in keyed
    ]


def for_parent(
    records: Sequence[Mapping[str, str]], parent: Literal["order", "cart"]
) -> list[dict[str, str]]:
    """The same line items for a HubSpot order or cart: a line item belongs to one parent
    record (SPEC T1), so those of an order and of its deal are separate records, each keyed
    ``<deal line item key>:<parent>``."""
    return [{**r, LINE_KEY: key(r[LINE_KEY], parent)} for r in records]


def _lookup(values: Mapping[int, str], shopify_id: int | None) -> str | None:
    return None if shopify_id is None else values.get(shopify_id)


def _name(line: LineItem | CheckoutLineItem) -> str | None:
    variant = (line.variant_title or "").strip()
    if line.title is None or not variant or variant == DEFAULT_VARIANT_TITLE:
        return line.title
    return f"{line.title} - {variant}"
