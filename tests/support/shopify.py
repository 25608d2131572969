"""Shopify webhook payloads for the tests, in Shopify's REST/webhook shape (2026-04 unless
a test says otherwise), with invented values. Times are minutes after a fixed start, so a
test states the order of versions plainly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SHOP_OFFSET = timezone(timedelta(hours=-5))

Line = tuple[int, int | None, int | None, str, int, str]  # id, product, variant, title, qty, price


def at(minutes: float) -> str:
    """A Shopify timestamp `minutes` after the start, with a shop's UTC offset."""
    return (START + timedelta(minutes=minutes)).astimezone(SHOP_OFFSET).isoformat()


def address(**overrides: Any) -> dict[str, Any]:
    return {
        "id": 91_000_001,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address1": "12 Analytical Row",
        "address2": "Floor 2",
        "city": "London",
        "province": "England",
        "country": "United Kingdom",
        "zip": "N1 9GU",
        "phone": "+44 20 7946 0000",
        "default": True,
        **overrides,
    }


def customer(
    customer_id: int = 7_000_000_000_000_001,
    email: str | None = "ada@example.com",
    minute: float = 0,
    **overrides: Any,
) -> dict[str, Any]:
    return {
        "id": customer_id,
        "email": email,
        "created_at": at(0),
        "updated_at": at(minute),
        "first_name": "Ada",
        "last_name": "Lovelace",
        "state": "enabled",
        "note": "Prefers email",
        "verified_email": True,
        "tax_exempt": False,
        "phone": "+44 7700 900001",
        "currency": "USD",
        "tax_exemptions": [],
        "admin_graphql_api_id": f"gid://shopify/Customer/{customer_id}",
        "default_address": address(customer_id=customer_id),
        **overrides,
    }


def product(
    product_id: int = 8_000_000_000_000_001,
    variants: list[tuple[int, str, str, str | None]] | None = None,
    minute: float = 0,
    **overrides: Any,
) -> dict[str, Any]:
    """`variants`: (id, title, price, sku); one "Default Title" variant unless given."""
    variants = variants or [(8_100_000_000_000_001, "Default Title", "25.00", "MUG-1")]
    return {
        "id": product_id,
        "title": "Analytical Mug",
        "body_html": "<p>Holds <strong>tea</strong> and numbers.</p>",
        "vendor": "Babbage & Co",
        "product_type": "Mugs",
        "handle": "analytical-mug",
        "created_at": at(0),
        "updated_at": at(minute),
        "published_at": at(1),
        "published_scope": "global",
        "tags": "kitchen, gifts",
        "status": "active",
        "admin_graphql_api_id": f"gid://shopify/Product/{product_id}",
        "variants": [
            {
                "id": vid,
                "product_id": product_id,
                "title": title,
                "price": price,
                "sku": sku,
                "position": position,
                "admin_graphql_api_id": f"gid://shopify/ProductVariant/{vid}",
            }
            for position, (vid, title, price, sku) in enumerate(variants, start=1)
        ],
        "images": [
            {"id": 8_200_000_000_000_001, "src": "https://cdn.example.com/mug.jpg", "position": 1}
        ],
        **overrides,
    }


def line(line: Line) -> dict[str, Any]:
    line_id, product_id, variant_id, title, quantity, price = line
    return {
        "id": line_id,
        "product_id": product_id,
        "variant_id": variant_id,
        "title": title,
        "variant_title": None,
        "name": title,
        "quantity": quantity,
        "price": price,
        "sku": f"SKU-{variant_id}" if variant_id else None,
        "admin_graphql_api_id": f"gid://shopify/LineItem/{line_id}",
    }


MUG_LINE: Line = (9_000_000_000_000_001, 8_000_000_000_000_001, 8_100_000_000_000_001,
                  "Analytical Mug", 2, "25.00")  # fmt: skip


def order(
    order_id: int = 6_000_000_000_000_001,
    email: str | None = "ada@example.com",
    minute: float = 10,
    lines: list[Line] | None = None,
    checkout_token: str | None = None,
    financial_status: str = "paid",
    fulfillment_status: str | None = None,
    buyer: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    lines = [MUG_LINE] if lines is None else lines
    total = sum(int(qty) * float(price) for *_, qty, price in lines)
    return {
        "id": order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "name": f"#{1000 + order_id % 1000}",
        "order_number": 1000 + order_id % 1000,
        "email": email,
        "contact_email": email,
        "created_at": at(5),
        "processed_at": at(5),
        "updated_at": at(minute),
        "currency": "USD",
        "presentment_currency": "USD",
        "financial_status": financial_status,
        "fulfillment_status": fulfillment_status,
        "cancelled_at": None,
        "cancel_reason": None,
        "checkout_token": checkout_token,
        "cart_token": None,
        "token": f"order-token-{order_id}",
        "buyer_accepts_marketing": True,
        "landing_site": "/products/analytical-mug",
        "referring_site": "https://search.example.com/",
        "source_name": "web",
        "note": None,
        "subtotal_price": f"{total:.2f}",
        "total_line_items_price": f"{total:.2f}",
        "total_discounts": "0.00",
        "total_tax": "0.00",
        "total_price": f"{total:.2f}",
        "current_total_price": f"{total:.2f}",
        "taxes_included": False,
        "total_weight": 900,
        "test": False,
        "customer": buyer,
        "billing_address": address(),
        "line_items": [line(item) for item in lines],
        **overrides,
    }


def checkout(
    token: str = "c0ffee00c0ffee00c0ffee00c0ffee00",
    email: str | None = "ada@example.com",
    minute: float = 1,
    lines: list[Line] | None = None,
    created_minute: float = 0,
    **overrides: Any,
) -> dict[str, Any]:
    lines = [MUG_LINE] if lines is None else lines
    total = sum(int(qty) * float(price) for *_, qty, price in lines)
    return {
        "token": token,
        "cart_token": f"cart-{token[:8]}",
        "email": email,
        "created_at": at(created_minute),
        "updated_at": at(minute),
        "completed_at": None,
        "currency": "USD",
        "presentment_currency": "USD",
        "buyer_accepts_marketing": False,
        "landing_site": "/",
        "referring_site": "",
        "source_name": "web",
        "abandoned_checkout_url": f"https://shop.example.com/checkouts/ac/{token}/recover?key=k",
        "subtotal_price": f"{total:.2f}",
        "total_line_items_price": f"{total:.2f}",
        "total_discounts": "0.00",
        "total_tax": "0.00",
        "total_price": f"{total:.2f}",
        "taxes_included": False,
        "total_weight": 900,
        "customer": None,
        "billing_address": address(),
        "line_items": [
            {k: v for k, v in line(item).items() if k not in ("id", "admin_graphql_api_id")}
            | {"key": f"line-{item[2]}"}
            for item in lines
        ],
        **overrides,
    }
