"""GraphQL objects for customers."""

from __future__ import annotations

from typing import Any, ClassVar

from .graphcontext import Connection, Context, Info, mailing_address
from .ids import gid
from .listings import ORDER_FIELDS, sub_index
from .paging import paginate
from .records import Customer
from .search import parse


class CustomerNode:
    typename: ClassVar[str] = "Customer"

    def __init__(self, ctx: Context, record: Customer) -> None:
        self.ctx = ctx
        self.record = record

    def id(self, info: Info) -> str:
        return gid("Customer", self.record.id)

    def legacyResourceId(self, info: Info) -> str:
        return str(self.record.id)

    def firstName(self, info: Info) -> str | None:
        return self.record.first_name

    def lastName(self, info: Info) -> str | None:
        return self.record.last_name

    def displayName(self, info: Info) -> str:
        record = self.record
        name = " ".join(part for part in (record.first_name, record.last_name) if part)
        return name or record.email or record.phone or ""

    def email(self, info: Info) -> str | None:
        return self.record.email

    def phone(self, info: Info) -> str | None:
        return self.record.phone

    def note(self, info: Info) -> str | None:
        return self.record.note

    def tags(self, info: Info) -> list[str]:
        return list(self.record.tags)

    def taxExempt(self, info: Info) -> bool:
        return self.record.tax_exempt

    def verifiedEmail(self, info: Info) -> bool:
        return self.record.verified_email

    def validEmailAddress(self, info: Info) -> bool:
        return self.record.email is not None

    def state(self, info: Info) -> str:
        return self.record.state.upper()

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def defaultAddress(self, info: Info) -> dict[str, Any] | None:
        return mailing_address(self.record.address, "CustomerAddress")

    def addresses(self, info: Info, first: int | None = None) -> list[dict[str, Any]]:
        address = mailing_address(self.record.address, "CustomerAddress")
        return [address] if address is not None and first != 0 else []

    def emailMarketingConsent(self, info: Info) -> dict[str, Any] | None:
        record = self.record
        if record.email is None:
            return None
        level = record.consent_opt_in_level
        return {
            "marketingState": record.consent_state.upper(),
            "marketingOptInLevel": level.upper() if level else None,
            "consentUpdatedAt": self.ctx.time(record.consent_updated_at),
        }

    def smsMarketingConsent(self, info: Info) -> dict[str, Any] | None:
        if self.record.phone is None:
            return None
        return {
            "marketingState": "NOT_SUBSCRIBED",
            "marketingOptInLevel": "SINGLE_OPT_IN",
            "consentUpdatedAt": None,
            "consentCollectedFrom": "OTHER",
        }

    def numberOfOrders(self, info: Info) -> str:
        return str(self.record.orders_count)

    def amountSpent(self, info: Info) -> dict[str, Any]:
        return self.ctx.money(self.record.total_spent)

    def lastOrder(self, info: Info) -> Any:
        # Imported here because orders embed customers and customers list orders.
        from .nodes_orders import OrderNode

        last = self.record.last_order_id
        order = self.ctx.store.orders.get(last) if last is not None else None
        return OrderNode(self.ctx, order) if order is not None else None

    def orders(
        self, info: Info, sortKey: str = "ID", query: str | None = None, **args: Any
    ) -> Connection:
        from .nodes_orders import OrderNode  # see lastOrder

        orders = self.ctx.store.customer_orders(self.record.id)
        by_id = {order.id: order for order in orders}
        index, id_ordered = sub_index(orders, sortKey, lambda order: order.id)
        search = parse(query, ORDER_FIELDS)
        page = paginate(
            index,
            self.ctx.window(info, **args),
            lambda order_id: search.matches(by_id[order_id]),
            by_id=id_ordered,
        )
        return Connection([OrderNode(self.ctx, by_id[order_id]) for order_id in page.ids], page)
