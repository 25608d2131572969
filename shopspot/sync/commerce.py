"""Orders and checkouts as HubSpot Orders and Carts, with contacts and line items (SPEC T1).

An order is keyed by its id, a cart by its checkout token; each has line items of its own
(a line item belongs to one parent), replaced as a set like a deal's. The order that
completes a checkout marks its cart recovered and is associated with it; under the `both`
target every order is also associated with its deal. Every write is a keyed batch upsert, a
stage or status update by remembered id, or an idempotent association, so a batch written
twice has the effect of once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from shopspot.hubspot import crm
from shopspot.hubspot.schema import Pipeline
from shopspot.mapping.carts import (
    CART_KEY,
    CartStatus,
    abandoned_properties,
    cart_key,
    cart_properties,
    recovered_properties,
)
from shopspot.mapping.orders import ORDER_KEY, order_key, order_properties
from shopspot.mapping.values import key, shop_domain
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.buyers import Buyers, Sale
from shopspot.sync.context import SyncContext
from shopspot.sync.lines import CART, ORDER, archive_lines, write_sales
from shopspot.sync.memory import DealMemory

ORDERS = "orders"
CARTS = "carts"


def write_commerce(
    ctx: SyncContext,
    shop: str,
    sales: Mapping[str, Sale],
    buyers: Buyers,
    deal_ids: Mapping[str, str],
) -> None:
    """Upsert the carts of these checkouts and the orders of these orders ({deal key: sale});
    `deal_ids` are the deals just written for them (target `both`), by the same keys."""
    checkouts = {cart_key(shop, s.token): s for s in sales.values() if isinstance(s, Checkout)}
    _write_carts(ctx, shop, checkouts, buyers)
    orders = {order_key(shop, s.id): (g, s) for g, s in sales.items() if isinstance(s, Order)}
    _write_orders(ctx, shop, orders, buyers, deal_ids)


def _write_carts(
    ctx: SyncContext, shop: str, checkouts: Mapping[str, Checkout], buyers: Buyers
) -> None:
    memos = ctx.memory.deals(checkouts, "cart")
    carts: dict[str, dict[str, str]] = {}
    for ckey, checkout in checkouts.items():
        props = cart_properties(shop, checkout, _status(memos[ckey].stage))
        if props:  # a checkout arriving after its order changes nothing (D7)
            carts[ckey] = _known_currency(ctx, props)
    if not carts:
        return
    written = {ckey: checkouts[ckey] for ckey in carts}
    sold = write_sales(ctx, shop, CART, CART_KEY, written, carts, memos, buyers)
    cart_ids = sold.ids

    domain = shop_domain(shop)
    due: dict[str, float] = {}
    aliases: dict[str, str] = {}
    for ckey, checkout in written.items():
        status = carts[ckey]["hs_external_status"]
        memos[ckey] = DealMemory(id=cart_ids[ckey], stage=status, lines=sold.lines.ids[ckey])
        # checkouts/delete names neither the token nor the cart key: these find the cart.
        if checkout.id is not None:
            aliases[key(domain, "checkout", checkout.id)] = ckey
        if checkout.cart_token:
            aliases[key(domain, "cart", checkout.cart_token)] = ckey
        if status == CartStatus.PENDING and checkout.created_at is not None:
            due[ckey] = checkout.created_at.timestamp() + ctx.abandon_after_seconds
    ctx.memory.remember_deals({ckey: memos[ckey] for ckey in carts}, "cart")
    ctx.memory.remember_deal_keys(aliases)
    ctx.due.schedule(due)


def _write_orders(
    ctx: SyncContext,
    shop: str,
    orders: Mapping[str, tuple[str, Order]],
    buyers: Buyers,
    deal_ids: Mapping[str, str],
) -> None:
    if not orders:
        return
    pipeline = _order_pipeline(ctx)
    memos = ctx.memory.deals(orders, "order")
    props = {
        okey: _known_currency(
            ctx,
            order_properties(shop, o, pipeline_id=pipeline.id, stage_ids=pipeline.stage_ids),
        )
        for okey, (_, o) in orders.items()
    }
    written = {okey: order for okey, (_, order) in orders.items()}
    sold = write_sales(ctx, shop, ORDER, ORDER_KEY, written, props, memos, buyers)
    order_ids = sold.ids

    labels = {stage_id: label for label, stage_id in pipeline.stage_ids.items()}
    for okey in written:
        stage = labels.get(props[okey]["hs_pipeline_stage"])
        memos[okey] = DealMemory(id=order_ids[okey], stage=stage, lines=sold.lines.ids[okey])
    deal_pairs = [
        (order_ids[okey], deal_ids[group])
        for okey, (group, _) in orders.items()
        if group in deal_ids
    ]
    crm.associate(ctx.client, ORDERS, "deals", crm.ORDER_TO_DEAL, deal_pairs)
    _recover_carts(ctx, shop, {okey: order_ids[okey] for okey in written}, orders)
    ctx.memory.remember_deals(memos, "order")


def _recover_carts(
    ctx: SyncContext,
    shop: str,
    order_ids: Mapping[str, str],
    orders: Mapping[str, tuple[str, Order]],
) -> None:
    """The carts these orders completed become recovered, each associated with its order. A
    cart not written yet is remembered as recovered all the same: its checkout, arriving
    after its order (W2), then changes nothing, as for its deal (D7).

    An order read through GraphQL has no checkout token; when reconciliation found the
    checkout it completed, the order was queued under that checkout's key (`<shop>:<token>`,
    the cart's key too) instead of its own id."""
    cart_of = {
        okey: cart_key(shop, order.checkout_token) if order.checkout_token else group
        for okey, (group, order) in orders.items()
        if order.checkout_token or group != okey
    }
    carts = ctx.memory.deals(cart_of.values(), "cart")
    pairs = [(order_ids[okey], cid) for okey, ckey in cart_of.items() if (cid := carts[ckey].id)]
    crm.associate(ctx.client, ORDERS, CARTS, crm.ORDER_TO_CART, pairs)
    moving = {ckey: memo for ckey, memo in carts.items() if memo.stage != CartStatus.RECOVERED}
    updates = {memo.id: recovered_properties() for memo in moving.values() if memo.id}
    _, gone = crm.batch_update(ctx.client, CARTS, updates)
    for memo in moving.values():
        memo.stage = CartStatus.RECOVERED
    ctx.memory.remember_deals(
        {ckey: memo for ckey, memo in moving.items() if memo.id not in gone}, "cart"
    )
    ctx.due.cancel(cart_of.values())


