"""The initial store: a deterministic function of the seed, the sizes and "now".

Everything is laid out on a timeline ending at "now": products first, customers over the
last two and a half years, orders over the last two, abandoned checkouts over the last 30
days. Ids grow with creation time, as Shopify's do.
"""

from __future__ import annotations

import bisect
import random

from . import pools
from .config import SimulatorConfig
from .factory import DAY, HOUR, Factory
from .ids import IdAllocator
from .records import Checkout, Customer, Order, Product
from .store import ShopInfo, Store

YEAR = 365 * DAY
MINUTE = 60
# Checkouts are kept clear of the 24 h abandonment boundary so counts do not flip mid-test.
ABANDON_MARGIN = HOUR


def generate(config: SimulatorConfig, now: int) -> tuple[Store, Factory]:
    rng = random.Random(config.seed)
    ids = IdAllocator(config.orders)
    factory = Factory(rng, ids, config.currency)
    shop = ShopInfo(
        id=54_838_000 + config.seed % 1000,
        name=config.shop_name,
        domain=config.shop_domain,
        currency=config.currency,
        utc_offset_minutes=config.utc_offset_minutes,
    )
    store = Store(shop, ids)
    products = _products(store, factory, config.products, now)
    customers = _customers(store, factory, config.customers, now)
    checkouts, recoveries = _checkouts(store, factory, config, customers, products, now)
    _orders(store, factory, config.orders, customers, products, recoveries, now)
    for customer in customers:
        store.refresh_customer_totals(customer)
        last = customer.last_order_id
        if last is not None:
            customer.updated_at = max(customer.updated_at, store.orders.by_id[last].created_at)
    for checkout in checkouts:
        if checkout.order_id is not None:
            store.complete_checkout(checkout, store.orders.by_id[checkout.order_id])
    return store, factory


def _spread(factory: Factory, count: int, start: int, end: int) -> list[int]:
    """`count` increasing instants in [start, end)."""
    step = (end - start) / max(count, 1)
    return [start + int((index + factory.rng.random()) * step) for index in range(count)]


def _products(store: Store, factory: Factory, count: int, now: int) -> list[Product]:
    products = []
    for created in _spread(factory, count, now - 3 * YEAR, now - 2 * YEAR):
        updated = min(created + factory.between(0, 300 * DAY), now - HOUR)
        product = factory.product(created, updated)
        store.add_product(product)
        products.append(product)
    return products


