"""GraphQL objects for orders: the order, its line items and refunds."""

from __future__ import annotations

from typing import Any, ClassVar

from .graphcontext import Connection, Context, Info, list_connection, mailing_address
from .ids import gid
from .nodes_customers import CustomerNode
from .nodes_lines import LineNode
from .payloads import gateways
from .records import LineItem, Order, Refund

_FULFILLMENT = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED", "fulfilled": "FULFILLED"}


class OrderNode:
    typename: ClassVar[str] = "Order"

    def __init__(self, ctx: Context, record: Order) -> None:
        self.ctx = ctx
        self.record = record

    def _bag(self, cents: int) -> dict[str, Any]:
        return self.ctx.money_bag(cents, self.record.presentment_currency)

    def id(self, info: Info) -> str:
        return gid("Order", self.record.id)

    def legacyResourceId(self, info: Info) -> str:
        return str(self.record.id)

    def name(self, info: Info) -> str:
        return self.record.name

    def email(self, info: Info) -> str | None:
        return self.record.email

    def phone(self, info: Info) -> str | None:
        return self.record.phone

    def note(self, info: Info) -> str | None:
        return self.record.note

    def tags(self, info: Info) -> list[str]:
        return list(self.record.tags)

    def test(self, info: Info) -> bool:
        return False

    def confirmationNumber(self, info: Info) -> str:
        return self.record.token[:9].upper()

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def processedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.processed_at)

    def closed(self, info: Info) -> bool:
        return self.record.closed_at is not None

    def closedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.closed_at)

    def cancelledAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.cancelled_at)

    def cancelReason(self, info: Info) -> str | None:
        reason = self.record.cancel_reason
        return reason.upper() if reason else None

    def currencyCode(self, info: Info) -> str:
        return self.ctx.store.shop.currency

    def presentmentCurrencyCode(self, info: Info) -> str:
        return self.record.presentment_currency

    def displayFinancialStatus(self, info: Info) -> str:
        return self.record.financial_status.upper()

    def displayFulfillmentStatus(self, info: Info) -> str:
        return _FULFILLMENT[self.record.fulfillment_status]

    def fullyPaid(self, info: Info) -> bool:
        return self.record.received >= self.record.total

    def unpaid(self, info: Info) -> bool:
        return self.record.received == 0

    def customer(self, info: Info) -> CustomerNode | None:
        customer = self.ctx.store.customer_of(self.record)
        return CustomerNode(self.ctx, customer) if customer is not None else None

    def customerAcceptsMarketing(self, info: Info) -> bool:
        return self.record.buyer_accepts_marketing

    def billingAddress(self, info: Info) -> dict[str, Any] | None:
        return mailing_address(self.record.billing_address, "Address")

    def shippingAddress(self, info: Info) -> dict[str, Any] | None:
        return mailing_address(self.record.shipping_address, "Address")

    def sourceName(self, info: Info) -> str:
        return self.record.source_name

    def sourceIdentifier(self, info: Info) -> None:
        return None

    def landingPageUrl(self, info: Info) -> str | None:
        landing = self.record.landing_site
        return f"https://{self.ctx.store.shop.domain}{landing}" if landing else None

    def referrerUrl(self, info: Info) -> str | None:
        return self.record.referring_site or None

    def paymentGatewayNames(self, info: Info) -> list[str]:
        return gateways(self.record)

    def statusPageUrl(self, info: Info) -> str:
        shop = self.ctx.store.shop
        return f"https://{shop.domain}/{shop.id}/orders/{self.record.token}/authenticate"

    def customAttributes(self, info: Info) -> list[dict[str, Any]]:
        return []

    def taxesIncluded(self, info: Info) -> bool:
        return False

    def totalWeight(self, info: Info) -> str:
        return str(self.record.weight)

    def subtotalLineItemsQuantity(self, info: Info) -> int:
        return sum(item.quantity for item in self.record.line_items)

    def subtotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.subtotal)

    def totalDiscountsSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.discount)

    def totalShippingPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.shipping)

    def totalTaxSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.tax)

    def totalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.total)

    def originalTotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.total)

    def currentSubtotalPriceSet(self, info: Info) -> dict[str, Any]:
        refunded = sum(sub for refund in self.record.refunds for _, _, sub in refund.lines)
        return self._bag(self.record.subtotal - refunded)

    def currentTotalTaxSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.tax)

    def currentTotalPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.total - self.record.refunded)

    def totalReceivedSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.received)

    def totalRefundedSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.refunded)

    def totalOutstandingSet(self, info: Info) -> dict[str, Any]:
        record = self.record
        outstanding = 0 if record.cancelled_at else max(record.total - record.received, 0)
        return self._bag(outstanding)

    def lineItems(self, info: Info, **args: Any) -> Connection:
        def make(item: LineItem) -> LineItemNode:
            return LineItemNode(self.ctx, item, self.record)

        return list_connection(
            self.ctx, info, self.record.line_items, lambda item: item.id, make, args
        )

    def refunds(self, info: Info, first: int | None = None) -> list[RefundNode]:
        refunds = [RefundNode(self.ctx, refund, self.record) for refund in self.record.refunds]
        return refunds if first is None else refunds[:first]


