"""The store: records by id in creation order, the indexes queries need, and every change.

One re-entrant lock guards it all; readers (GraphQL, payload rendering, bulk chunks) hold it
while they look, writers while they change. `version` counts changes so derived views know
when they are stale.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .ids import IdAllocator
from .records import Checkout, Customer, Fulfillment, Order, Product, Refund, Variant

R = TypeVar("R")
PAID_STATUSES = frozenset({"paid", "partially_paid", "partially_refunded", "refunded"})


@dataclass(frozen=True)
class ShopInfo:
    id: int
    name: str
    domain: str
    currency: str
    utc_offset_minutes: int


class Table(Generic[R]):
    """Records by id; ids only grow, so the id list stays sorted as records are added."""

    def __init__(self) -> None:
        self.by_id: dict[int, R] = {}
        self.ids: list[int] = []

    def add(self, record_id: int, record: R) -> None:
        if self.ids and record_id <= self.ids[-1]:
            raise ValueError("ids must grow")
        self.by_id[record_id] = record
        self.ids.append(record_id)

    def remove(self, record_id: int) -> R:
        record = self.by_id.pop(record_id)
        del self.ids[bisect.bisect_left(self.ids, record_id)]
        return record

    def get(self, record_id: int) -> R | None:
        return self.by_id.get(record_id)

    def newest(self, count: int) -> list[R]:
        by_id = self.by_id
        return [by_id[record_id] for record_id in self.ids[-count:]]

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[R]:
        by_id = self.by_id
        return (by_id[record_id] for record_id in self.ids)


class Store:
    def __init__(self, shop: ShopInfo, ids: IdAllocator) -> None:
        self.shop = shop
        self.ids = ids
        self.lock = threading.RLock()
        self.version = 0
        self.products: Table[Product] = Table()
        self.customers: Table[Customer] = Table()
        self.orders: Table[Order] = Table()
        self.checkouts: Table[Checkout] = Table()
        self.variants: dict[int, Variant] = {}
        self.orders_by_customer: dict[int, list[int]] = {}
        self.checkout_by_token: dict[str, int] = {}
        self.next_order_number = 1001

    # -- adding -----------------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        self.products.add(product.id, product)
        for variant in product.variants:
            self.variants[variant.id] = variant
        self.version += 1

    def add_customer(self, customer: Customer) -> None:
        self.customers.add(customer.id, customer)
        self.version += 1

    def add_order(self, order: Order) -> None:
        self.orders.add(order.id, order)
        self.next_order_number = max(self.next_order_number, order.number + 1)
        if order.customer_id is not None:
            self.orders_by_customer.setdefault(order.customer_id, []).append(order.id)
        self.version += 1

    def add_checkout(self, checkout: Checkout) -> None:
        self.checkouts.add(checkout.id, checkout)
        self.checkout_by_token[checkout.token] = checkout.id
        self.version += 1

    # -- lookups ----------------------------------------------------------------------------

    def customer_of(self, record: Order | Checkout) -> Customer | None:
        return None if record.customer_id is None else self.customers.get(record.customer_id)

    def customer_orders(self, customer_id: int) -> list[Order]:
        orders = self.orders.by_id
        return [
            orders[order_id]
            for order_id in self.orders_by_customer.get(customer_id, ())
            if order_id in orders
        ]

    def refresh_customer_totals(self, customer: Customer) -> None:
        """orders_count, total_spent and the last order, as Shopify keeps them on the customer."""
        orders = self.customer_orders(customer.id)
        customer.orders_count = len(orders)
        customer.total_spent = sum(order.received - order.refunded for order in orders)
        last = orders[-1] if orders else None
        customer.last_order_id = last.id if last else None
        customer.last_order_name = last.name if last else None

    # -- changes ----------------------------------------------------------------------------

    def stamp(self, record: Order | Customer | Product | Checkout | Variant, at: int) -> int:
        """Move `updated_at` on, strictly: two changes in one second still order by time."""
        record.updated_at = max(at, record.updated_at + 1)
        self.version += 1
        return record.updated_at

    def pay(self, order: Order, at: int, *, partially: bool = False) -> None:
        order.received = order.total // 2 if partially else order.total
        order.financial_status = "partially_paid" if partially else "paid"
        self.stamp(order, at)
        self._closed_if_done(order)

    def authorize(self, order: Order, at: int) -> None:
        order.financial_status = "authorized"
        self.stamp(order, at)

    def fulfil(self, order: Order, at: int, fulfillment: Fulfillment) -> None:
        items = {item.id: item for item in order.line_items}
        for line_id, quantity in fulfillment.lines:
            items[line_id].fulfilled += quantity
        order.fulfillments.append(fulfillment)
        open_items = [
            item for item in order.line_items if item.fulfilled < item.quantity - item.refunded
        ]
        order.fulfillment_status = "partial" if open_items else "fulfilled"
        self.stamp(order, at)
        self._closed_if_done(order)

    def refund(self, order: Order, at: int, refund: Refund) -> None:
        items = {item.id: item for item in order.line_items}
        for line_id, quantity, _ in refund.lines:
            items[line_id].refunded += quantity
        order.refunds.append(refund)
        order.financial_status = (
            "refunded" if order.refunded >= order.received else "partially_refunded"
        )
        self.stamp(order, at)

    def cancel(self, order: Order, at: int, reason: str, refund: Refund | None) -> None:
        if refund is not None:
            self.refund(order, at, refund)
        elif order.received == 0:
            order.financial_status = "voided"
        order.cancelled_at = self.stamp(order, at)
        order.cancel_reason = reason
        order.closed_at = order.cancelled_at

    def _closed_if_done(self, order: Order) -> None:
        if order.fulfillment_status == "fulfilled" and order.financial_status == "paid":
            order.closed_at = order.updated_at

    def complete_checkout(self, checkout: Checkout, order: Order) -> None:
        checkout.completed_at = order.created_at
        checkout.order_id = order.id
        self.stamp(checkout, order.created_at)

    def delete_product(self, product_id: int) -> Product:
        product = self.products.remove(product_id)
        for variant in product.variants:
            self.variants.pop(variant.id, None)
        self.version += 1
        return product

    def remove_variant(self, product: Product, variant_id: int, at: int) -> None:
        product.variants = [variant for variant in product.variants if variant.id != variant_id]
        for position, variant in enumerate(product.variants, start=1):
            variant.position = position
        self.variants.pop(variant_id, None)
        self.stamp(product, at)
