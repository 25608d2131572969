"""GraphQL objects of a bulk result → the REST/webhook shape the payload models read.

Pure functions: one per object kind, taking the root object and its children (the lines
that named it as `__parentId`). The import then goes through the very same parsing, mapping
and writers as a webhook. Fields GraphQL does not have (an order's checkout token, a
checkout's email) are left out, which the models and mapping treat as unknown.
"""

from __future__ import annotations

import re
from typing import Any

Node = dict[str, Any]

_CHECKOUT_TOKEN = re.compile(r"/checkouts/(?:ac/)?([A-Za-z0-9]+)/recover")
_FULFILLMENT = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}


def legacy_id(gid: str | None) -> int | None:
    """`gid://shopify/Order/123` → 123."""
    if not gid:
        return None
    return int(gid.rsplit("/", 1)[1].split("?", 1)[0])


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _amount(money_bag: Node | None, side: str) -> str | None:
    amount = ((money_bag or {}).get(side) or {}).get("amount")
    return None if amount is None else str(amount)


def _shop_money(money_bag: Node | None) -> str | None:
    return _amount(money_bag, "shopMoney")


def _address(address: Node | None) -> Node | None:
    if not address:
        return None
    return {
        "first_name": address.get("firstName"),
        "last_name": address.get("lastName"),
        "address1": address.get("address1"),
        "address2": address.get("address2"),
        "city": address.get("city"),
        "province": address.get("province"),
        "country": address.get("country"),
        "zip": address.get("zip"),
        "phone": address.get("phone"),
    }


def customer(node: Node) -> Node:
    consent = node.get("emailMarketingConsent") or {}
    spent = node.get("amountSpent") or {}
    return {
        "id": legacy_id(node["id"]),
        "email": node.get("email"),
        "first_name": node.get("firstName"),
        "last_name": node.get("lastName"),
        "phone": node.get("phone"),
        "note": node.get("note"),
        "tags": ", ".join(node.get("tags") or []),
        "tax_exempt": node.get("taxExempt"),
        "verified_email": node.get("verifiedEmail"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "orders_count": int(node["numberOfOrders"]) if node.get("numberOfOrders") else None,
        "total_spent": spent.get("amount"),
        "email_marketing_consent": {
            "state": _lower(consent.get("marketingState")),
            "opt_in_level": _lower(consent.get("marketingOptInLevel")),
            "consent_updated_at": consent.get("consentUpdatedAt"),
        }
        if consent
        else None,
        "default_address": _address(node.get("defaultAddress")),
    }


def product(node: Node, children: list[Node]) -> Node:
    product_id = legacy_id(node["id"])
    variants = [child for child in children if "/ProductVariant/" in str(child.get("id"))]
    images = [child for child in children if "url" in child]
    return {
        "id": product_id,
        "title": node.get("title"),
        "body_html": node.get("descriptionHtml"),
        "handle": node.get("handle"),
        "product_type": node.get("productType"),
        "vendor": node.get("vendor"),
        "tags": ", ".join(node.get("tags") or []),
        "status": _lower(node.get("status")),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "published_at": node.get("publishedAt"),
        "variants": [
            {
                "id": legacy_id(variant["id"]),
                "product_id": product_id,
                "title": variant.get("title"),
                "price": variant.get("price"),
                "sku": variant.get("sku"),
            }
            for variant in variants
        ],
        "images": [{"src": image["url"]} for image in images],
    }


def _line(line: Node, price: str | None) -> Node:
    return {
        "id": legacy_id(line.get("id")),
        "title": line.get("title"),
        "variant_title": line.get("variantTitle"),
        "sku": line.get("sku"),
        "quantity": line.get("quantity"),
        "price": price,
        "product_id": legacy_id((line.get("product") or {}).get("id")),
        "variant_id": legacy_id((line.get("variant") or {}).get("id")),
    }


def order(node: Node, children: list[Node]) -> Node:
    name = node.get("name") or ""
    number = "".join(ch for ch in name if ch.isdigit())
    buyer = node.get("customer")
    return {
        "id": legacy_id(node["id"]),
        "name": name or None,
        "order_number": int(number) if number else None,
        "email": node.get("email"),
        "phone": node.get("phone"),
        "note": node.get("note"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "processed_at": node.get("processedAt"),
        "cancelled_at": node.get("cancelledAt"),
        "cancel_reason": _lower(node.get("cancelReason")),
        "currency": node.get("currencyCode"),
        "presentment_currency": node.get("presentmentCurrencyCode"),
        "financial_status": _lower(node.get("displayFinancialStatus")),
        "fulfillment_status": _FULFILLMENT.get(node.get("displayFulfillmentStatus") or ""),
        "buyer_accepts_marketing": node.get("customerAcceptsMarketing"),
        "taxes_included": node.get("taxesIncluded"),
        "total_weight": int(node["totalWeight"]) if node.get("totalWeight") else None,
        "source_name": node.get("sourceName"),
        "landing_site": node.get("landingPageUrl"),
        "referring_site": node.get("referrerUrl"),
        "test": node.get("test"),
        "subtotal_price": _shop_money(node.get("subtotalPriceSet")),
        "total_discounts": _shop_money(node.get("totalDiscountsSet")),
        "total_tax": _shop_money(node.get("totalTaxSet")),
        "total_price": _shop_money(node.get("totalPriceSet")),
        "current_total_price": _shop_money(node.get("currentTotalPriceSet")),
        "total_shipping_price": _shop_money(node.get("totalShippingPriceSet")),
        "billing_address": _address(node.get("billingAddress")),
        "customer": customer(buyer) if buyer else None,
        "line_items": [
            _line(line, _shop_money(line.get("originalUnitPriceSet"))) for line in children
        ],
    }


def checkout_token(url: str | None, gid: str) -> str:
    """The token is in the recovery URL; the checkout's id stands in when it is not."""
    match = _CHECKOUT_TOKEN.search(url or "")
    return match.group(1) if match else f"checkout{legacy_id(gid)}"
