"""Pydantic models of the Shopify webhook payloads Shopspot reads, API versions 2024-01 .. 2026-04.

Tolerant by design: unknown fields are ignored, fields Shopify removed over those versions are
optional, and renamed fields are normalised to one attribute (``Customer.accepts_marketing``,
``Product.variant_refs``). Personal data (emails, names, phones, addresses, notes, URLs that may
carry them) is excluded from ``repr`` and input values are hidden from validation errors, so a
logged model or error never carries it.
"""

from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from shopspot.shopify.fields import Count, Money, ShopifyId, Tags


def _pii() -> Any:
    return Field(default=None, repr=False)


class ShopifyModel(BaseModel):
    # Field names are accepted beside Shopify's names, so a model dumped by Shopspot (to wait
    # in a buffer) loads back as the same model.
    model_config = ConfigDict(
        extra="ignore",
        frozen=True,
        hide_input_in_errors=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    def dump(self) -> dict[str, Any]:
        """The model as JSON values, defaults left out; `model_validate` gives it back."""
        return self.model_dump(mode="json", exclude_defaults=True)


class Address(ShopifyModel):
    id: ShopifyId | None = None
    customer_id: ShopifyId | None = None
    first_name: str | None = _pii()
    last_name: str | None = _pii()
    name: str | None = _pii()
    company: str | None = _pii()
    address1: str | None = _pii()
    address2: str | None = _pii()
    city: str | None = _pii()
    zip: str | None = _pii()
    province: str | None = _pii()
    country: str | None = _pii()
    phone: str | None = _pii()
    province_code: str | None = None
    country_code: str | None = None


class EmailMarketingConsent(ShopifyModel):
    state: str | None = None
    opt_in_level: str | None = None
    consent_updated_at: AwareDatetime | None = None

    @property
    def subscribed(self) -> bool | None:
        """True only for state ``subscribed``; None when Shopify gives no state."""
        return None if self.state is None else self.state == "subscribed"


class Customer(ShopifyModel):
    """A customer, standalone (customers/*) or embedded in an order or checkout.

    ``accepts_marketing`` is ``email_marketing_consent.state == "subscribed"`` when the payload
    has a consent state (2024-01 .. 2024-10), else the legacy ``accepts_marketing`` flag (shapes
    from before 2024-01), else None: since 2025-01 consent only arrives through
    ``customers_email_marketing_consent/update``. Likewise ``tags``, ``orders_count`` and
    ``total_spent`` are absent since 2025-01.
    """

    id: ShopifyId
    email: str | None = _pii()
    first_name: str | None = _pii()
    last_name: str | None = _pii()
    phone: str | None = _pii()
    note: str | None = _pii()
    state: str | None = None
    tags: Tags = ()
    tax_exempt: bool | None = None
    verified_email: bool | None = None
    accepts_marketing: bool | None = None
    email_marketing_consent: EmailMarketingConsent | None = None
    orders_count: Count | None = None
    total_spent: Money | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    default_address: Address | None = None

    @model_validator(mode="before")
    @classmethod
    def _consent_from_state(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            consent = data.get("email_marketing_consent")
            if isinstance(consent, Mapping) and isinstance(consent.get("state"), str):
                return {**data, "accepts_marketing": consent["state"] == "subscribed"}
        return data


class Image(ShopifyModel):
    id: ShopifyId | None = None
    src: str | None = None


class Variant(ShopifyModel):
    id: ShopifyId
    product_id: ShopifyId | None = None
    title: str | None = None
    price: Money | None = None
    sku: str | None = None
    image_id: ShopifyId | None = None
    updated_at: AwareDatetime | None = None


class VariantRef(ShopifyModel):
    """An entry of the product's complete variant list: ``{"id"}`` in ``variant_ids`` before
    2024-04, ``{"admin_graphql_api_id", "updated_at"}`` in ``variant_gids`` since."""

    id: ShopifyId = Field(validation_alias=AliasChoices("admin_graphql_api_id", "id"))


class Product(ShopifyModel):
    """A product. ``variants`` holds full records for the first 100 variants only; ``variant_refs``
    lists every variant, so use ``all_variant_ids`` before treating a variant as removed."""

    id: ShopifyId
    title: str | None = None
    body_html: str | None = None
    handle: str | None = None
    product_type: str | None = None
    vendor: str | None = None
    status: str | None = None
    published_scope: str | None = None
    tags: Tags = ()
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    published_at: AwareDatetime | None = None
    variants: tuple[Variant, ...] = ()
    images: tuple[Image, ...] = ()
    variant_refs: tuple[VariantRef, ...] = Field(
        default=(), validation_alias=AliasChoices("variant_gids", "variant_ids")
    )

    @property
    def all_variant_ids(self) -> frozenset[int]:
        return frozenset(v.id for v in self.variants) | {ref.id for ref in self.variant_refs}


class _LineFields(ShopifyModel):
    product_id: ShopifyId | None = None
    variant_id: ShopifyId | None = None
    title: str | None = None
    variant_title: str | None = None
    sku: str | None = None
    quantity: Count
    price: Money | None = None


class LineItem(_LineFields):
    """An order line item."""

    id: ShopifyId


class CheckoutLineItem(_LineFields):
    """A checkout line item: checkouts identify lines by ``key`` (not unique), not by id."""

    id: ShopifyId | None = None
    key: str | None = None


class _SaleFields(ShopifyModel):
    """Fields orders and checkouts share."""

    name: str | None = None
    email: str | None = _pii()
    phone: str | None = _pii()
    note: str | None = _pii()
    landing_site: str | None = _pii()
    referring_site: str | None = _pii()
    source_name: str | None = None
    cart_token: str | None = None
    buyer_accepts_marketing: bool | None = None
    taxes_included: bool | None = None
    currency: str | None = None
    presentment_currency: str | None = None
    subtotal_price: Money | None = None
    total_price: Money | None = None
    total_tax: Money | None = None
    total_discounts: Money | None = None
    total_line_items_price: Money | None = None
    total_weight: Count | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    customer: Customer | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None


class Order(_SaleFields):
    """An order. Amounts are in the shop's ``currency``; ``current_total_price`` reflects
    refunds, returns and edits. ``customer`` is None for guest orders; ``checkout_id`` is gone
    since 2026-04 (``checkout_token`` links the order to its checkout)."""

    id: ShopifyId
    order_number: Count | None = None
    contact_email: str | None = _pii()
    token: str | None = None
    checkout_token: str | None = None
    checkout_id: ShopifyId | None = None
    financial_status: str | None = None
    fulfillment_status: str | None = None
    cancel_reason: str | None = None
    cancelled_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    processed_at: AwareDatetime | None = None
    processing_method: str | None = None
    current_total_price: Money | None = None
    # Shopify sends it only as a money set (``total_shipping_price_set``): the shop's amount.
    total_shipping_price: Money | None = None
    test: bool | None = None
    line_items: tuple[LineItem, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _shipping_in_shop_money(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            shipping = data.get("total_shipping_price_set")
            shop = shipping.get("shop_money") if isinstance(shipping, Mapping) else None
            if isinstance(shop, Mapping) and shop.get("amount") is not None:
                return {**data, "total_shipping_price": shop["amount"]}
        return data


class Checkout(_SaleFields):
    """An (abandoned) checkout, identified by ``token``; its ``id`` is gone since 2026-04.
    Amounts are in ``presentment_currency``."""

    token: str = Field(min_length=1)
    id: ShopifyId | None = None
    completed_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    abandoned_checkout_url: str | None = _pii()
    line_items: tuple[CheckoutLineItem, ...] = ()


class DeletedObject(ShopifyModel):
    """orders/delete, products/delete, customers/delete: only the id is reliable."""

    id: ShopifyId


class CheckoutDeleted(ShopifyModel):
    """checkouts/delete carries ``id`` and ``cart_token`` but, unlike checkouts/create|update
    since 2026-04, no ``token``: correlate by ``cart_token``."""

    id: ShopifyId | None = None
    token: str | None = None
    cart_token: str | None = None

    @model_validator(mode="after")
    def _identifiable(self) -> "CheckoutDeleted":
        if self.id is None and self.token is None and self.cart_token is None:
            raise ValueError("a deleted checkout needs an id, token or cart_token")
        return self


class CustomerTagsChange(ShopifyModel):
    customer_id: ShopifyId = Field(alias="customerId")
    tags: Tags = ()
    occurred_at: AwareDatetime | None = Field(default=None, alias="occurredAt")


class CustomerTagsAdded(CustomerTagsChange):
    """customer.tags_added: ``tags`` were added to the customer."""


class CustomerTagsRemoved(CustomerTagsChange):
    """customer.tags_removed: ``tags`` were removed from the customer."""


class EmailConsentUpdate(ShopifyModel):
    """customers_email_marketing_consent/update."""

    customer_id: ShopifyId
    email_address: str | None = _pii()
    email_marketing_consent: EmailMarketingConsent | None = None

    @property
    def accepts_marketing(self) -> bool | None:
        consent = self.email_marketing_consent
        return None if consent is None else consent.subscribed


class MoneyAmount(ShopifyModel):
    amount: Money
    currency_code: str | None = Field(default=None, alias="currencyCode")


class PurchasingSummary(ShopifyModel):
    """customers/purchasing_summary (2025-01+): GIDs are parsed to int ids."""

    customer_id: ShopifyId = Field(alias="customerId")
    number_of_orders: Count | None = Field(default=None, alias="numberOfOrders")
    amount_spent: MoneyAmount | None = Field(default=None, alias="amountSpent")
    last_order_id: ShopifyId | None = Field(default=None, alias="lastOrderId")
    occurred_at: AwareDatetime | None = Field(default=None, alias="occurredAt")


class PrivacyCustomer(ShopifyModel):
    id: ShopifyId | None = None
    email: str | None = _pii()
    phone: str | None = _pii()


class ShopRedact(ShopifyModel):
    """shop/redact. The privacy payloads are parsed leniently (everything but the shop domain
    optional): a mandatory privacy request must not be dead-lettered over a missing detail."""

    shop_id: ShopifyId | None = None
    shop_domain: str


class CustomerRedact(ShopRedact):
    customer: PrivacyCustomer | None = None
    orders_to_redact: tuple[ShopifyId, ...] = ()


class DataRequest(ShopifyModel):
    id: ShopifyId | None = None


class CustomerDataRequest(ShopRedact):
    customer: PrivacyCustomer | None = None
    orders_requested: tuple[ShopifyId, ...] = ()
    data_request: DataRequest | None = None


class AppUninstalled(ShopifyModel):
    """app/uninstalled: the shop resource. Its contact fields are not read, so not modelled;
    both domains are null in Shopify's own sample, so the shop comes from the delivery header."""

    id: ShopifyId | None = None
    name: str | None = None
    domain: str | None = None
    myshopify_domain: str | None = None
