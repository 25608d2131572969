"""Live store changes: each one updates the store and emits the webhooks Shopify would send
for it, so the Admin API and the webhooks always tell the same story.

Flows unfold over several changes, as in a real shop: an order is created, later paid, later
fulfilled; a checkout is created, later updated and left (abandoned), or completed by an
order carrying its token (recovered).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from . import pools
from . import versions as v
from .generate import checkout_buyer, order_buyer
from .ids import gid
from .payloads import Renderer, checkout_payload, customer_payload, order_payload, product_payload
from .records import Checkout, Customer, Order, Product
from .store import Table

if TYPE_CHECKING:
    from .simulation import Simulation

R = TypeVar("R")
RECENT = 300
Event = tuple[str, Callable[[str], dict[str, Any] | None]]
# What a change made: the changed object's GraphQL id and the webhooks it sends.
Made = tuple[str, list[Event]]


def _since(floor: str, render: Callable[[str], dict[str, Any]]) -> Callable[[str], Any]:
    return lambda version: render(version) if v.at_least(version, floor) else None


def _before(floor: str, render: Callable[[str], dict[str, Any]]) -> Callable[[str], Any]:
    return lambda version: None if v.at_least(version, floor) else render(version)


class NothingToChange(LookupError):
    """A change of the kind asked for has nothing to act on in the store as it is."""


class Changes:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.store = sim.store
        self.factory = sim.factory
        # name: (weight, change): how often each change is picked.
        self.kinds: dict[str, tuple[int, Callable[[int], Made | None]]] = {
            "customer_created": (12, self._new_customer),
            "order_created": (16, self._new_order),
            "order_paid": (12, self._pay),
            "order_fulfilled": (10, self._fulfil),
            "order_refunded": (5, self._refund),
            "order_cancelled": (4, self._cancel),
            "product_updated": (8, self._update_product),
            "variant_removed": (3, self._remove_variant),
            "product_deleted": (2, self._delete_product),
            "product_created": (3, self._new_product),
            "checkout_created": (10, self._new_checkout),
            "checkout_abandoned": (6, self._abandon_checkout),
            "checkout_recovered": (5, self._recover_checkout),
        }

    def make(self, count: int, kind: str | None = None) -> list[dict[str, Any]]:
        """`count` changes, picked at random by weight, or all of `kind`: then fewer when the
        store runs out of what they act on, and NothingToChange when it has none at all."""
        made: list[dict[str, Any]] = []
        for _ in range(count):
            try:
                made.append(self.one(kind))
            except NothingToChange:
                if not made:
                    raise
                break
        return made

    def one(self, kind: str | None = None) -> dict[str, Any]:
        """A change of `kind` (one of `kinds`), or of a kind picked at random by weight."""
        with self.store.lock:
            name = kind or self._pick_kind()
            now = self.sim.clock.seconds()
            made = self.kinds[name][1](now)
            if made is None:
                if kind is not None:
                    raise NothingToChange(kind)
                # Nothing to act on yet: grow the store instead.
                name, made = "order_created", self._new_order(now)
            object_gid, events = made
            event_id = str(uuid.uuid4())
            for topic, render in events:
                self.sim.dispatcher.emit(event_id, topic, render)
            self.sim.stats.add("changes")
            return {
                "change": name,
                "id": object_gid,
                "event_id": event_id,
                "topics": [topic for topic, _ in events],
            }

    # -- helpers ----------------------------------------------------------------------------

    def _pick_kind(self) -> str:
        draw = self.factory.rng.random() * sum(weight for weight, _ in self.kinds.values())
        for name, (weight, _) in self.kinds.items():
            draw -= weight
            if draw < 0:
                return name
        return next(reversed(self.kinds))

    def _recent(self, table: Table[R], test: Callable[[R], bool]) -> R | None:
        """One of the newest records passing `test`: flows continue on what just happened."""
        candidates = [record for record in table.newest(RECENT) if test(record)]
        return self.factory.pick(candidates) if candidates else None

    def _order_events(self, order: Order, topics: list[str]) -> list[Event]:
        store = self.store

        def render(topic: str) -> Callable[[str], dict[str, Any]]:
            return lambda version: order_payload(store, order, topic, version)

        events: list[Event] = [(topic, render(topic)) for topic in topics]
        return events + self._customer_totals_events(order)

    def _customer_totals_events(self, order: Order) -> list[Event]:
        customer = self.store.customer_of(order)
        if customer is None:
            return []
        self.store.refresh_customer_totals(customer)
        self.store.stamp(customer, order.updated_at)
        store = self.store

        def render(topic: str) -> Callable[[str], dict[str, Any]]:
            return lambda version: customer_payload(store, customer, topic, version)

        # Before 2025-01 customer payloads carry the purchase totals; since, a topic of its own.
        return [
            ("customers/update", _before(v.PURCHASING_SUMMARY_FROM, render("customers/update"))),
            (
                "customers/purchasing_summary",
                _since(v.PURCHASING_SUMMARY_FROM, render("customers/purchasing_summary")),
            ),
        ]

    def _products(self) -> list[Product]:
        return self.store.products.newest(RECENT)

    # -- customers --------------------------------------------------------------------------

    def _new_customer(self, now: int) -> Made:
        factory, store = self.factory, self.store
        customer = factory.customer(now, no_email=factory.chance(0.05))
        store.add_customer(customer)

        def render(topic: str) -> Callable[[str], dict[str, Any]]:
            return lambda version: customer_payload(store, customer, topic, version)

        events: list[Event] = [("customers/create", render("customers/create"))]
        if customer.tags:
            events.append(
                ("customer.tags_added", _since(v.CUSTOMER_SLIM_FROM, render("customer.tags_added")))
            )
        if customer.email:
            topic = "customers_email_marketing_consent/update"
            events.append((topic, _since(v.CUSTOMER_SLIM_FROM, render(topic))))
        return gid("Customer", customer.id), events

    # -- orders -----------------------------------------------------------------------------

    def _place(
        self, now: int, customer: Customer | None, email: str | None, checkout: Checkout | None
    ) -> Order:
        store = self.store
        order = self.factory.order(
            number=store.next_order_number,
            created_at=now,
            customer=customer,
            email=email,
            products=self._products(),
            checkout=checkout,
        )
        store.add_order(order)
        return order

    def _new_order(self, now: int) -> Made:
        store, factory = self.store, self.factory
        customers = store.customers.newest(RECENT)
        created = [customer.created_at for customer in customers]
        customer, email = order_buyer(factory, customers, created, now)
        order = self._place(now, customer, email, None)
        topics = ["orders/create"]
        if factory.chance(0.5):
            store.pay(order, now)
            topics.append("orders/paid")
        return gid("Order", order.id), self._order_events(order, topics)

    def _open_orders(self, test: Callable[[Order], bool]) -> Order | None:
        store = self.store
        return self._recent(store.orders, lambda o: o.cancelled_at is None and test(o))

    def _pay(self, now: int) -> Made | None:
        order = self._open_orders(lambda o: o.financial_status in ("pending", "authorized"))
        if order is None:
            return None
        self.store.pay(order, now)
        events = self._order_events(order, ["orders/paid", "orders/updated"])
        return gid("Order", order.id), events

    def _fulfil(self, now: int) -> Made | None:
        order = self._open_orders(
            lambda o: o.financial_status == "paid" and o.fulfillment_status != "fulfilled"
        )
        if order is None:
            return None
        fulfillment = self.factory.fulfillment(order, now, partial=self.factory.chance(0.2))
        if fulfillment is None:
            return None
        self.store.fulfil(order, now, fulfillment)
        topic = (
            "orders/fulfilled"
            if order.fulfillment_status == "fulfilled"
            else "orders/partially_fulfilled"
        )
        events = self._order_events(order, [topic, "orders/updated"])
        return gid("Order", order.id), events

    def _refund(self, now: int) -> Made | None:
        order = self._open_orders(lambda o: o.received > o.refunded)
        if order is None:
            return None
        refund = self.factory.refund(order, now, full=self.factory.chance(0.4))
        if refund is None:
            return None
        self.store.refund(order, now, refund)
        store = self.store
        events = self._order_events(order, ["orders/updated"])
        events.append(
            ("refunds/create", lambda version: Renderer(store, version).refund(order, refund))
        )
        return gid("Order", order.id), events

    def _cancel(self, now: int) -> Made | None:
        order = self._open_orders(lambda o: o.fulfillment_status is None)
        if order is None:
            return None
        refund = self.factory.refund(order, now, full=True)
        self.store.cancel(order, now, self.factory.pick(pools.CANCEL_REASONS), refund)
        events = self._order_events(order, ["orders/cancelled", "orders/updated"])
        return gid("Order", order.id), events

    # -- products ---------------------------------------------------------------------------

    def _product_events(self, product: Product, topic: str) -> list[Event]:
        store = self.store
        return [(topic, lambda version: product_payload(store, product, topic, version))]

    def _new_product(self, now: int) -> Made:
        product = self.factory.product(now, now)
        self.store.add_product(product)
        return (
            gid("Product", product.id),
            self._product_events(product, "products/create"),
        )

    def _update_product(self, now: int) -> Made | None:
        products = list(self.store.products)
        if not products:
            return None
        product = self.factory.pick(products)
        variant = self.factory.pick(product.variants)
        variant.price += self.factory.pick((-100, 100, 200, 500))
        variant.price = max(variant.price, 100)
        self.store.stamp(variant, now)
        if self.factory.chance(0.3):
            product.tags = tuple(sorted({*product.tags, "updated"}))
        self.store.stamp(product, now)
        return (
            gid("Product", product.id),
            self._product_events(product, "products/update"),
        )

    def _remove_variant(self, now: int) -> Made | None:
        products = [product for product in self.store.products if len(product.variants) > 1]
        if not products:
            return None
        product = self.factory.pick(products)
        variant = self.factory.pick(product.variants)
        self.store.remove_variant(product, variant.id, now)
        return (
            gid("Product", product.id),
            self._product_events(product, "products/update"),
        )

    def _delete_product(self, now: int) -> Made | None:
        products = list(self.store.products)
        if len(products) < 2:
            return None
        product = self.store.delete_product(self.factory.pick(products).id)
        return (
            gid("Product", product.id),
            self._product_events(product, "products/delete"),
        )

    # -- checkouts --------------------------------------------------------------------------

    def _checkout_events(self, checkout: Checkout, topic: str) -> list[Event]:
        store = self.store
        return [(topic, lambda version: checkout_payload(store, checkout, topic, version))]

    def _new_checkout(self, now: int) -> Made:
        store, factory = self.store, self.factory
        customers = store.customers.newest(RECENT)
        created = [customer.created_at for customer in customers]
        customer, email, phone = checkout_buyer(factory, customers, created, now)
        checkout = factory.checkout(
            created_at=now, customer=customer, email=email, phone=phone, products=self._products()
        )
        store.add_checkout(checkout)
        return (
            gid("AbandonedCheckout", checkout.id),
            self._checkout_events(checkout, "checkouts/create"),
        )

    def _open_checkout(self) -> Checkout | None:
        store = self.store
        return self._recent(store.checkouts, lambda c: c.completed_at is None)

    def _abandon_checkout(self, now: int) -> Made | None:
        checkout = self._open_checkout()
        if checkout is None:
            return None
        # The buyer comes back once (adds a note, say) and then leaves for good.
        checkout.note = "Left at the shipping step"
        self.store.stamp(checkout, now)
        return (
            gid("AbandonedCheckout", checkout.id),
            self._checkout_events(checkout, "checkouts/update"),
        )

    def _recover_checkout(self, now: int) -> Made | None:
        checkout = self._open_checkout()
        if checkout is None:
            return None
        order = self._place(now, self.store.customer_of(checkout), checkout.email, checkout)
        self.store.pay(order, now)
        self.store.complete_checkout(checkout, order)
        events = self._order_events(order, ["orders/create", "orders/paid"])
        events += self._checkout_events(checkout, "checkouts/update")
        return gid("Order", order.id), events


class LiveMode:
    """Makes `rate` random changes per second in the background; the rate can change live."""

    def __init__(self, changes: Changes, rate: float) -> None:
        self._changes = changes
        self.rate = rate
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="shopify-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set_rate(self, rate: float) -> None:
        self.rate = rate
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping:
            # Read once: `set_rate` may stop the changes (rate 0) between two reads.
            rate = self.rate
            if rate <= 0:
                self._wake.wait()
                self._wake.clear()
                continue
            self._changes.one()
            self._wake.wait(1.0 / rate)
            self._wake.clear()