def _customers(store: Store, factory: Factory, count: int, now: int) -> list[Customer]:
    customers: list[Customer] = []
    for created in _spread(factory, count, now - 5 * YEAR // 2, now - 2 * HOUR):
        draw = factory.rng.random()
        if draw < 0.06:
            customer = factory.customer(created, no_email=True)
        elif draw < 0.08 and customers:
            # Shopify refuses two customers with one address; imports and old data still have
            # them in different letter case, which Shopspot must merge into one contact.
            earlier = factory.pick(customers).email
            email = factory.case_variant(earlier) if earlier else None
            customer = factory.customer(created, email, no_email=email is None)
        else:
            customer = factory.customer(created)
        store.add_customer(customer)
        customers.append(customer)
    return customers


def _checkouts(
    store: Store,
    factory: Factory,
    config: SimulatorConfig,
    customers: list[Customer],
    products: list[Product],
    now: int,
) -> tuple[list[Checkout], list[tuple[int, Checkout]]]:
    """Abandoned (older than a day), fresh (younger) and recovered checkouts.

    Returns the checkouts and, for the recovered ones, the instant their order is placed.
    """
    plans: list[tuple[int, str]] = []
    for _ in range(config.checkouts):
        draw = factory.rng.random()
        if draw < 0.2 and len(plans) < config.orders:
            created = now - factory.between(20 * MINUTE, 30 * DAY)
            kind = "recovered"
        elif draw < 0.45:
            created = now - factory.between(10 * MINUTE, DAY - ABANDON_MARGIN)
            kind = "fresh"
        else:
            created = now - factory.between(DAY + ABANDON_MARGIN, 30 * DAY)
            kind = "abandoned"
        plans.append((created, kind))
    plans.sort()
    created_list = [customer.created_at for customer in customers]
    checkouts: list[Checkout] = []
    recoveries: list[tuple[int, Checkout]] = []
    for created, kind in plans:
        customer, email, phone = checkout_buyer(factory, customers, created_list, created)
        checkout = factory.checkout(
            created_at=created, customer=customer, email=email, phone=phone, products=products
        )
        checkout.updated_at = min(created + factory.between(0, 30 * MINUTE), now - MINUTE)
        store.add_checkout(checkout)
        checkouts.append(checkout)
        if kind == "recovered":
            placed = min(created + factory.between(10 * MINUTE, 2 * DAY), now - MINUTE)
            recoveries.append((max(placed, checkout.updated_at), checkout))
    return checkouts, recoveries


def checkout_buyer(
    factory: Factory, customers: list[Customer], created_list: list[int], at: int
) -> tuple[Customer | None, str | None, str | None]:
    known = bisect.bisect_right(created_list, at)
    draw = factory.rng.random()
    if draw < 0.5 and known:
        customer = customers[int(factory.rng.random() * known)]
        email = customer.email
        if email and factory.chance(0.1):
            email = factory.case_variant(email)
        return customer, email, customer.phone
    if draw < 0.85:
        if known and factory.chance(0.2):
            other = customers[int(factory.rng.random() * known)].email
            if other:
                return None, factory.case_variant(other), None
        first, last = factory.pick(("Guest", "Visitor")), f"{factory.between(1, 9999)}"
        return None, factory.email_for(first, last), None
    return None, None, factory.phone()


def _orders(
    store: Store,
    factory: Factory,
    count: int,
    customers: list[Customer],
    products: list[Product],
    recoveries: list[tuple[int, Checkout]],
    now: int,
) -> None:
    base = _spread(factory, count - len(recoveries), now - 2 * YEAR, now - 30 * MINUTE)
    timeline: list[tuple[int, Checkout | None]] = [(at, None) for at in base]
    timeline.extend(recoveries)
    timeline.sort(key=lambda entry: entry[0])
    created_list = [customer.created_at for customer in customers]
    for at, checkout in timeline:
        if checkout is not None:
            customer = store.customer_of(checkout)
            email = checkout.email
        else:
            customer, email = order_buyer(factory, customers, created_list, at)
        order = factory.order(
            number=store.next_order_number,
            created_at=at,
            customer=customer,
            email=email,
            products=products,
            checkout=checkout,
        )
        store.add_order(order)
        if checkout is not None:
            checkout.order_id = order.id
            _live_a_life(store, factory, order, now, recovered=True)
        else:
            _live_a_life(store, factory, order, now, recovered=False)


def order_buyer(
    factory: Factory, customers: list[Customer], created_list: list[int], at: int
) -> tuple[Customer | None, str | None]:
    known = bisect.bisect_right(created_list, at)
    if not known or factory.chance(0.08):
        # A guest: no customer record; usually an email, sometimes only a phone.
        if not factory.chance(0.75):
            return None, None
        if known and factory.chance(0.25):
            other = customers[int(factory.rng.random() * known)].email
            if other:
                return None, factory.case_variant(other)
        return None, factory.email_for("guest", str(factory.between(1, 99999)))
    customer = customers[int(factory.rng.random() * known)]
    email = customer.email
    if email and factory.chance(0.04):
        email = factory.case_variant(email)
    return customer, email


def _live_a_life(
    store: Store, factory: Factory, order: Order, now: int, *, recovered: bool
) -> None:
    """Moves a new order through payment, fulfilment, refunds or cancellation, before `now`.

    Of all orders about 5 % end cancelled, 4 % refunded, 5 % partially refunded, 5 % pending,
    4 % authorized and 1 % partially paid; the rest are paid, two thirds of them shipped and
    a tenth partly shipped. Recovered checkouts' orders are always paid.
    """
    limit = now - MINUTE

    def later(low: int, high: int) -> int:
        return min(order.updated_at + factory.between(low, high), limit)

    draw = 0.5 if recovered else factory.rng.random()
    if draw < 0.05:
        if factory.chance(0.5):
            store.pay(order, later(0, 10 * MINUTE))
        at = later(HOUR, 2 * DAY)
        refund = factory.refund(order, at, full=True)
        store.cancel(order, at, factory.pick(pools.CANCEL_REASONS), refund)
        return
    if draw < 0.14:
        store.pay(order, later(0, 10 * MINUTE))
        if factory.chance(0.6):
            _ship(store, factory, order, later(HOUR, 3 * DAY), partial=False)
        at = later(DAY, 20 * DAY)
        refund = factory.refund(order, at, full=draw < 0.09)
        if refund is not None:
            store.refund(order, at, refund)
        return
    if draw < 0.19:
        return  # pending: payment not captured yet
    if draw < 0.23:
        store.authorize(order, later(0, 10 * MINUTE))
        return
    if draw < 0.24:
        store.pay(order, later(0, 10 * MINUTE), partially=True)
        return
    store.pay(order, later(0, 10 * MINUTE))
    fulfil = factory.rng.random()
    if fulfil < 0.65:
        _ship(store, factory, order, later(HOUR, 3 * DAY), partial=False)
    elif fulfil < 0.75:
        _ship(store, factory, order, later(HOUR, 3 * DAY), partial=True)


def _ship(store: Store, factory: Factory, order: Order, at: int, *, partial: bool) -> None:
    fulfillment = factory.fulfillment(order, at, partial=partial)
    if fulfillment is not None:
        store.fulfil(order, at, fulfillment)
