"""GraphQL objects for abandoned checkouts."""

from __future__ import annotations

from typing import Any, ClassVar

from .graphcontext import Connection, Context, Info, list_connection, mailing_address
from .ids import gid
from .nodes_customers import CustomerNode
from .nodes_lines import LineNode
from .paging import encode_cursor
from .payloads import Renderer
from .records import Checkout, CheckoutLine


class CheckoutNode:
    typename: ClassVar[str] = "AbandonedCheckout"

    def __init__(self, ctx: Context, record: Checkout) -> None:
        self.ctx = ctx
        self.record = record

    def _bag(self, cents: int) -> dict[str, Any]:
        return self.ctx.money_bag(cents, self.record.presentment_currency)

    def id(self, info: Info) -> str:
        return gid("AbandonedCheckout", self.record.id)

    def name(self, info: Info) -> str:
        return self.record.name

    def abandonedCheckoutUrl(self, info: Info) -> str:
        return Renderer(self.ctx.store, self.ctx.version).abandoned_checkout_url(self.record)

    def completedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.completed_at)

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def defaultCursor(self, info: Info) -> str:
        return encode_cursor(self.record.id)

    def customer(self, info: Info) -> CustomerNode | None:
        customer = self.ctx.store.customer_of(self.record)
        return CustomerNode(self.ctx, customer) if customer is not None else None

    def note(self, info: Info) -> str:
        return self.record.note or ""

    def taxesIncluded(self, info: Info) -> bool:
        return False

    def discountCodes(self, info: Info) -> list[str]:
        return []

    def customAttributes(self, info: Info) -> list[dict[str, Any]]:
        return []

    def billingAddress(self, info: Info) -> dict[str, Any] | None:
        return mailing_address(self.record.billing_address, "Address")

    def shippingAddress(self, info: Info) -> dict[str, Any] | None:
        return mailing_address(self.record.shipping_address, "Address")

    def subtotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.subtotal)

    def totalDiscountSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.discount)

    def totalLineItemsPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.line_items_total)

    def totalTaxSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.tax)

    def totalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.total)

    def lineItems(self, info: Info, **args: Any) -> Connection:
        def make(line: CheckoutLine) -> CheckoutLineNode:
            return CheckoutLineNode(self.ctx, line, self.record)

        return list_connection(
            self.ctx, info, self.record.line_items, lambda line: line.id, make, args
        )


class CheckoutLineNode(LineNode):
    typename: ClassVar[str] = "AbandonedCheckoutLineItem"
    record: CheckoutLine

    def __init__(self, ctx: Context, record: CheckoutLine, checkout: Checkout) -> None:
        super().__init__(ctx, record, checkout.presentment_currency)

    def id(self, info: Info) -> str:
        return gid("AbandonedCheckoutLineItem", self.record.id)

    def originalTotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.price * self.record.quantity)

    def discountedTotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.price * self.record.quantity)
