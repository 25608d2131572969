"""The store's data, compactly: slotted records with times as epoch seconds and money as cents.

Payloads and GraphQL objects are rendered from these on demand, so a store of 100,000 orders
stays small in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Address:
    id: int
    first_name: str | None
    last_name: str | None
    company: str | None
    address1: str
    address2: str | None
    city: str
    province: str | None
    province_code: str | None
    country: str
    country_code: str
    zip: str
    phone: str | None

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(slots=True)
class Image:
    id: int
    position: int
    src: str
    width: int
    height: int
    alt: str | None
    created_at: int


@dataclass(slots=True)
class Variant:
    id: int
    product_id: int
    title: str
    options: tuple[str, ...]
    sku: str | None
    barcode: str | None
    price: int
    compare_at_price: int | None
    position: int
    grams: int
    inventory_quantity: int
    inventory_item_id: int
    taxable: bool
    created_at: int
    updated_at: int


@dataclass(slots=True)
class Product:
    id: int
    title: str
    handle: str
    body_html: str
    vendor: str
    product_type: str
    tags: tuple[str, ...]
    status: str
    published_at: int | None
    published_scope: str
    created_at: int
    updated_at: int
    option_names: tuple[str, ...]
    variants: list[Variant]
    images: list[Image]

    @property
    def has_only_default_variant(self) -> bool:
        return len(self.variants) == 1 and self.variants[0].title == "Default Title"


@dataclass(slots=True)
class Customer:
    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    state: str
    note: str | None
    tags: tuple[str, ...]
    tax_exempt: bool
    verified_email: bool
    consent_state: str
    consent_opt_in_level: str | None
    consent_updated_at: int | None
    created_at: int
    updated_at: int
    address: Address | None
    orders_count: int = 0
    total_spent: int = 0
    last_order_id: int | None = None
    last_order_name: str | None = None


@dataclass(slots=True)
class LineItem:
    id: int
    product_id: int | None
    variant_id: int | None
    title: str
    variant_title: str | None
    sku: str | None
    vendor: str | None
    quantity: int
    price: int
    grams: int
    fulfilled: int = 0
    refunded: int = 0


@dataclass(slots=True)
class Refund:
    id: int
    created_at: int
    note: str | None
    amount: int
    lines: list[tuple[int, int, int]]
    """(line item id, quantity, subtotal cents) per refunded line."""
    transaction_id: int


@dataclass(slots=True)
class Fulfillment:
    id: int
    created_at: int
    tracking_company: str
    tracking_number: str
    lines: list[tuple[int, int]]
    """(line item id, quantity) per fulfilled line."""


class _SaleAmounts:
    """What an order and a checkout compute alike from their lines (amounts in cents)."""

    __slots__ = ()
    line_items: Sequence[LineItem | CheckoutLine]
    shipping: int
    discount: int
    tax: int

    @property
    def line_items_total(self) -> int:
        return sum(line.price * line.quantity for line in self.line_items)

    @property
    def subtotal(self) -> int:
        return self.line_items_total - self.discount

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping + self.tax

    @property
    def weight(self) -> int:
        return sum(line.grams * line.quantity for line in self.line_items)


@dataclass(slots=True)
class Order(_SaleAmounts):
    id: int
    number: int
    token: str
    cart_token: str | None
    checkout_token: str | None
    checkout_id: int | None
    customer_id: int | None
    email: str | None
    phone: str | None
    created_at: int
    updated_at: int
    processed_at: int
    presentment_currency: str
    line_items: list[LineItem]
    shipping: int
    discount: int
    tax: int
    source_name: str
    landing_site: str | None
    referring_site: str | None
    buyer_accepts_marketing: bool
    billing_address: Address | None
    shipping_address: Address | None
    note: str | None
    tags: tuple[str, ...]
    financial_status: str
    received: int
    fulfillment_status: str | None = None
    cancelled_at: int | None = None
    cancel_reason: str | None = None
    closed_at: int | None = None
    refunds: list[Refund] = field(default_factory=list)
    fulfillments: list[Fulfillment] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"#{self.number}"

    @property
    def refunded(self) -> int:
        return sum(refund.amount for refund in self.refunds)


@dataclass(slots=True)
class CheckoutLine:
    id: int
    key: str
    product_id: int | None
    variant_id: int | None
    title: str
    variant_title: str | None
    sku: str | None
    vendor: str | None
    quantity: int
    price: int
    grams: int


@dataclass(slots=True)
class Checkout(_SaleAmounts):
    id: int
    token: str
    cart_token: str
    recovery_key: str
    email: str | None
    phone: str | None
    customer_id: int | None
    created_at: int
    updated_at: int
    presentment_currency: str
    line_items: list[CheckoutLine]
    shipping: int
    tax: int
    discount: int
    source_name: str
    landing_site: str | None
    referring_site: str | None
    buyer_accepts_marketing: bool
    billing_address: Address | None
    shipping_address: Address | None
    note: str | None
    completed_at: int | None = None
    order_id: int | None = None

    @property
    def name(self) -> str:
        return f"#{self.id}"
