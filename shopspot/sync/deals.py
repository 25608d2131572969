"""Orders and checkouts as deals in the Ecommerce Pipeline, with contacts and line items
(D1-D9).

One deal per checkout-or-order (`shopify_deal_key`), so a recovered checkout keeps its
deal as it moves on to an order stage (D7). A deal's line items are replaced as a set: lines
the sale no longer has are archived. Every write is a keyed batch upsert or an idempotent
association, so a batch written twice has the effect of once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shopspot.hubspot import crm
from shopspot.mapping.datamodel import Stage
from shopspot.mapping.deals import CHECKOUT_STAGES, deal_key, deal_properties, stage_properties
from shopspot.mapping.line_items import LINE_KEY, line_item_properties
from shopspot.mapping.values import key, shop_domain, timestamp_ms
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.buyers import Buyers, Sale
from shopspot.sync.context import SyncContext
from shopspot.sync.lines import DEAL, LINE_ITEMS, archive_lines, write_sales
from shopspot.sync.memory import DealMemory, Memory

DEALS = "deals"
DEAL_KEY = "shopify_deal_key"


def resolve_deal_keys(memory: Memory, shop: str, sales: Sequence[Sale]) -> list[str]:
    """The deal each sale belongs to: the one Shopspot already wrote it to, if any.

    An order imported through GraphQL (which has no checkout token) is keyed by its id;
    when its webhook later names the checkout token, it must still find that deal, and so
    must a late update of that checkout.
    """
    domain = shop_domain(shop)
    aliases = [_alias(domain, sale) for sale in sales]
    known = memory.deal_keys(aliases)
    return [
        known.get(alias, deal_key(shop, sale)) for alias, sale in zip(aliases, sales, strict=True)
    ]


def _alias(domain: str, sale: Sale) -> str:
    if isinstance(sale, Order):
        return key(domain, "order", sale.id)
    return key(domain, "token", sale.token)


def write_deals(
    ctx: SyncContext, shop: str, sales: Mapping[str, Sale], buyers: Buyers
) -> dict[str, str]:
    """Upsert the deals of these orders and checkouts, each under the deal key it was queued
    with (a flush takes at most one item of a deal); returns the deals written, by deal key."""
    memos = ctx.memory.deals(sales)
    stage_ids = ctx.pipeline.stage_ids
    deals: dict[str, dict[str, str]] = {}
    for dkey, sale in sales.items():
        current = _stage(memos[dkey].stage)
        props = deal_properties(
            shop, sale, pipeline_id=ctx.pipeline.id, stage_ids=stage_ids, current_stage=current
        )
        if props:
            props["shopify_deal_key"] = dkey
        if props.get("deal_currency_code") not in ctx.currencies:
            # HubSpot refuses a currency the portal has not enabled; the deal keeps the
            # Shopify currency in shopify_currency, and the README says how to enable it.
            props.pop("deal_currency_code", None)
        if props:  # a checkout arriving after its order changes nothing (D7)
            deals[dkey] = props
    written = {dkey: sale for dkey, sale in sales.items() if dkey in deals}
    _archive_lines_left_behind(
        ctx, shop, [s for d, s in sales.items() if d not in deals and isinstance(s, Checkout)]
    )
    if not written:
        return {}

    sold = write_sales(ctx, shop, DEAL, DEAL_KEY, written, deals, memos, buyers)
    deal_ids = sold.ids

    due: dict[str, float] = {}
    done: list[str] = []
    aliases: dict[str, str] = {}
    labels = {stage_id: label for label, stage_id in stage_ids.items()}
    for dkey, sale in written.items():
        stage = _stage(labels.get(deals[dkey].get("dealstage", "")))
        memos[dkey] = DealMemory(
            id=deal_ids[dkey], stage=stage.value if stage else None, lines=sold.lines.ids[dkey]
        )
        if isinstance(sale, Checkout):
            if sale.id is not None:
                aliases[key(shop_domain(shop), "checkout", sale.id)] = dkey
            if sale.cart_token:
                aliases[key(shop_domain(shop), "cart", sale.cart_token)] = dkey
            if stage is Stage.CHECKOUT_PENDING and sale.created_at is not None:
                due[dkey] = sale.created_at.timestamp() + ctx.abandon_after_seconds
        else:
            aliases[key(shop_domain(shop), "order", sale.id)] = dkey
            if sale.checkout_token:
                aliases[key(shop_domain(shop), "token", sale.checkout_token)] = dkey
            done.append(dkey)

    ctx.memory.remember_deals({dkey: memos[dkey] for dkey in deals})
    ctx.memory.remember_deal_keys(aliases)
    ctx.due.schedule(due)
    ctx.due.cancel(done)
    return {dkey: deal_ids[dkey] for dkey in deals}


def _archive_lines_left_behind(ctx: SyncContext, shop: str, late: Sequence[Checkout]) -> None:
    """Checkouts that reached their deal after its order write nothing (D7). But a write of
    one that died after its line items reached HubSpot, and before Shopspot remembered them,
    left them on no deal: the order's write could not know to archive them, so they go now."""
    keys = [
        record[LINE_KEY]
        for checkout in late
        for record in line_item_properties(shop, checkout, hs_product_ids={}, product_bodies={})
    ]
    if keys:
        found = crm.batch_read(ctx.client, LINE_ITEMS, keys, id_property=LINE_KEY)
        crm.batch_archive(ctx.client, LINE_ITEMS, [str(record["id"]) for record in found])