class LineItemNode(LineNode):
    typename: ClassVar[str] = "LineItem"
    record: LineItem

    def __init__(self, ctx: Context, record: LineItem, order: Order) -> None:
        super().__init__(ctx, record, order.presentment_currency)

    def id(self, info: Info) -> str:
        return gid("LineItem", self.record.id)

    def name(self, info: Info) -> str:
        record = self.record
        return f"{record.title} - {record.variant_title}" if record.variant_title else record.title

    def vendor(self, info: Info) -> str | None:
        return self.record.vendor

    def currentQuantity(self, info: Info) -> int:
        return self.record.quantity - self.record.refunded

    def refundableQuantity(self, info: Info) -> int:
        return self.record.quantity - self.record.refunded

    def unfulfilledQuantity(self, info: Info) -> int:
        record = self.record
        return max(record.quantity - record.refunded - record.fulfilled, 0)

    def nonFulfillableQuantity(self, info: Info) -> int:
        return self.record.refunded

    def requiresShipping(self, info: Info) -> bool:
        return self.record.product_id is not None

    def taxable(self, info: Info) -> bool:
        return True

    def isGiftCard(self, info: Info) -> bool:
        return False

    def customAttributes(self, info: Info) -> list[dict[str, Any]]:
        return []

    def originalTotalSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.price * self.record.quantity)

    def discountedTotalSet(self, info: Info, withCodeDiscounts: bool = False) -> dict[str, Any]:
        return self._bag(self.record.price * self.record.quantity)

    def totalDiscountSet(self, info: Info) -> dict[str, Any]:
        return self._bag(0)


class RefundNode:
    typename: ClassVar[str] = "Refund"

    def __init__(self, ctx: Context, record: Refund, order: Order) -> None:
        self.ctx = ctx
        self.record = record
        self.order = order

    def id(self, info: Info) -> str:
        return gid("Refund", self.record.id)

    def note(self, info: Info) -> str | None:
        return self.record.note

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def totalRefundedSet(self, info: Info) -> dict[str, Any]:
        return self.ctx.money_bag(self.record.amount, self.order.presentment_currency)

    def refundLineItems(self, info: Info, **args: Any) -> Connection:
        items = {item.id: item for item in self.order.line_items}
        currency = self.order.presentment_currency
        refund_id = self.record.id

        def make(entry: tuple[int, tuple[int, int, int]]) -> dict[str, Any]:
            index, (line_id, quantity, subtotal) = entry
            item = items[line_id]
            return {
                "id": gid("RefundLineItem", refund_id * 10 + index),
                "lineItem": LineItemNode(self.ctx, item, self.order),
                "quantity": quantity,
                "restocked": False,
                "restockType": "NO_RESTOCK",
                "priceSet": self.ctx.money_bag(item.price, currency),
                "subtotalSet": self.ctx.money_bag(subtotal, currency),
                "totalTaxSet": self.ctx.money_bag(0, currency),
            }

        entries = list(enumerate(self.record.lines))
        return list_connection(self.ctx, info, entries, lambda entry: entry[0], make, args)