def abandon(ctx: SyncContext, swept: Mapping[str, int]) -> list[str]:
    """D8 for carts: those still pending become abandoned, each recording when the sweep
    found it ({cart key: epoch ms}); returns those moved."""
    memos = ctx.memory.deals(swept, "cart")
    pending = {
        ckey: memo for ckey, memo in memos.items() if memo.id and memo.stage == CartStatus.PENDING
    }
    updates = {
        memo.id: abandoned_properties(swept[ckey]) for ckey, memo in pending.items() if memo.id
    }
    _, gone = crm.batch_update(ctx.client, CARTS, updates)
    moved = [ckey for ckey, memo in pending.items() if memo.id not in gone]
    for ckey in moved:
        pending[ckey].stage = CartStatus.ABANDONED
    ctx.memory.remember_deals({ckey: pending[ckey] for ckey in moved}, "cart")
    ctx.due.cancel(swept)
    return moved


def delete_orders(ctx: SyncContext, shop: str, order_ids: Sequence[int]) -> None:
    """D6: the deleted orders' HubSpot orders and their line items are archived."""
    _archive(ctx, "order", [order_key(shop, oid) for oid in order_ids])


def delete_checkouts(ctx: SyncContext, cart_keys: Sequence[str]) -> None:
    """A deleted checkout's cart goes too, unless it became an order (then it is recovered)."""
    memos = ctx.memory.deals(cart_keys, "cart")
    _archive(ctx, "cart", [k for k, m in memos.items() if m.stage != CartStatus.RECOVERED])


def _archive(ctx: SyncContext, kind: Literal["order", "cart"], keys: Sequence[str]) -> None:
    memos = ctx.memory.deals(keys, kind)
    chosen = {k: memo for k, memo in memos.items() if memo.id}
    archive_lines(ctx, [lid for memo in chosen.values() for lid in memo.lines.values()])
    object_type = ORDERS if kind == "order" else CARTS
    crm.batch_archive(ctx.client, object_type, [memo.id for memo in chosen.values() if memo.id])
    ctx.memory.forget_deals(chosen, kind)
    ctx.due.cancel(chosen)


def _known_currency(ctx: SyncContext, props: dict[str, str]) -> dict[str, str]:
    """HubSpot refuses a currency the portal has not enabled: as a deal does, the record is
    then written without one."""
    if props.get("hs_currency_code") not in ctx.currencies:
        props.pop("hs_currency_code", None)
    return props


def _order_pipeline(ctx: SyncContext) -> Pipeline:
    if ctx.order_pipeline is None:
        raise LookupError("the order pipeline is not set up: run shopspot setup")
    return ctx.order_pipeline


def _status(value: str | None) -> CartStatus | None:
    return CartStatus(value) if value in {status.value for status in CartStatus} else None
