"""What every GraphQL resolver gets: the simulation, the request's version, and helpers for
the value types (money, addresses, times) and connections that many objects share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from .clock import TimeFormat
from .ids import gid
from .money import convert, decimal
from .paging import Page, SortedIds, Window, check_window, paginate
from .records import Address

if TYPE_CHECKING:
    from .simulation import Simulation
    from .store import Store

Info = GraphQLResolveInfo


@dataclass
class Context:
    sim: Simulation
    version: str
    base_url: str
    bulk_ids: list[int] | None = None
    """Set while a bulk operation runs: the root records of the current chunk."""
    search_reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.sim.store

    @property
    def in_bulk(self) -> bool:
        return self.bulk_ids is not None

    @staticmethod
    def time(epoch: int | None) -> str | None:
        return TimeFormat.graphql(epoch)

    def money(self, cents: int, currency: str | None = None) -> dict[str, Any]:
        return {"amount": decimal(cents), "currencyCode": currency or self.store.shop.currency}

    def money_bag(self, cents: int, presentment: str) -> dict[str, Any]:
        shop = self.store.shop.currency
        return {
            "shopMoney": self.money(cents, shop),
            "presentmentMoney": self.money(convert(cents, shop, presentment), presentment),
        }

    def window(self, info: Info, **args: Any) -> Window:
        """The paging arguments of a connection field, checked as Shopify checks them."""
        window = Window(
            first=args.get("first"),
            after=args.get("after"),
            last=args.get("last"),
            before=args.get("before"),
            reverse=bool(args.get("reverse")),
        )
        # Bulk queries page nothing: every connection yields all of its nodes.
        if self.in_bulk:
            return Window(reverse=window.reverse)
        check_window(window, info.field_name)
        return window


def mailing_address(address: Address | None, model: str) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "id": f"{gid('MailingAddress', address.id)}?model_name={model}",
        "firstName": address.first_name,
        "lastName": address.last_name,
        "name": address.name,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province": address.province,
        "provinceCode": address.province_code,
        "country": address.country,
        "countryCodeV2": address.country_code,
        "zip": address.zip,
        "phone": address.phone,
    }


class Connection:
    def __init__(self, items: list[Any], page: Page) -> None:
        self.items = items
        self.page = page

    def edges(self, info: Info) -> list[dict[str, Any]]:
        return [
            {"cursor": cursor, "node": node}
            for cursor, node in zip(self.page.cursors, self.items, strict=True)
        ]

    def nodes(self, info: Info) -> list[Any]:
        return self.items

    def pageInfo(self, info: Info) -> dict[str, Any]:
        cursors = self.page.cursors
        return {
            "hasNextPage": self.page.has_next,
            "hasPreviousPage": self.page.has_previous,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        }


def list_connection(
    ctx: Context,
    info: Info,
    items: Sequence[Any],
    key: Callable[[Any], int],
    make: Callable[[Any], Any],
    args: dict[str, Any],
) -> Connection:
    """A connection over a short list (a product's variants, an order's line items...)."""
    ordered = sorted(items, key=key)
    keys = [key(item) for item in ordered]
    by_key = dict(zip(keys, ordered, strict=True))
    page = paginate(SortedIds(keys, keys), ctx.window(info, **args), lambda _: True, by_id=True)
    return Connection([make(by_key[item_key]) for item_key in page.ids], page)
