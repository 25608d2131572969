"""The line items of deals, HubSpot orders and carts (D2, D9, SPEC T1): each parent's lines
upserted by key, and replaced as a set, so lines its sale no longer has are archived."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from shopspot.hubspot import crm
from shopspot.mapping.line_items import LINE_KEY, for_parent, line_item_properties
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.context import SyncContext
from shopspot.sync.products import product_ids_for_lines

LINE_ITEMS = "line_items"


def upsert_lines(
    ctx: SyncContext,
    shop: str,
    sales: Mapping[str, Order | Checkout],
    parent: Literal["order", "cart"] | None = None,
) -> dict[str, dict[str, str]]:
    """Each parent's lines now ({parent key: {line item key: HubSpot id}}); `parent` names
    the commerce record they belong to, None for deals."""
    lines = [line for sale in sales.values() for line in sale.line_items]
    product_ids = product_ids_for_lines(ctx, shop, lines)
    bodies = ctx.memory.product_bodies(shop, {line.product_id for line in lines if line.product_id})
    records: dict[str, list[dict[str, str]]] = {}
    for pkey, sale in sales.items():
        mapped = line_item_properties(shop, sale, hs_product_ids=product_ids, product_bodies=bodies)
        records[pkey] = for_parent(mapped, parent) if parent else mapped
    flat = [record for mine in records.values() for record in mine]
    results = crm.batch_upsert(ctx.client, LINE_ITEMS, LINE_KEY, flat) if flat else []
    ids = {str(r["properties"][LINE_KEY]): str(r["id"]) for r in results}
    return {pkey: {r[LINE_KEY]: ids[r[LINE_KEY]] for r in mine} for pkey, mine in records.items()}


def removed_lines(previous: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """The HubSpot ids of the lines a parent had and has no more."""
    return [line_id for line_key, line_id in previous.items() if line_key not in now]


def archive_lines(ctx: SyncContext, line_ids: Sequence[str]) -> None:
    crm.batch_archive(ctx.client, LINE_ITEMS, line_ids)
