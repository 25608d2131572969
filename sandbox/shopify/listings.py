"""Sorting and searching the store's tables for connections: which sort keys exist, which
search fields each resource knows, and the sorted indexes they page over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .paging import Page, SortedIds, Window, paginate
from .records import Checkout, Customer, Order, Product
from .search import Field, Fields, Search, parse, texts
from .store import Store, Table

R = TypeVar("R")

# Creation time, processing time and order number all grow with the id in this store (ids
# are handed out in creation order), so these sorts page over the id index itself.
ID_ORDERED_SORTS = frozenset({"ID", "CREATED_AT", "PROCESSED_AT", "ORDER_NUMBER", "CHECKOUT_ID"})


def _order_status(order: Order) -> str:
    if order.cancelled_at is not None:
        return "cancelled"
    return "closed" if order.closed_at is not None else "open"


def _fulfillment(order: Order) -> str:
    return {"fulfilled": "shipped", "partial": "partial"}.get(
        order.fulfillment_status or "", "unshipped"
    )


CUSTOMER_FIELDS = Fields(
    {
        "id": Field("int", lambda c: c.id),
        "created_at": Field("time", lambda c: c.created_at),
        "updated_at": Field("time", lambda c: c.updated_at),
        "email": Field("text", lambda c: c.email),
        "phone": Field("text", lambda c: c.phone),
        "first_name": Field("text", lambda c: c.first_name),
        "last_name": Field("text", lambda c: c.last_name),
        "state": Field("text", lambda c: c.state),
        "tag": Field("tags", lambda c: c.tags),
        "orders_count": Field("int", lambda c: c.orders_count),
        "accepts_marketing": Field("bool", lambda c: c.consent_state == "subscribed"),
        "country": Field("text", lambda c: c.address.country if c.address else None),
    },
    texts(lambda c: c.email, lambda c: c.first_name, lambda c: c.last_name),
)
PRODUCT_FIELDS = Fields(
    {
        "id": Field("int", lambda p: p.id),
        "created_at": Field("time", lambda p: p.created_at),
        "updated_at": Field("time", lambda p: p.updated_at),
        "published_at": Field("time", lambda p: p.published_at),
        "title": Field("text", lambda p: p.title),
        "handle": Field("text", lambda p: p.handle),
        "vendor": Field("text", lambda p: p.vendor),
        "product_type": Field("text", lambda p: p.product_type),
        "status": Field("text", lambda p: p.status),
        "tag": Field("tags", lambda p: p.tags),
    },
    texts(lambda p: p.title, lambda p: p.vendor, lambda p: p.product_type),
)
ORDER_FIELDS = Fields(
    {
        "id": Field("int", lambda o: o.id),
        "created_at": Field("time", lambda o: o.created_at),
        "updated_at": Field("time", lambda o: o.updated_at),
        "processed_at": Field("time", lambda o: o.processed_at),
        "email": Field("text", lambda o: o.email),
        "name": Field("text", lambda o: o.name),
        "financial_status": Field("text", lambda o: o.financial_status),
        "fulfillment_status": Field("text", _fulfillment),
        "status": Field("text", _order_status),
        "customer_id": Field("int", lambda o: o.customer_id),
        "checkout_token": Field("text", lambda o: o.checkout_token),
        "cart_token": Field("text", lambda o: o.cart_token),
        "source_name": Field("text", lambda o: o.source_name),
        "tag": Field("tags", lambda o: o.tags),
    },
    texts(lambda o: o.name, lambda o: o.email),
)
CHECKOUT_FIELDS = Fields(
    {
        "id": Field("int", lambda c: c.id),
        "created_at": Field("time", lambda c: c.created_at),
        "updated_at": Field("time", lambda c: c.updated_at),
        "status": Field("text", lambda c: "closed" if c.completed_at is not None else "open"),
        "recovery_state": Field(
            "text", lambda c: "recovered" if c.completed_at is not None else "not_recovered"
        ),
    },
    texts(lambda c: c.email, lambda c: c.name),
)

SORT_VALUES: dict[str, Callable[[Any], Any]] = {
    "UPDATED_AT": lambda record: record.updated_at,
    "TITLE": lambda record: record.title.lower(),
}


@dataclass(frozen=True)
class Listing(Generic[R]):
    name: str
    table: Callable[[Store], Table[R]]
    fields: Fields


CUSTOMERS: Listing[Customer] = Listing("customers", lambda s: s.customers, CUSTOMER_FIELDS)
PRODUCTS: Listing[Product] = Listing("products", lambda s: s.products, PRODUCT_FIELDS)
ORDERS: Listing[Order] = Listing("orders", lambda s: s.orders, ORDER_FIELDS)
CHECKOUTS: Listing[Checkout] = Listing("abandonedCheckouts", lambda s: s.checkouts, CHECKOUT_FIELDS)


class IndexCache:
    """Sorted indexes other than id order, rebuilt when the store has changed since."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str], tuple[int, SortedIds]] = {}

    def index(self, store: Store, listing: Listing[Any], sort_key: str) -> tuple[SortedIds, bool]:
        table = listing.table(store)
        if sort_key in ID_ORDERED_SORTS:
            return SortedIds(table.ids, table.ids), True
        cached = self._built.get((listing.name, sort_key))
        if cached is not None and cached[0] == store.version:
            return cached[1], False
        value = SORT_VALUES[sort_key]
        keys = sorted((value(record), record_id) for record_id, record in table.by_id.items())
        index = SortedIds(keys, [record_id for _, record_id in keys])
        self._built[(listing.name, sort_key)] = (store.version, index)
        return index, False


def page_of(
    store: Store,
    cache: IndexCache,
    listing: Listing[R],
    sort_key: str,
    query: str | None,
    window: Window,
) -> tuple[Page, Search]:
    table = listing.table(store)
    search = parse(query, listing.fields)
    index, by_id = cache.index(store, listing, sort_key)
    by_record = table.by_id

    def accept(record_id: int) -> bool:
        record = by_record.get(record_id)
        return record is not None and search.matches(record)

    return paginate(index, window, accept, by_id=by_id), search


def sub_index(
    records: list[R], sort_key: str, key_of: Callable[[R], int]
) -> tuple[SortedIds, bool]:
    """The sorted index of a short list (a customer's orders)."""
    if sort_key in ID_ORDERED_SORTS:
        ids = sorted(key_of(record) for record in records)
        return SortedIds(ids, ids), True
    value = SORT_VALUES[sort_key]
    keys = sorted((value(record), key_of(record)) for record in records)
    return SortedIds(keys, [record_id for _, record_id in keys]), False
