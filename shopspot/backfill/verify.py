"""Does HubSpot match the store? Shopify's orders, customers and products of a period against
what HubSpot holds, object by object and day by day; `repair` writes again what differs.

Shopify is read through the import's bulk exports (orders processed, customers created in
the period; every product), HubSpot by key in batches of 100. An order whose deal or HubSpot
order (as the sync target has it) is missing or not at the order's total after refunds, a
customer without a contact, a variant without its product or with another price: each is a
difference. Repairing re-offers the object as Shopify has it now, even though Shopspot once
wrote that version: HubSpot lost it since (someone deleted or changed it there), so the
version guard must let it through.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from shopspot.backfill import queries
from shopspot.backfill.bulk import BulkReader, Root
from shopspot.backfill.runner import read_event
from shopspot.events import WebhookEvent
from shopspot.hubspot import crm
from shopspot.mapping.contacts import contact_email
from shopspot.mapping.deals import order_amount
from shopspot.mapping.orders import ORDER_KEY, order_key
from shopspot.mapping.products import product_key
from shopspot.mapping.values import shop_domain
from shopspot.pending import Item
from shopspot.runtime import Runtime
from shopspot.settings import Store
from shopspot.shopify.admin import AdminError, ShopifyAdmin
from shopspot.shopify.models import Customer, Order, Product, ShopifyModel
from shopspot.sync.deals import resolve_deal_keys
from shopspot.sync.items import items_for
from shopspot.targets import writes_commerce, writes_deals
from shopspot.topics import Buffer

Parsed = tuple[WebhookEvent, ShopifyModel]


@dataclass(frozen=True)
class Difference:
    kind: str  # "order", "customer" or "product"
    id: int  # the Shopify id (a product's, for a variant)
    problem: str  # "missing", "amount" or "price"
    shopify: str | None = None
    hubspot: str | None = None


@dataclass
class Day:
    day: str
    orders: int = 0
    orders_in_hubspot: int = 0
    revenue: Decimal = Decimal(0)
    revenue_in_hubspot: Decimal = Decimal(0)
    customers: int = 0
    customers_in_hubspot: int = 0


@dataclass
class VerifyResult:
    shop: str
    since: datetime
    days: list[Day] = field(default_factory=list)
    variants: int = 0
    variants_in_hubspot: int = 0
    differences: list[Difference] = field(default_factory=list)
    repaired: int = 0

    def summary(self) -> dict[str, Any]:
        """What `shopspot status` keeps of the last run: counts only, no ids."""
        kinds: dict[str, int] = {}
        for difference in self.differences:
            kinds[difference.kind] = kinds.get(difference.kind, 0) + 1
        return {
            "at": time.time(),
            "since": self.since.isoformat(),
            "differences": len(self.differences),
            "by_kind": kinds,
            "repaired": self.repaired,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "shop": self.shop,
            "since": self.since.isoformat(),
            "days": [
                {**asdict(day), "revenue": str(day.revenue),
                 "revenue_in_hubspot": str(day.revenue_in_hubspot)}
                for day in self.days
            ],
            "variants": self.variants,
            "variants_in_hubspot": self.variants_in_hubspot,
            "differences": [asdict(difference) for difference in self.differences],
            "repaired": self.repaired,
        }  # fmt: skip


def verify_store(
    rt: Runtime,
    store: Store,
    days: int,
    *,
    repair: bool = False,
    admin: ShopifyAdmin | None = None,
    written: Callable[[set[Buffer]], None] | None = None,
) -> VerifyResult:
    """Compare the last `days` days; with `repair`, write again what differs. `written` is
    told which buffers the repair filled (by default they are flushed here and now)."""
    now = datetime.fromtimestamp(rt.context.clock(), UTC)
    since = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    reader = BulkReader(admin or ShopifyAdmin(store))
    after = f">='{since.isoformat()}'"
    orders = _read(reader, store, "orders/updated", queries.orders_bulk(f"processed_at:{after}"))
    customers = _read(
        reader, store, "customers/update", queries.customers_bulk(f"created_at:{after}")
    )
    products = _read(reader, store, "products/update", queries.products_bulk(None))

    result = VerifyResult(store.domain, since)
    by_day = {
        (since + timedelta(days=n)).date().isoformat(): Day(
            (since + timedelta(days=n)).date().isoformat()
        )
        for n in range((now.date() - since.date()).days + 1)
    }
    differing: list[Parsed] = []
    differing += _orders(rt, store.domain, orders, by_day, result)
    differing += _customers(rt, customers, by_day, result)
    differing += _products(rt, store.domain, products, result)
    result.days = list(by_day.values())
    if repair and differing:
        result.repaired = _repair(rt, differing, written)
    rt.verify_log.record(shop_domain(store.domain), result.summary())
    return result


def _read(reader: BulkReader, store: Store, topic: str, query: str) -> list[Parsed]:
    operation = reader.wait(reader.start(query), lambda _: None)
    if operation.status != "COMPLETED":
        raise AdminError(f"bulk export for {topic} ended {operation.status}")
    roots: Iterator[Root] = reader.roots(operation.url)
    return [read_event(store.domain, topic, root, "verify") for root in roots]


def _orders(
    rt: Runtime, shop: str, orders: Sequence[Parsed], by_day: dict[str, Day], result: VerifyResult
) -> list[Parsed]:
    """An order differs when a record the sync target writes for it (its deal, its HubSpot
    order, or both: SPEC T1) is missing or holds another total."""
    sales = [(event, model) for event, model in orders if isinstance(model, Order)]
    target = rt.settings.hubspot_sync_target
    held: list[tuple[list[str], dict[str, str | None]]] = []
    if writes_deals(target):
        keys = resolve_deal_keys(rt.memory, shop, [model for _, model in sales])
        held.append((keys, _amounts(rt, "deals", "shopify_deal_key", "amount", keys)))
    if writes_commerce(target):
        keys = [order_key(shop, model.id) for _, model in sales]
        held.append((keys, _amounts(rt, "orders", ORDER_KEY, "hs_total_price", keys)))
    differing: list[Parsed] = []
    for n, (event, order) in enumerate(sales):
        expected = Decimal(order_amount(order) or 0)
        placed = order.processed_at or order.created_at
        day = by_day.get(placed.astimezone(UTC).date().isoformat()) if placed else None
        if day is not None:
            day.orders += 1
            day.revenue += expected
        found = [(keys[n] in amounts, amounts.get(keys[n])) for keys, amounts in held]
        wrong = [a for _, a in found if a is None or Decimal(str(a)) != expected]
        if not all(exists for exists, _ in found):
            result.differences.append(Difference("order", order.id, "missing", str(expected)))
        elif wrong:
            result.differences.append(
                Difference("order", order.id, "amount", str(expected), wrong[0])
            )
        elif day is not None:
            day.orders_in_hubspot += 1
            day.revenue_in_hubspot += expected
            continue
        else:
            continue
        differing.append((event, order))
    return differing


def _amounts(
    rt: Runtime, object_type: str, key_property: str, amount_property: str, keys: list[str]
) -> dict[str, str | None]:
    """The amount HubSpot holds for each key it has a record of."""
    found = crm.batch_read(
        rt.hubspot, object_type, keys, id_property=key_property,
        properties=[key_property, amount_property],
    )  # fmt: skip
    return {r["properties"][key_property]: r["properties"].get(amount_property) for r in found}


def _customers(
    rt: Runtime, customers: Sequence[Parsed], by_day: dict[str, Day], result: VerifyResult
) -> list[Parsed]:
    # A customer without an email has no contact to find (C2).
    people = [
        (event, model, email)
        for event, model in customers
        if isinstance(model, Customer) and (email := contact_email(model.email))
    ]
    found = crm.batch_read(
        rt.hubspot, "contacts", [email for _, _, email in people], id_property="email",
        properties=["email"],
    )  # fmt: skip
    held = {contact_email(r["properties"].get("email")) for r in found}
    # A contact deleted in HubSpot stays deleted (C7): not a difference to write again.
    deleted = {e for e, memo in rt.memory.contacts(e for _, _, e in people).items() if memo.deleted}
    differing: list[Parsed] = []
    for event, customer, email in people:
        created = customer.created_at
        day = by_day.get(created.astimezone(UTC).date().isoformat()) if created else None
        if day is not None:
            day.customers += 1
        if email in held:
            if day is not None:
                day.customers_in_hubspot += 1
            continue
        if email in deleted:
            continue
        result.differences.append(Difference("customer", customer.id, "missing"))
        differing.append((event, customer))
    return differing


def _products(
    rt: Runtime, shop: str, products: Sequence[Parsed], result: VerifyResult
) -> list[Parsed]:
    variants = {
        product_key(shop, model.id, variant.id): (event, model, variant.price)
        for event, model in products
        if isinstance(model, Product)
        for variant in model.variants
    }
    found = crm.batch_read(
        rt.hubspot, "products", list(variants), id_property="shopify_product_key",
        properties=["shopify_product_key", "price"],
    )  # fmt: skip
    prices = {r["properties"]["shopify_product_key"]: r["properties"].get("price") for r in found}
    result.variants, result.variants_in_hubspot = len(variants), len(prices)
    differing: dict[int, Parsed] = {}
    for key, (event, product, price) in variants.items():
        if key not in prices:
            result.differences.append(Difference("product", product.id, "missing", key))
        elif price is not None and Decimal(str(prices[key] or "0")) != price:
            result.differences.append(
                Difference("product", product.id, "price", str(price), prices[key])
            )
        else:
            continue
        differing[product.id] = (event, product)
    return list(differing.values())


def _repair(
    rt: Runtime, differing: Sequence[Parsed], written: Callable[[set[Buffer]], None] | None
) -> int:
    by_buffer: dict[Buffer, list[Item]] = {}
    for target in items_for(differing, rt.memory):
        if target is not None:
            name, item = target
            by_buffer.setdefault(name, []).append(item)
    queued = 0
    for name, items in by_buffer.items():
        queued += rt.buffers[name].redo(items).count("queued")
    if written is not None:
        written(set(by_buffer))
    else:
        for name in sorted(by_buffer):
            rt.flusher.drain(rt.buffers[name])
    return queued
