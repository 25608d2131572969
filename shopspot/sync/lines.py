"""The line items of deals, HubSpot orders and carts (D2, D9, SPEC T1): each parent's lines
upserted by key, and replaced as a set, so lines its sale no longer has are archived; and
each parent associated with its lines and its buyer's contact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from shopspot.hubspot import crm
from shopspot.mapping.line_items import LINE_KEY, for_parent, line_item_properties
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.context import SyncContext
from shopspot.sync.products import product_ids_for_lines

LINE_ITEMS = "line_items"


@dataclass(frozen=True)
class Parent:
    """A type of record that has line items and a contact, with HubSpot's association type
    ids from it to them."""

    object_type: str
    to_contact: int
    to_line_item: int


DEAL = Parent("deals", crm.DEAL_TO_CONTACT, crm.DEAL_TO_LINE_ITEM)
ORDER = Parent("orders", crm.ORDER_TO_CONTACT, crm.ORDER_TO_LINE_ITEM)
CART = Parent("carts", crm.CART_TO_CONTACT, crm.CART_TO_LINE_ITEM)


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


def attach(
    ctx: SyncContext,
    parent: Parent,
    record_ids: Mapping[str, str],
    contact_ids: Mapping[str, str | None],
    lines_now: Mapping[str, Mapping[str, str]],
    lines_before: Mapping[str, Mapping[str, str]],
) -> None:
    """Associate each record ({key: HubSpot id}) with its contact, if any, and its lines now,
    and archive the lines it had before and has no more."""
    contacts = [(record_ids[k], cid) for k, cid in contact_ids.items() if cid]
    lines = [(record_ids[k], lid) for k, mine in lines_now.items() for lid in mine.values()]
    removed = [
        line_id
        for k, before in lines_before.items()
        for line_key, line_id in before.items()
        if line_key not in lines_now.get(k, {})
    ]
    crm.associate(ctx.client, parent.object_type, "contacts", parent.to_contact, contacts)
    crm.associate(ctx.client, parent.object_type, LINE_ITEMS, parent.to_line_item, lines)
    archive_lines(ctx, removed)


def archive_lines(ctx: SyncContext, line_ids: Sequence[str]) -> None:
    crm.batch_archive(ctx.client, LINE_ITEMS, line_ids)
