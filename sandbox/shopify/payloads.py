"""Webhook bodies in Shopify's REST shape, per topic and API version.

Key names, nesting and order follow Shopify's own sample payloads; fields come and go with
the version as Shopify's changelog says (see `versions`). Money is written as strings with a
`*_set` twin carrying shop and presentment amounts; ids are plain (64-bit) integers.
"""

from __future__ import annotations

from typing import Any

from . import versions as v
from .clock import TimeFormat
from .ids import gid
from .money import amount, convert, decimal
from .records import (
    Address,
    Checkout,
    CheckoutLine,
    Customer,
    Fulfillment,
    LineItem,
    Order,
    Product,
    Refund,
    Variant,
)
from .store import Store

Payload = dict[str, Any]
TAX_RATE = 0.08
APP_IDS = {"web": 580111, "pos": 129785, "shopify_draft_order": 1354745}


def customer_payload(store: Store, customer: Customer, topic: str, version: str) -> Payload:
    """customers/*, customer.tags_*, customers/purchasing_summary and consent topics."""
    render = Renderer(store, version)
    if topic in ("customers/create", "customers/update", "customers/enable", "customers/disable"):
        return render.customer(customer)
    if topic == "customers/delete":
        return {
            "id": customer.id,
            "tax_exemptions": [],
            "admin_graphql_api_id": gid("Customer", customer.id),
        }
    if topic in ("customer.tags_added", "customer.tags_removed"):
        return {
            "customerId": gid("Customer", customer.id),
            "tags": list(customer.tags),
            "occurredAt": render.occurred(customer.updated_at),
        }
    if topic == "customers/purchasing_summary":
        return render.purchasing_summary(customer)
    if topic == "customers_email_marketing_consent/update":
        return {
            "customer_id": customer.id,
            "email_address": customer.email,
            "email_marketing_consent": render.email_consent(customer),
        }
    raise ValueError(f"no customer payload for {topic}")


def product_payload(store: Store, product: Product, topic: str, version: str) -> Payload:
    if topic == "products/delete":
        return {"id": product.id}
    if topic in ("products/create", "products/update"):
        return Renderer(store, version).product(product)
    raise ValueError(f"no product payload for {topic}")


def order_payload(store: Store, order: Order, topic: str, version: str) -> Payload:
    if topic == "orders/delete":
        return {"id": order.id}
    if topic.startswith("orders/"):
        return Renderer(store, version).order(order)
    raise ValueError(f"no order payload for {topic}")


def checkout_payload(store: Store, checkout: Checkout, topic: str, version: str) -> Payload:
    render = Renderer(store, version)
    if topic == "checkouts/delete":
        return render.checkout_deleted(checkout)
    if topic in ("checkouts/create", "checkouts/update"):
        return render.checkout(checkout)
    raise ValueError(f"no checkout payload for {topic}")


def gateways(order: Order) -> list[str]:
    if order.source_name == "pos":
        return ["cash"]
    if order.financial_status == "pending":
        return ["manual"]
    return ["shopify_payments"]


