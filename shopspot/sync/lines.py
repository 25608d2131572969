"""Sales as HubSpot records (deals, or HubSpot orders and carts) with their line items (D2,
D9, SPEC T1): each record and line Shopspot has not written before created with its
associations (to its buyer's contact, to its parent), the others upserted by key and
associated; a parent's lines replaced as a set, so lines its sale no longer has are
archived."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from shopspot.hubspot import crm
from shopspot.mapping.line_items import LINE_KEY, for_parent, line_item_properties
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.buyers import Buyers
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import DealMemory
from shopspot.sync.products import product_ids_for_lines

LINE_ITEMS = "line_items"


@dataclass(frozen=True)
class Parent:
    """A type of record that has line items and a contact, with HubSpot's association type
    ids from it to them and from a line item to it; `commerce` names it to the line items'
    mapping (None: a deal)."""

    object_type: str
    to_contact: int
    to_line_item: int
    from_line_item: int
    commerce: Literal["order", "cart"] | None


DEAL = Parent("deals", crm.DEAL_TO_CONTACT, crm.DEAL_TO_LINE_ITEM, crm.LINE_ITEM_TO_DEAL, None)
ORDER = Parent(
    "orders", crm.ORDER_TO_CONTACT, crm.ORDER_TO_LINE_ITEM, crm.LINE_ITEM_TO_ORDER, "order"
)
CART = Parent("carts", crm.CART_TO_CONTACT, crm.CART_TO_LINE_ITEM, crm.LINE_ITEM_TO_CART, "cart")


@dataclass(frozen=True)
class Lines:
    """Each parent's lines now ({parent key: {line item key: HubSpot id}}), and the ids of
    the lines created with their association to their parent."""

    ids: dict[str, dict[str, str]]
    linked: frozenset[str]


def write_lines(
    ctx: SyncContext,
    shop: str,
    sales: Mapping[str, Order | Checkout],
    parent: Parent,
    record_ids: Mapping[str, str],
    before: Mapping[str, Mapping[str, str]],
) -> Lines:
    """Write the lines of each sale, whose parent record (by the sale's key) is written: a
    line its parent did not have before is created with its association to the parent."""
    lines = [line for sale in sales.values() for line in sale.line_items]
    product_ids = product_ids_for_lines(ctx, shop, lines)
    bodies = ctx.memory.product_bodies(shop, {line.product_id for line in lines if line.product_id})
    records: dict[str, list[dict[str, str]]] = {}
    for pkey, sale in sales.items():
        mapped = line_item_properties(shop, sale, hs_product_ids=product_ids, product_bodies=bodies)
        records[pkey] = for_parent(mapped, parent.commerce) if parent.commerce else mapped
    links = {
        record[LINE_KEY]: [(record_ids[pkey], parent.from_line_item)]
        for pkey, mine in records.items()
        for record in mine
    }
    known = {line_key for mine in before.values() for line_key in mine}
    flat = [record for mine in records.values() for record in mine]
    written = crm.create_or_upsert(ctx.client, LINE_ITEMS, LINE_KEY, flat, known, links)
    return Lines(
        ids={
            pkey: {r[LINE_KEY]: written.ids[r[LINE_KEY]] for r in mine}
            for pkey, mine in records.items()
        },
        linked=frozenset(written.ids[key] for key in written.linked),
    )


@dataclass(frozen=True)
class SalesWritten:
    ids: dict[str, str]  # the parent records' HubSpot ids, by sale key
    lines: Lines


def write_sales(
    ctx: SyncContext,
    shop: str,
    parent: Parent,
    key_property: str,
    sales: Mapping[str, Order | Checkout],
    records: Mapping[str, Mapping[str, str]],
    memos: Mapping[str, DealMemory],
    buyers: Buyers,
) -> SalesWritten:
    """Write the parent record of each sale (its properties in `records`, under the same
    keys; keyed in HubSpot by `key_property`), its lines, and its associations with its
    contact and its lines, and archive the lines it had before and has no more.

    A record or line Shopspot has not written before is created with its associations
    (to its contact, to its parent), which saves their association calls."""
    contacts = dict(zip(sales, buyers.contact_ids(list(sales.values())), strict=True))
    written = crm.create_or_upsert(
        ctx.client,
        parent.object_type,
        key_property,
        [records[skey] for skey in sales],
        known={skey for skey in sales if memos[skey].id},
        links={skey: [(cid, parent.to_contact)] for skey, cid in contacts.items() if cid},
    )
    before = {skey: memos[skey].lines for skey in sales}
    lines = write_lines(ctx, shop, sales, parent, written.ids, before)
    pairs = [
        (written.ids[skey], cid)
        for skey, cid in contacts.items()
        if cid and skey not in written.linked
    ]
    line_pairs = [
        (written.ids[skey], lid)
        for skey, mine in lines.ids.items()
        for lid in mine.values()
        if lid not in lines.linked
    ]
    removed = [
        line_id
        for skey, mine in before.items()
        for line_key, line_id in mine.items()
        if line_key not in lines.ids.get(skey, {})
    ]
    crm.associate(ctx.client, parent.object_type, "contacts", parent.to_contact, pairs)
    crm.associate(ctx.client, parent.object_type, LINE_ITEMS, parent.to_line_item, line_pairs)
    archive_lines(ctx, removed)
    return SalesWritten(written.ids, lines)


def archive_lines(ctx: SyncContext, line_ids: Sequence[str]) -> None:
    crm.batch_archive(ctx.client, LINE_ITEMS, line_ids)
