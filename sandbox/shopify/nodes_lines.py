"""What an order's and a checkout's line items answer alike: the line's own fields, its
product and variant, and its prices in the sale's presentment currency."""

from __future__ import annotations

from typing import Any

from .graphcontext import Context, Info
from .nodes_catalog import ProductNode, VariantNode, product_node, variant_node
from .records import CheckoutLine, LineItem


class LineNode:
    def __init__(self, ctx: Context, record: LineItem | CheckoutLine, currency: str) -> None:
        self.ctx = ctx
        self.record = record
        self._currency = currency

    def _bag(self, cents: int) -> dict[str, Any]:
        return self.ctx.money_bag(cents, self._currency)

    def title(self, info: Info) -> str:
        return self.record.title

    def variantTitle(self, info: Info) -> str | None:
        return self.record.variant_title

    def sku(self, info: Info) -> str | None:
        return self.record.sku

    def quantity(self, info: Info) -> int:
        return self.record.quantity

    def product(self, info: Info) -> ProductNode | None:
        return product_node(self.ctx, self.record.product_id)

    def variant(self, info: Info) -> VariantNode | None:
        return variant_node(self.ctx, self.record.variant_id)

    def originalUnitPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.price)

    def discountedUnitPriceSet(self, info: Info) -> dict[str, Any]:
        return self._bag(self.record.price)