class Renderer:
    def __init__(self, store: Store, version: str) -> None:
        self.store = store
        self.version = version
        self.shop_currency = store.shop.currency
        self.time = TimeFormat(store.shop.utc_offset_minutes)
        self.ts = self.time.rest

    def since(self, floor: str) -> bool:
        return v.at_least(self.version, floor)

    @staticmethod
    def occurred(epoch: int) -> str:
        return (TimeFormat.graphql(epoch) or "").replace("Z", ".000Z")

    def money_set(self, cents: int, currency: str) -> Payload:
        shop = self.shop_currency
        return {
            "shop_money": {"amount": amount(cents), "currency_code": shop},
            "presentment_money": {
                "amount": amount(convert(cents, shop, currency)),
                "currency_code": currency,
            },
        }

    # -- customers --------------------------------------------------------------------------

    def email_consent(self, customer: Customer) -> Payload | None:
        if customer.email is None:
            return None
        return {
            "state": customer.consent_state,
            "opt_in_level": customer.consent_opt_in_level,
            "consent_updated_at": self.ts(customer.consent_updated_at),
        }

    def sms_consent(self, customer: Customer) -> Payload | None:
        if customer.phone is None:
            return None
        return {
            "state": "not_subscribed",
            "opt_in_level": "single_opt_in",
            "consent_updated_at": None,
            "consent_collected_from": "OTHER",
        }

    def default_address(self, customer: Customer) -> Payload | None:
        address = customer.address
        if address is None:
            return None
        return {
            "id": address.id,
            "customer_id": customer.id,
            "first_name": address.first_name,
            "last_name": address.last_name,
            "company": address.company,
            "address1": address.address1,
            "address2": address.address2,
            "city": address.city,
            "province": address.province,
            "country": address.country,
            "zip": address.zip,
            "phone": address.phone,
            "name": address.name,
            "province_code": address.province_code,
            "country_code": address.country_code,
            "country_name": address.country,
            "default": True,
        }

    def customer(self, customer: Customer, *, embedded: str | None = None) -> Payload:
        """A customer on its own, or embedded in an "order" or a "checkout"."""
        slim = self.since(v.CUSTOMER_SLIM_FROM)
        legacy = not self.since(v.LEGACY_ACCEPTS_MARKETING_UNTIL)
        with_totals = not slim and embedded != "order"
        body: Payload = {
            "id": customer.id,
            "created_at": self.ts(customer.created_at),
            "updated_at": self.ts(customer.updated_at),
            "first_name": customer.first_name,
            "last_name": customer.last_name,
        }
        if with_totals:
            body["orders_count"] = customer.orders_count
        body["state"] = customer.state
        if with_totals:
            body["total_spent"] = amount(customer.total_spent)
            body["last_order_id"] = customer.last_order_id
        body["note"] = customer.note
        body["verified_email"] = customer.verified_email
        body["multipass_identifier"] = None
        body["tax_exempt"] = customer.tax_exempt
        if not slim:
            body["tags"] = ", ".join(customer.tags)
        if with_totals:
            body["last_order_name"] = customer.last_order_name
        body["email"] = customer.email
        body["phone"] = customer.phone
        body["currency"] = self.shop_currency
        if embedded is None:
            default = self.default_address(customer)
            body["addresses"] = [default] if default else []
        if legacy:
            body["accepts_marketing"] = customer.consent_state == "subscribed"
            body["accepts_marketing_updated_at"] = self.ts(
                customer.consent_updated_at or customer.created_at
            )
            body["marketing_opt_in_level"] = customer.consent_opt_in_level
        body["tax_exemptions"] = []
        if not slim:
            body["email_marketing_consent"] = self.email_consent(customer)
            body["sms_marketing_consent"] = self.sms_consent(customer)
        body["admin_graphql_api_id"] = gid("Customer", customer.id)
        body["default_address"] = self.default_address(customer)
        return body

    def purchasing_summary(self, customer: Customer) -> Payload:
        last = customer.last_order_id
        return {
            "customerId": gid("Customer", customer.id),
            "numberOfOrders": customer.orders_count,
            "amountSpent": {
                "amount": decimal(customer.total_spent),
                "currencyCode": self.shop_currency,
            },
            "lastOrderId": gid("Order", last) if last is not None else None,
            "occurredAt": self.occurred(customer.updated_at),
        }

    # -- products ---------------------------------------------------------------------------

    def variant(self, product: Product, variant: Variant) -> Payload:
        old = not self.since(v.PRODUCT_MEDIA_FROM)
        options = list(variant.options) + [None] * (3 - len(variant.options))
        body: Payload = {
            "admin_graphql_api_id": gid("ProductVariant", variant.id),
            "barcode": variant.barcode,
            "compare_at_price": (
                amount(variant.compare_at_price) if variant.compare_at_price is not None else None
            ),
            "created_at": self.ts(variant.created_at),
        }
        if old:
            body["fulfillment_service"] = "manual"
        body["id"] = variant.id
        if old:
            body["inventory_management"] = "shopify"
        body.update(
            {
                "inventory_policy": "deny",
                "position": variant.position,
                "price": amount(variant.price),
                "product_id": product.id,
                "sku": variant.sku,
                "taxable": variant.taxable,
                "title": variant.title,
                "updated_at": self.ts(variant.updated_at),
                "option1": options[0],
                "option2": options[1],
                "option3": options[2],
            }
        )
        if old:
            body["grams"] = variant.grams
        body["image_id"] = None
        if old:
            body["weight"] = round(variant.grams / 1000, 3)
            body["weight_unit"] = "kg"
        body["inventory_item_id"] = variant.inventory_item_id
        body["inventory_quantity"] = variant.inventory_quantity
        body["old_inventory_quantity"] = variant.inventory_quantity
        if old:
            body["requires_shipping"] = True
        return body

    def product(self, product: Product) -> Payload:
        images: list[Payload] = [
            {
                "id": image.id,
                "alt": image.alt,
                "position": image.position,
                "product_id": product.id,
                "created_at": self.ts(image.created_at),
                "updated_at": self.ts(image.created_at),
                "admin_graphql_api_id": gid("ProductImage", image.id),
                "width": image.width,
                "height": image.height,
                "src": image.src,
                "variant_ids": [],
            }
            for image in product.images
        ]
        body: Payload = {
            "admin_graphql_api_id": gid("Product", product.id),
            "body_html": product.body_html,
            "created_at": self.ts(product.created_at),
            "handle": product.handle,
            "id": product.id,
            "product_type": product.product_type,
            "published_at": self.ts(product.published_at),
            "template_suffix": None,
            "title": product.title,
            "updated_at": self.ts(product.updated_at),
            "vendor": product.vendor,
            "status": product.status,
            "published_scope": product.published_scope,
            "tags": ", ".join(product.tags),
            # Full records for the first 100 variants only, as Shopify sends; all are listed
            # in variant_gids (variant_ids before 2024-04).
            "variants": [self.variant(product, variant) for variant in product.variants[:100]],
            "options": [
                {
                    "id": product.id * 10 + position,
                    "product_id": product.id,
                    "name": name,
                    "position": position,
                    "values": list(
                        dict.fromkeys(variant.options[position - 1] for variant in product.variants)
                    ),
                }
                for position, name in enumerate(product.option_names, start=1)
            ],
            "images": images,
            "image": images[0] if images else None,
        }
        if self.since(v.PRODUCT_MEDIA_FROM):
            body["media"] = [
                {
                    "id": image.id,
                    "product_id": product.id,
                    "position": image.position,
                    "created_at": self.ts(image.created_at),
                    "updated_at": self.ts(image.created_at),
                    "alt": image.alt,
                    "status": "READY",
                    "media_content_type": "IMAGE",
                    "preview_image": {
                        "width": image.width,
                        "height": image.height,
                        "src": image.src,
                        "status": "READY",
                    },
                    "variant_ids": [],
                    "admin_graphql_api_id": gid("MediaImage", image.id),
                }
                for image in product.images
            ]
        if self.since(v.VARIANT_GIDS_FROM):
            newest_first = sorted(product.variants, key=lambda item: (-item.updated_at, item.id))
            body["variant_gids"] = [
                {
                    "admin_graphql_api_id": gid("ProductVariant", variant.id),
                    "updated_at": self.occurred(variant.updated_at),
                }
                for variant in newest_first
            ]
        else:
            body["variant_ids"] = [{"id": variant.id} for variant in product.variants]
        if self.since(v.PRODUCT_CATEGORY_FROM):
            body["has_variants_that_requires_components"] = False
            body["category"] = None
        return body

    # -- orders -----------------------------------------------------------------------------

    def address(self, address: Address | None) -> Payload | None:
        if address is None:
            return None
        return {
            "first_name": address.first_name,
            "address1": address.address1,
            "phone": address.phone,
            "city": address.city,
            "zip": address.zip,
            "province": address.province,
            "country": address.country,
            "last_name": address.last_name,
            "address2": address.address2,
            "company": address.company,
            "latitude": None,
            "longitude": None,
            "name": address.name,
            "country_code": address.country_code,
            "province_code": address.province_code,
        }

    def line_item(self, order: Order, item: LineItem, quantity: int | None = None) -> Payload:
        currency = order.presentment_currency
        remaining = item.quantity - item.refunded
        status = None
        if item.fulfilled and item.fulfilled >= remaining:
            status = "fulfilled"
        elif item.fulfilled:
            status = "partial"
        body: Payload = {
            "id": item.id,
            "admin_graphql_api_id": gid("LineItem", item.id),
            "attributed_staffs": [],
        }
        if self.since(v.LINE_ITEM_CURRENT_QUANTITY_FROM):
            body["current_quantity"] = remaining
        body.update(
            {
                "fulfillable_quantity": max(remaining - item.fulfilled, 0),
                "fulfillment_service": "manual",
                "fulfillment_status": status,
                "gift_card": False,
                "grams": item.grams,
                "name": f"{item.title} - {item.variant_title}"
                if item.variant_title
                else item.title,
                "price": amount(item.price),
                "price_set": self.money_set(item.price, currency),
                "product_exists": (
                    item.product_id is not None and item.product_id in self.store.products.by_id
                ),
                "product_id": item.product_id,
                "properties": [],
                "quantity": item.quantity if quantity is None else quantity,
                "requires_shipping": item.product_id is not None,
            }
        )
        if self.since(v.LINE_ITEM_GROUP_ID_FROM):
            body["sales_line_item_group_id"] = None
        body.update(
            {
                "sku": item.sku,
                "taxable": True,
                "title": item.title,
                "total_discount": "0.00",
                "total_discount_set": self.money_set(0, currency),
                "variant_id": item.variant_id,
                "variant_inventory_management": "shopify" if item.variant_id else None,
                "variant_title": item.variant_title,
                "vendor": item.vendor,
                "tax_lines": [],
                "duties": [],
                "discount_allocations": [],
            }
        )
        return body

    def fulfillment(self, order: Order, fulfillment: Fulfillment, index: int) -> Payload:
        items = {item.id: item for item in order.line_items}
        return {
            "id": fulfillment.id,
            "admin_graphql_api_id": gid("Fulfillment", fulfillment.id),
            "created_at": self.ts(fulfillment.created_at),
            "location_id": None,
            "name": f"{order.name}.{index}",
            "order_id": order.id,
            "origin_address": {},
            "receipt": {},
            "service": "manual",
            "shipment_status": None,
            "status": "success",
            "tracking_company": fulfillment.tracking_company,
            "tracking_number": fulfillment.tracking_number,
            "tracking_numbers": [fulfillment.tracking_number],
            "tracking_url": None,
            "tracking_urls": [],
            "updated_at": self.ts(fulfillment.created_at),
            "line_items": [
                self.line_item(order, items[line_id], quantity)
                for line_id, quantity in fulfillment.lines
            ],
        }

    def refund(self, order: Order, refund: Refund) -> Payload:
        currency = order.presentment_currency
        items = {item.id: item for item in order.line_items}
        when = self.ts(refund.created_at)
        return {
            "id": refund.id,
            "admin_graphql_api_id": gid("Refund", refund.id),
            "created_at": when,
            "note": refund.note,
            "order_id": order.id,
            "processed_at": when,
            "restock": False,
            "total_duties_set": self.money_set(0, currency),
            "user_id": None,
            "order_adjustments": [],
            "transactions": [
                {
                    "id": refund.transaction_id,
                    "admin_graphql_api_id": gid("OrderTransaction", refund.transaction_id),
                    "amount": amount(refund.amount),
                    "authorization": None,
                    "created_at": when,
                    "currency": self.shop_currency,
                    "device_id": None,
                    "error_code": None,
                    "gateway": "shopify_payments",
                    "kind": "refund",
                    "location_id": None,
                    "message": None,
                    "order_id": order.id,
                    "parent_id": None,
                    "payment_id": f"r{refund.id}",
                    "processed_at": when,
                    "receipt": {},
                    "source_name": "web",
                    "status": "success",
                    "test": False,
                    "user_id": None,
                }
            ],
            "refund_line_items": [
                {
                    "id": refund.id * 10 + index,
                    "line_item_id": line_id,
                    "location_id": None,
                    "quantity": quantity,
                    "restock_type": "no_restock",
                    "subtotal": amount(subtotal),
                    "subtotal_set": self.money_set(subtotal, currency),
                    "total_tax": "0.00",
                    "total_tax_set": self.money_set(0, currency),
                    "line_item": self.line_item(order, items[line_id]),
                }
                for index, (line_id, quantity, subtotal) in enumerate(refund.lines)
            ],
            "duties": [],
        }

    def order(self, order: Order) -> Payload:
        currency = order.presentment_currency
        shop = self.store.shop
        customer = self.store.customer_of(order)
        cancelled = order.cancelled_at is not None
        refunded = order.refunded
        refunded_lines = sum(
            subtotal for refund in order.refunds for _, _, subtotal in refund.lines
        )
        outstanding = 0 if cancelled else max(order.total - order.received, 0)
        zero = self.money_set(0, currency)
        web = order.source_name == "web"
        browser_ip = f"203.0.113.{order.id % 250 + 1}" if web else None
        body: Payload = {
            "id": order.id,
            "admin_graphql_api_id": gid("Order", order.id),
            "app_id": APP_IDS.get(order.source_name),
            "browser_ip": browser_ip,
            "buyer_accepts_marketing": order.buyer_accepts_marketing,
            "cancel_reason": order.cancel_reason,
            "cancelled_at": self.ts(order.cancelled_at),
            "cart_token": order.cart_token,
        }
        if not self.since(v.CHECKOUT_IDS_REMOVED_FROM):
            body["checkout_id"] = order.checkout_id
        body.update(
            {
                "checkout_token": order.checkout_token,
                "client_details": (
                    {
                        "accept_language": "en-US,en;q=0.9",
                        "browser_height": None,
                        "browser_ip": browser_ip,
                        "browser_width": None,
                        "session_hash": None,
                        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Simulator/1.0",
                    }
                    if web
                    else None
                ),
                "closed_at": self.ts(order.closed_at),
                "confirmation_number": f"{order.token[:9].upper()}",
                "confirmed": True,
                "contact_email": order.email,
                "created_at": self.ts(order.created_at),
                "currency": self.shop_currency,
            }
        )
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            body["current_shipping_price_set"] = self.money_set(order.shipping, currency)
        current_subtotal = order.subtotal - refunded_lines
        body.update(
            {
                "current_subtotal_price": amount(current_subtotal),
                "current_subtotal_price_set": self.money_set(current_subtotal, currency),
                "current_total_additional_fees_set": None,
                "current_total_discounts": amount(order.discount),
                "current_total_discounts_set": self.money_set(order.discount, currency),
                "current_total_duties_set": None,
                "current_total_price": amount(order.total - refunded),
                "current_total_price_set": self.money_set(order.total - refunded, currency),
                "current_total_tax": amount(order.tax),
                "current_total_tax_set": self.money_set(order.tax, currency),
                "customer_locale": "en",
                "device_id": None,
                "discount_codes": (
                    [{"code": "WELCOME10", "amount": amount(order.discount), "type": "percentage"}]
                    if order.discount
                    else []
                ),
            }
        )
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            body["duties_included"] = False
        body.update(
            {
                "email": order.email,
                "estimated_taxes": False,
                "financial_status": order.financial_status,
                "fulfillment_status": order.fulfillment_status,
                "landing_site": order.landing_site,
                "landing_site_ref": None,
                "location_id": None,
            }
        )
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            body["merchant_business_entity_id"] = f"MTU{shop.id}"
        body.update(
            {
                "merchant_of_record_app_id": None,
                "name": order.name,
                "note": order.note,
                "note_attributes": [],
                "number": order.number - 1000,
                "order_number": order.number,
                "order_status_url": (
                    f"https://{shop.domain}/{shop.id}/orders/{order.token}/authenticate"
                    f"?key={order.token[::-1]}"
                ),
                "original_total_additional_fees_set": None,
                "original_total_duties_set": None,
                "payment_gateway_names": gateways(order),
                "phone": order.phone,
                "po_number": None,
                "presentment_currency": currency,
                "processed_at": self.ts(order.processed_at),
                "reference": None,
                "referring_site": order.referring_site,
                "source_identifier": None,
                "source_name": order.source_name,
                "source_url": None,
                "subtotal_price": amount(order.subtotal),
                "subtotal_price_set": self.money_set(order.subtotal, currency),
                "tags": ", ".join(order.tags),
                "tax_exempt": False,
                "tax_lines": (
                    [
                        {
                            "price": amount(order.tax),
                            "rate": TAX_RATE,
                            "title": "Tax",
                            "price_set": self.money_set(order.tax, currency),
                            "channel_liable": False,
                        }
                    ]
                    if order.tax
                    else []
                ),
                "taxes_included": False,
                "test": False,
                "token": order.token,
            }
        )
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            body["total_cash_rounding_payment_adjustment_set"] = zero
            body["total_cash_rounding_refund_adjustment_set"] = zero
        body.update(
            {
                "total_discounts": amount(order.discount),
                "total_discounts_set": self.money_set(order.discount, currency),
                "total_line_items_price": amount(order.line_items_total),
                "total_line_items_price_set": self.money_set(order.line_items_total, currency),
                "total_outstanding": amount(outstanding),
                "total_price": amount(order.total),
                "total_price_set": self.money_set(order.total, currency),
                "total_shipping_price_set": self.money_set(order.shipping, currency),
                "total_tax": amount(order.tax),
                "total_tax_set": self.money_set(order.tax, currency),
                "total_tip_received": "0.00",
                "total_weight": order.weight,
                "updated_at": self.ts(order.updated_at),
                "user_id": None,
                "billing_address": self.address(order.billing_address),
                "customer": (
                    self.customer(customer, embedded="order") if customer is not None else None
                ),
                "discount_applications": [],
                "fulfillments": [
                    self.fulfillment(order, fulfillment, index)
                    for index, fulfillment in enumerate(order.fulfillments, start=1)
                ],
                "line_items": [self.line_item(order, item) for item in order.line_items],
                "payment_terms": None,
                "refunds": [self.refund(order, refund) for refund in order.refunds],
                "shipping_address": self.address(order.shipping_address),
                "shipping_lines": self._shipping_lines(order),
            }
        )
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            body["returns"] = []
        if self.since(v.LINE_ITEM_GROUPS_FROM):
            body["line_item_groups"] = []
        return body

    def _shipping_lines(self, order: Order) -> list[Payload]:
        if order.shipping_address is None:
            return []
        currency = order.presentment_currency
        line: Payload = {
            "id": order.id // 7,
            "carrier_identifier": None,
            "code": "Standard",
        }
        if self.since(v.ORDER_CASH_ROUNDING_FROM):
            line["current_discounted_price_set"] = self.money_set(order.shipping, currency)
        line["discounted_price"] = amount(order.shipping)
        line["discounted_price_set"] = self.money_set(order.shipping, currency)
        if self.since(v.SHIPPING_LINE_IS_REMOVED_FROM):
            line["is_removed"] = False
        line.update(
            {
                "phone": None,
                "price": amount(order.shipping),
                "price_set": self.money_set(order.shipping, currency),
                "requested_fulfillment_service_id": None,
                "source": "shopify",
                "title": "Standard Shipping",
                "tax_lines": [],
                "discount_allocations": [],
            }
        )
        return [line]

    # -- checkouts --------------------------------------------------------------------------

    def checkout_line(self, checkout: Checkout, line: CheckoutLine) -> Payload:
        shop, currency = self.shop_currency, checkout.presentment_currency
        price = amount(convert(line.price, shop, currency))
        return {
            "applied_discounts": [],
            "discount_allocations": [],
            "key": line.key,
            "destination_location_id": None,
            "fulfillment_service": "manual",
            "gift_card": False,
            "grams": line.grams,
            "origin_location_id": None,
            "presentment_title": line.title,
            "presentment_variant_title": line.variant_title or "",
            "product_id": line.product_id,
            "properties": None,
            "quantity": line.quantity,
            "requires_shipping": line.product_id is not None,
            "sku": line.sku,
            "tax_lines": [],
            "taxable": True,
            "title": line.title,
            "variant_id": line.variant_id,
            "variant_title": line.variant_title or "",
            "variant_price": price,
            "vendor": line.vendor,
            "user_id": None,
            "unit_price_measurement": {
                "measured_type": None,
                "quantity_value": None,
                "quantity_unit": None,
                "reference_value": None,
                "reference_unit": None,
            },
            "rank": None,
            "compare_at_price": None,
            "line_price": amount(convert(line.price * line.quantity, shop, currency)),
            "price": price,
        }

    def abandoned_checkout_url(self, checkout: Checkout) -> str:
        shop = self.store.shop
        return (
            f"https://{shop.domain}/{shop.id}/checkouts/ac/{checkout.token}/recover"
            f"?key={checkout.recovery_key}"
        )

    def _checkout_totals(self, checkout: Checkout) -> Payload:
        def money(cents: int) -> str:
            return amount(convert(cents, self.shop_currency, checkout.presentment_currency))

        return {
            "presentment_currency": checkout.presentment_currency,
            "buyer_accepts_sms_marketing": False,
            "sms_marketing_phone": None,
            "total_discounts": money(checkout.discount),
            "total_line_items_price": money(checkout.line_items_total),
            "total_price": money(checkout.total),
            "total_tax": money(checkout.tax),
            "subtotal_price": money(checkout.subtotal),
        }

    def checkout(self, checkout: Checkout) -> Payload:
        customer = self.store.customer_of(checkout)
        currency = checkout.presentment_currency
        body: Payload = {}
        if not self.since(v.CHECKOUT_IDS_REMOVED_FROM):
            body["id"] = checkout.id
        body.update(
            {
                "token": checkout.token,
                "cart_token": checkout.cart_token,
                "email": checkout.email,
                "gateway": None,
                "buyer_accepts_marketing": checkout.buyer_accepts_marketing,
                "created_at": self.ts(checkout.created_at),
                "updated_at": self.ts(checkout.updated_at),
                "landing_site": checkout.landing_site,
                "note": checkout.note,
                "note_attributes": [],
                "referring_site": checkout.referring_site,
                "shipping_lines": [],
                "taxes_included": False,
                "total_weight": checkout.weight,
                "currency": currency,
                "completed_at": self.ts(checkout.completed_at),
                "closed_at": None,
                "user_id": None,
                "location_id": None,
                "source_identifier": None,
                "source_url": None,
                "device_id": None,
                "phone": checkout.phone,
                "customer_locale": "en",
                "line_items": [self.checkout_line(checkout, line) for line in checkout.line_items],
                "name": checkout.name,
                "source": None,
                "abandoned_checkout_url": self.abandoned_checkout_url(checkout),
                "discount_codes": [],
                "tax_lines": (
                    [
                        {
                            "price": amount(convert(checkout.tax, self.shop_currency, currency)),
                            "rate": TAX_RATE,
                            "title": "Tax",
                            "channel_liable": False,
                        }
                    ]
                    if checkout.tax
                    else []
                ),
                "source_name": checkout.source_name,
            }
        )
        body.update(self._checkout_totals(checkout))
        body["total_duties"] = None
        if self.since(v.RESERVATION_TOKEN_FROM):
            body["reservation_token"] = None
        body["billing_address"] = self.address(checkout.billing_address)
        body["shipping_address"] = self.address(checkout.shipping_address)
        if customer is not None:
            body["customer"] = self.customer(customer, embedded="checkout")
        return body

    def checkout_deleted(self, checkout: Checkout) -> Payload:
        body: Payload = {"id": checkout.id}
        body.update(self._checkout_totals(checkout))
        body["cart_token"] = checkout.cart_token
        body["total_duties"] = None
        if self.since(v.RESERVATION_TOKEN_FROM):
            body["reservation_token"] = None
        return body