def delete_orders(ctx: SyncContext, deal_keys: Sequence[str]) -> None:
    """D6: the deleted orders' deals and their line items are archived."""
    _archive_deals(ctx, deal_keys, only_checkouts=False)


def delete_checkouts(ctx: SyncContext, deal_keys: Sequence[str]) -> None:
    """A deleted checkout's deal goes too, unless it became an order (the order owns it)."""
    _archive_deals(ctx, deal_keys, only_checkouts=True)


def abandon(ctx: SyncContext, swept: Mapping[str, int]) -> list[str]:
    """D8: deals still in Checkout Pending move to Checkout Abandoned, each recording when the
    sweep moved it ({deal key: epoch ms}); returns those moved."""
    memos = ctx.memory.deals(swept)
    pending = {
        dkey: memo
        for dkey, memo in memos.items()
        if memo.id and memo.stage == Stage.CHECKOUT_PENDING.value
    }
    props = stage_properties(
        Stage.CHECKOUT_ABANDONED, pipeline_id=ctx.pipeline.id, stage_ids=ctx.pipeline.stage_ids
    )
    updates = {
        memo.id: props | {"shopify_abandoned_at": timestamp_ms(swept[dkey])}
        for dkey, memo in pending.items()
        if memo.id
    }
    _, gone = crm.batch_update(ctx.client, DEALS, updates)
    moved = [dkey for dkey, memo in pending.items() if memo.id not in gone]
    for dkey in moved:
        pending[dkey].stage = Stage.CHECKOUT_ABANDONED.value
    ctx.memory.remember_deals({dkey: pending[dkey] for dkey in moved})
    ctx.due.cancel(swept)
    return moved


def _archive_deals(ctx: SyncContext, deal_keys: Sequence[str], *, only_checkouts: bool) -> None:
    memos = ctx.memory.deals(deal_keys)
    chosen = {
        dkey: memo
        for dkey, memo in memos.items()
        if memo.id and (not only_checkouts or _stage(memo.stage) in CHECKOUT_STAGES)
    }
    archive_lines(ctx, [lid for m in chosen.values() for lid in m.lines.values()])
    crm.batch_archive(ctx.client, DEALS, [memo.id for memo in chosen.values() if memo.id])
    ctx.memory.forget_deals(chosen)
    ctx.due.cancel(chosen)


def _stage(label: str | None) -> Stage | None:
    return Stage(label) if label in {stage.value for stage in Stage} else None
