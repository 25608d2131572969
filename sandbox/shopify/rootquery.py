"""The QueryRoot fields: the shop, single objects by id, and the connections over the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from graphql import GraphQLError

from .graphcontext import Connection, Context, Info
from .ids import parse_gid
from .listings import CHECKOUTS, CUSTOMERS, ORDERS, PRODUCTS, Listing, page_of
from .nodes_admin import BulkOperationNode, SubscriptionNode, ThemeNode, shop
from .nodes_catalog import ProductNode, VariantNode, variant_node
from .nodes_checkouts import CheckoutNode
from .nodes_customers import CustomerNode
from .nodes_orders import OrderNode
from .paging import Page, SortedIds, encode_cursor, paginate
from .search import parse

R = TypeVar("R")
COUNT_LIMIT = 10_000


class QueryRoot:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- single objects ---------------------------------------------------------------------

    def shop(self, info: Info) -> dict[str, Any]:
        return shop(self.ctx)

    def node(self, info: Info, id: str) -> Any:
        kind, number = _parse(id)
        return self._by_kind(kind, number)

    def _by_kind(self, kind: str, number: int) -> Any:
        ctx, store = self.ctx, self.ctx.store
        if kind == "Customer":
            customer = store.customers.get(number)
            return CustomerNode(ctx, customer) if customer else None
        if kind == "Product":
            product = store.products.get(number)
            return ProductNode(ctx, product) if product else None
        if kind == "ProductVariant":
            return variant_node(ctx, number)
        if kind == "Order":
            order = store.orders.get(number)
            return OrderNode(ctx, order) if order else None
        if kind == "AbandonedCheckout":
            checkout = store.checkouts.get(number)
            return CheckoutNode(ctx, checkout) if checkout else None
        if kind == "BulkOperation":
            operation = ctx.sim.bulk.get(number)
            return BulkOperationNode(ctx, operation) if operation else None
        if kind == "WebhookSubscription":
            subscription = ctx.sim.subscriptions.get(number)
            return SubscriptionNode(ctx, subscription) if subscription else None
        if kind == "OnlineStoreTheme":
            theme = ctx.sim.themes.get(number)
            return ThemeNode(ctx, theme) if theme else None
        return None

    def _typed(self, kind: str, value: str) -> Any:
        found_kind, number = _parse(value)
        return self._by_kind(kind, number) if found_kind == kind else None

    def customer(self, info: Info, id: str) -> CustomerNode | None:
        return self._typed("Customer", id)  # type: ignore[no-any-return]

    def product(self, info: Info, id: str) -> ProductNode | None:
        return self._typed("Product", id)  # type: ignore[no-any-return]

    def productVariant(self, info: Info, id: str) -> VariantNode | None:
        return self._typed("ProductVariant", id)  # type: ignore[no-any-return]

    def order(self, info: Info, id: str) -> OrderNode | None:
        return self._typed("Order", id)  # type: ignore[no-any-return]

    def currentBulkOperation(self, info: Info, type: str = "QUERY") -> BulkOperationNode | None:
        operation = self.ctx.sim.bulk.current() if type == "QUERY" else None
        return BulkOperationNode(self.ctx, operation) if operation else None

    def bulkOperation(self, info: Info, id: str) -> BulkOperationNode | None:
        return self._typed("BulkOperation", id)  # type: ignore[no-any-return]

    def webhookSubscription(self, info: Info, id: str) -> SubscriptionNode | None:
        return self._typed("WebhookSubscription", id)  # type: ignore[no-any-return]

    def theme(self, info: Info, id: str) -> ThemeNode | None:
        return self._typed("OnlineStoreTheme", id)  # type: ignore[no-any-return]

    # -- connections ------------------------------------------------------------------------

    def _connection(
        self,
        info: Info,
        listing: Listing[R],
        make: Callable[[Context, R], Any],
        sort_key: str,
        query: str | None,
        args: dict[str, Any],
    ) -> Connection:
        ctx = self.ctx
        table = listing.table(ctx.store)
        if ctx.bulk_ids is not None and info.path.prev is None:
            ids = [record_id for record_id in ctx.bulk_ids if record_id in table.by_id]
            page = Page(ids, [encode_cursor(record_id) for record_id in ids], False, False)
        else:
            window = ctx.window(info, **args)
            page, search = page_of(ctx.store, ctx.sim.indexes, listing, sort_key, query, window)
            if search.warnings:
                ctx.search_reports.append(
                    {"path": [info.path.key], "query": query, "warnings": search.warnings}
                )
        return Connection([make(ctx, table.by_id[record_id]) for record_id in page.ids], page)

    def customers(
        self, info: Info, sortKey: str = "ID", query: str | None = None, **args: Any
    ) -> Connection:
        return self._connection(info, CUSTOMERS, CustomerNode, sortKey, query, args)

    def products(
        self, info: Info, sortKey: str = "ID", query: str | None = None, **args: Any
    ) -> Connection:
        return self._connection(info, PRODUCTS, ProductNode, sortKey, query, args)

    def orders(
        self, info: Info, sortKey: str = "PROCESSED_AT", query: str | None = None, **args: Any
    ) -> Connection:
        return self._connection(info, ORDERS, OrderNode, sortKey, query, args)

    def abandonedCheckouts(
        self, info: Info, sortKey: str = "ID", query: str | None = None, **args: Any
    ) -> Connection:
        return self._connection(info, CHECKOUTS, CheckoutNode, sortKey, query, args)

    def _count(self, listing: Listing[Any], query: str | None, limit: int | None) -> dict[str, Any]:
        search = parse(query, listing.fields)
        cap = COUNT_LIMIT if limit is None else limit
        count = 0
        for record in listing.table(self.ctx.store):
            if search.matches(record):
                count += 1
                if count > cap:
                    return {"count": cap, "precision": "AT_LEAST"}
        return {"count": count, "precision": "EXACT"}

    def customersCount(self, info: Info, query: str | None = None) -> dict[str, Any]:
        return self._count(CUSTOMERS, query, None)

    def productsCount(
        self, info: Info, query: str | None = None, limit: int | None = None
    ) -> dict[str, Any]:
        return self._count(PRODUCTS, query, limit)

    def ordersCount(
        self, info: Info, query: str | None = None, limit: int | None = None
    ) -> dict[str, Any]:
        return self._count(ORDERS, query, limit)

    def abandonedCheckoutsCount(
        self, info: Info, query: str | None = None, limit: int | None = None
    ) -> dict[str, Any]:
        return self._count(CHECKOUTS, query, limit)

    def webhookSubscriptions(
        self,
        info: Info,
        sortKey: str = "CREATED_AT",
        callbackUrl: str | None = None,
        format: str | None = None,
        topics: list[str] | None = None,
        **args: Any,
    ) -> Connection:
        wanted = [
            sub
            for sub in self.ctx.sim.subscriptions.all()
            if (callbackUrl is None or sub.callback_url == callbackUrl)
            and (format is None or sub.format == format)
            and (not topics or sub.topic in topics)
        ]
        by_id = {sub.id: sub for sub in wanted}
        ids = sorted(by_id)
        page = paginate(
            SortedIds(ids, ids), self.ctx.window(info, **args), lambda _: True, by_id=True
        )
        return Connection([SubscriptionNode(self.ctx, by_id[i]) for i in page.ids], page)

    def themes(
        self,
        info: Info,
        roles: list[str] | None = None,
        names: list[str] | None = None,
        **args: Any,
    ) -> Connection:
        wanted = [
            theme
            for theme in self.ctx.sim.themes.all()
            if (not roles or theme.role in roles) and (not names or theme.name in names)
        ]
        by_id = {theme.id: theme for theme in wanted}
        ids = sorted(by_id)
        page = paginate(
            SortedIds(ids, ids), self.ctx.window(info, **args), lambda _: True, by_id=True
        )
        return Connection([ThemeNode(self.ctx, by_id[i]) for i in page.ids], page)


def _parse(value: str) -> tuple[str, int]:
    parsed = parse_gid(value)
    if parsed is None:
        raise GraphQLError(
            f"Invalid global id '{value}'",
            extensions={"code": "argumentLiteralsIncompatible", "typeName": "CoercionError"},
        )
    return parsed


def bulk_root_ids(ctx: Context, field_name: str, args: dict[str, Any]) -> list[int]:
    """Every id a bulk query's top-level connection yields, in its order."""
    listings: dict[str, Listing[Any]] = {
        "customers": CUSTOMERS,
        "products": PRODUCTS,
        "orders": ORDERS,
        "abandonedCheckouts": CHECKOUTS,
    }
    listing = listings[field_name]
    default_sort = "PROCESSED_AT" if field_name == "orders" else "ID"
    index, _ = ctx.sim.indexes.index(ctx.store, listing, args.get("sortKey") or default_sort)
    search = parse(args.get("query"), listing.fields)
    table = listing.table(ctx.store).by_id
    ordered = list(reversed(index.ids)) if args.get("reverse") else list(index.ids)
    return [i for i in ordered if i in table and search.matches(table[i])]
