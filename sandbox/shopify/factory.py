"""Makes plausible records from one seeded random stream; used for the initial store and for
every live change, so a seed always yields the same store and the same sequence of changes."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, TypeVar

from . import pools
from .ids import UNLISTED_CHECKOUT_IDS, IdAllocator
from .money import PRESENTMENT_CURRENCIES
from .records import (
    Address,
    Checkout,
    CheckoutLine,
    Customer,
    Fulfillment,
    Image,
    LineItem,
    Order,
    Product,
    Refund,
    Variant,
)

T = TypeVar("T")
HOUR = 3600
DAY = 86400


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


class Factory:
    def __init__(self, rng: random.Random, ids: IdAllocator, shop_currency: str) -> None:
        self.rng = rng
        self.ids = ids
        self.shop_currency = shop_currency
        self._email_serial = 0
        self._handle_serial = 0

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.rng.random() * (high - low + 1))

    def hex_token(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def phone(self) -> str:
        return f"+1613555{self.between(0, 9999):04d}"

    def email_for(self, first: str, last: str) -> str:
        self._email_serial += 1
        local = f"{_ascii_slug(first)}.{_ascii_slug(last)}{self._email_serial}"
        return f"{local}@{self.pick(pools.EMAIL_DOMAINS)}"

    def address(self, first: str | None, last: str | None, phone: str | None) -> Address:
        city, province, code, country, country_code, zip_code = self.pick(pools.PLACES)
        return Address(
            id=self.ids.take("MailingAddress", self.between(1, 4)),
            first_name=first,
            last_name=last,
            company=self.pick(pools.COMPANIES) if self.chance(0.1) else None,
            address1=f"{self.between(1, 400)} {self.pick(pools.STREETS)}",
            address2=f"Unit {self.between(1, 40)}" if self.chance(0.15) else None,
            city=city,
            province=province,
            province_code=code,
            country=country,
            country_code=country_code,
            zip=zip_code,
            phone=phone,
        )

    # -- products ---------------------------------------------------------------------------

    def product(self, created_at: int, updated_at: int) -> Product:
        product_id = self.ids.take("Product", self.between(1, 9))
        adjective, material = self.pick(pools.ADJECTIVES), self.pick(pools.MATERIALS)
        product_type = self.pick(pools.PRODUCT_TYPES)
        title = f"{adjective} {material} {product_type.rstrip('s')}"
        self._handle_serial += 1
        handle = f"{_ascii_slug(title)}-{self._handle_serial}"
        status = "active" if self.chance(0.9) else self.pick(("draft", "archived"))
        published_at = created_at + self.between(0, 2 * DAY) if status == "active" else None
        if published_at is not None:
            published_at = min(published_at, updated_at)
        count = 1 if self.chance(0.3) else self.between(2, 20)
        option_names, titles = self._variant_titles(count)
        base_price = self.between(5, 250) * 100 + self.pick((0, 50, 95, 99))
        variants = [
            self._variant(product_id, position, title_parts, base_price, created_at, updated_at)
            for position, title_parts in enumerate(titles, start=1)
        ]
        images = [
            Image(
                id=self.ids.take("ProductImage", self.between(1, 5)),
                position=position,
                src=f"https://cdn.shopify.com/s/files/1/0000/0001/products/{handle}-{position}.jpg",
                width=1200,
                height=1200,
                alt=title if position == 1 else None,
                created_at=created_at,
            )
            for position in range(1, self.between(0, 4) + 1)
        ]
        tags = tuple(sorted({self.pick(pools.PRODUCT_TAGS) for _ in range(self.between(0, 3))}))
        return Product(
            id=product_id,
            title=title,
            handle=handle,
            body_html=(
                f"<p>{adjective} {material.lower()}, cut &amp; finished by hand.</p>"
                "<ul><li>Care: gentle wash</li></ul>"
            ),
            vendor=self.pick(pools.VENDORS),
            product_type=product_type,
            tags=tags,
            status=status,
            published_at=published_at,
            published_scope=self.pick(("web", "global")),
            created_at=created_at,
            updated_at=updated_at,
            option_names=option_names,
            variants=variants,
            images=images,
        )

    def _variant_titles(self, count: int) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        if count == 1:
            return ("Title",), [("Default Title",)]
        if count <= len(pools.SIZES):
            return ("Size",), [(size,) for size in pools.SIZES[:count]]
        combos: list[tuple[str, ...]] = [
            (size, color) for color in pools.COLORS for size in pools.SIZES
        ]
        return ("Size", "Color"), combos[:count]

    def _variant(
        self,
        product_id: int,
        position: int,
        options: tuple[str, ...],
        base_price: int,
        created_at: int,
        updated_at: int,
    ) -> Variant:
        price = base_price + (position - 1) // 6 * 200
        default = options == ("Default Title",)
        return Variant(
            id=self.ids.take("ProductVariant", self.between(1, 3)),
            product_id=product_id,
            title=" / ".join(options),
            options=options,
            sku=None if self.chance(0.05) else f"SKU-{product_id % 100000:05d}-{position:02d}",
            barcode=f"{self.rng.getrandbits(40):013d}" if self.chance(0.5) else None,
            price=price,
            compare_at_price=price + 500 if self.chance(0.2) else None,
            position=position,
            grams=self.between(50, 1500),
            inventory_quantity=self.between(0, 200) if not default or self.chance(0.9) else 0,
            inventory_item_id=self.ids.take("InventoryItem", self.between(1, 3)),
            taxable=True,
            created_at=created_at,
            updated_at=updated_at,
        )

    # -- customers --------------------------------------------------------------------------

    def customer(
        self, created_at: int, email: str | None = None, *, no_email: bool = False
    ) -> Customer:
        first, last = self.pick(pools.FIRST_NAMES), self.pick(pools.LAST_NAMES)
        if email is None and not no_email:
            email = self.email_for(first, last)
        own_phone = self.phone() if self.chance(0.5) else None
        # Some customers have a phone only on their default address (C5).
        address_phone = (
            own_phone
            if own_phone and self.chance(0.5)
            else (self.phone() if self.chance(0.4) else None)
        )
        address = self.address(first, last, address_phone) if self.chance(0.85) else None
        consent = self.pick(("subscribed", "not_subscribed", "not_subscribed", "unsubscribed"))
        if email is None:
            consent = "not_subscribed"
        consent_at = created_at + self.between(0, HOUR) if consent != "not_subscribed" else None
        return Customer(
            id=self.ids.take("Customer", self.between(1, 7)),
            first_name=first,
            last_name=last if self.chance(0.97) else None,
            email=email,
            phone=own_phone,
            state=self.pick(("enabled", "disabled", "disabled", "invited")),
            note=self.pick(pools.NOTES) if self.chance(0.15) else None,
            tags=tuple(sorted({self.pick(pools.CUSTOMER_TAGS) for _ in range(self.between(0, 2))})),
            tax_exempt=self.chance(0.03),
            verified_email=email is not None and self.chance(0.9),
            consent_state=consent,
            consent_opt_in_level=(
                self.pick(("single_opt_in", "confirmed_opt_in")) if consent_at else None
            ),
            consent_updated_at=consent_at,
            created_at=created_at,
            updated_at=created_at,
            address=address,
        )

    # -- orders and checkouts ---------------------------------------------------------------

    def order_lines(self, products: list[Product]) -> list[LineItem]:
        lines = []
        for _ in range(self.between(1, 4) if products else 0):
            product = self.pick(products)
            variant = self.pick(product.variants)
            lines.append(
                LineItem(
                    id=self.ids.take("LineItem", self.between(1, 5)),
                    product_id=product.id,
                    variant_id=variant.id,
                    title=product.title,
                    variant_title=None if product.has_only_default_variant else variant.title,
                    sku=variant.sku,
                    vendor=product.vendor,
                    quantity=self.between(1, 3),
                    price=variant.price,
                    grams=variant.grams,
                )
            )
        if not products or self.chance(0.04):
            # A custom line item, not backed by any product (gift wrap, a service...).
            lines.append(
                LineItem(
                    id=self.ids.take("LineItem", self.between(1, 5)),
                    product_id=None,
                    variant_id=None,
                    title=self.pick(("Gift wrapping", "Engraving", "Extended warranty")),
                    variant_title=None,
                    sku=None,
                    vendor=None,
                    quantity=1,
                    price=self.pick((300, 500, 1500)),
                    grams=0,
                )
            )
        return lines

    def order(
        self,
        *,
        number: int,
        created_at: int,
        customer: Customer | None,
        email: str | None,
        products: list[Product],
        checkout: Checkout | None,
    ) -> Order:
        """A placed order, still pending payment; callers move it through its life."""
        if checkout is not None:
            lines = [
                LineItem(id=self.ids.take("LineItem", self.between(1, 5)), **_carried(line))
                for line in checkout.line_items
            ]
            source, currency = "web", checkout.presentment_currency
        else:
            lines = self.order_lines(products)
            source = self.pick(("web",) * 8 + ("pos", "shopify_draft_order"))
            currency = self.pick(PRESENTMENT_CURRENCIES) if self.chance(0.3) else self.shop_currency
        total_items = sum(line.price * line.quantity for line in lines)
        discount = total_items // 10 if self.chance(0.2) else 0
        from_checkout = source == "web"
        if checkout is not None:
            checkout_token, checkout_id = checkout.token, checkout.id
        elif from_checkout:
            checkout_token = self.hex_token()
            checkout_id = self.between(*UNLISTED_CHECKOUT_IDS)
        else:
            checkout_token, checkout_id = None, None
        if checkout is not None:
            billing = checkout.billing_address  # Shopify's order keeps what the buyer typed
        else:
            billing = customer.address if customer is not None and customer.address else None
            if billing is None and self.chance(0.7):
                first, last = self.pick(pools.FIRST_NAMES), self.pick(pools.LAST_NAMES)
                billing = self.address(first, last, None)
        shipping = 0 if source == "pos" or billing is None else self.pick((0, 500, 1000))
        handle_hint = lines[0].title.lower().replace(" ", "-")
        landing = self.pick(pools.LANDING_PAGES).format(handle=handle_hint)
        return Order(
            id=self.ids.take("Order", self.between(1, 5)),
            number=number,
            token=self.hex_token(),
            cart_token=self.hex_token() if from_checkout and self.chance(0.8) else None,
            checkout_token=checkout_token,
            checkout_id=checkout_id,
            customer_id=customer.id if customer is not None else None,
            email=email,
            phone=customer.phone if customer is not None else None,
            created_at=created_at,
            updated_at=created_at,
            processed_at=created_at,
            presentment_currency=currency,
            line_items=lines,
            shipping=shipping,
            discount=discount,
            tax=round((total_items - discount) * 0.08),
            source_name=source,
            landing_site=landing if from_checkout else None,
            referring_site=self.pick(pools.REFERRERS) if from_checkout else None,
            buyer_accepts_marketing=customer is not None and customer.consent_state == "subscribed",
            billing_address=billing,
            shipping_address=billing if source != "pos" else None,
            note="Please leave at the door" if self.chance(0.05) else None,
            tags=(self.pick(pools.ORDER_TAGS),) if self.chance(0.1) else (),
            financial_status="pending",
            received=0,
        )

    def checkout(
        self,
        *,
        created_at: int,
        customer: Customer | None,
        email: str | None,
        phone: str | None,
        products: list[Product],
    ) -> Checkout:
        lines = []
        for line in self.order_lines(products):
            lines.append(
                CheckoutLine(
                    id=self.ids.take("AbandonedCheckoutLineItem", self.between(1, 3)),
                    key=self.hex_token(),
                    **_carried(line),
                )
            )
        total_items = sum(line.price * line.quantity for line in lines)
        address = customer.address if customer is not None else None
        if address is None and self.chance(0.5):
            address = self.address(self.pick(pools.FIRST_NAMES), self.pick(pools.LAST_NAMES), phone)
        currency = self.pick(PRESENTMENT_CURRENCIES) if self.chance(0.3) else self.shop_currency
        return Checkout(
            id=self.ids.take("AbandonedCheckout", self.between(1, 9)),
            token=self.hex_token(),
            cart_token=self.hex_token(),
            recovery_key=self.hex_token(),
            email=email,
            phone=phone,
            customer_id=customer.id if customer is not None else None,
            created_at=created_at,
            updated_at=created_at,
            presentment_currency=currency,
            line_items=lines,
            shipping=self.pick((0, 500, 1000)),
            tax=round(total_items * 0.08),
            discount=0,
            source_name="web",
            landing_site=self.pick(pools.LANDING_PAGES).format(handle="sale"),
            referring_site=self.pick(pools.REFERRERS),
            buyer_accepts_marketing=self.chance(0.4),
            billing_address=address,
            shipping_address=address,
            note=None,
        )

    def fulfillment(self, order: Order, at: int, *, partial: bool) -> Fulfillment | None:
        lines = [
            (item.id, item.quantity - item.refunded - item.fulfilled)
            for item in order.line_items
            if item.quantity - item.refunded - item.fulfilled > 0
        ]
        if not lines:
            return None
        if partial:
            if len(lines) > 1:
                lines = lines[:1]
            elif lines[0][1] > 1:
                lines = [(lines[0][0], lines[0][1] - 1)]
            else:
                return None
        return Fulfillment(
            id=self.ids.take("Fulfillment", self.between(1, 5)),
            created_at=at,
            tracking_company=self.pick(pools.CARRIERS),
            tracking_number=f"1Z{self.rng.getrandbits(48):014d}",
            lines=lines,
        )

    def refund(self, order: Order, at: int, *, full: bool) -> Refund | None:
        refundable = order.received - order.refunded
        if refundable <= 0:
            return None
        open_lines = [item for item in order.line_items if item.quantity > item.refunded]
        if full:
            lines = [
                (
                    item.id,
                    item.quantity - item.refunded,
                    item.price * (item.quantity - item.refunded),
                )
                for item in open_lines
            ]
            amount = refundable
        else:
            if not open_lines:
                return None
            item = self.pick(open_lines)
            lines = [(item.id, 1, item.price)]
            amount = min(item.price, refundable - 1) if refundable > 1 else 0
            if amount <= 0:
                return None
        return Refund(
            id=self.ids.take("Refund", self.between(1, 5)),
            created_at=at,
            note=self.pick(("Damaged in transit", "Wrong size", None)),
            amount=amount,
            lines=lines,
            transaction_id=self.ids.take("Transaction", self.between(1, 5)),
        )

    def case_variant(self, email: str) -> str:
        """The same address in other letter case: Shopspot must dedupe contacts case-blind."""
        local, _, domain = email.partition("@")
        if self.chance(0.5):
            return f"{local[:1].upper()}{local[1:]}@{domain.capitalize()}"
        return email.upper()


def _carried(line: LineItem | CheckoutLine) -> dict[str, Any]:
    """What a line keeps when it moves between a checkout and an order."""
    return {
        "product_id": line.product_id,
        "variant_id": line.variant_id,
        "title": line.title,
        "variant_title": line.variant_title,
        "sku": line.sku,
        "vendor": line.vendor,
        "quantity": line.quantity,
        "price": line.price,
        "grams": line.grams,
    }
