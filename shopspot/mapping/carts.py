"""Shopify checkouts -> HubSpot carts (SPEC T1).

A cart is keyed by its checkout token (``shopify_cart_key`` = ``<shop>:<token>``), as its deal
is, so the order that completes the checkout finds it. Its ``hs_external_status`` plays the
part of the deal's checkout stages: pending, abandoned once the sweep finds it older than the
abandon delay (D8), recovered once it became an order. A status never moves back: a late
checkout update neither revives an abandoned cart nor touches a recovered one (D7).
"""

from enum import StrEnum

from shopspot.mapping.values import compact, key, money, shop_domain, timestamp_ms
from shopspot.shopify.models import Checkout

CART_KEY = "shopify_cart_key"


class CartStatus(StrEnum):
    PENDING = "pending"
    ABANDONED = "abandoned"
    RECOVERED = "recovered"


def cart_key(shop: str, token: str) -> str:
    return key(shop_domain(shop), token)


def cart_properties(shop: str, checkout: Checkout, current: CartStatus | None) -> dict[str, str]:
    """The cart of a checkout, empty values dropped (C3); ``{}`` when the checkout became an
    order (the order owns what the cart says now). ``current`` is the cart's status, None for
    a new cart. Amounts are in the checkout's presentment currency."""
    if current is CartStatus.RECOVERED:
        return {}
    return compact(
        {
            CART_KEY: cart_key(shop, checkout.token),
            "hs_cart_name": f"Checkout {checkout.token[:8]}",
            "hs_external_cart_id": checkout.token,
            "hs_cart_url": checkout.abandoned_checkout_url,
            "hs_total_price": money(checkout.total_price),
            "hs_currency_code": checkout.presentment_currency or checkout.currency,
            "hs_cart_discount": money(checkout.total_discounts),
            "hs_tax": money(checkout.total_tax),
            "hs_source_store": shop_domain(shop),
            "hs_external_status": current or CartStatus.PENDING,
            "shopify_shop_domain": shop_domain(shop),
        }
    )


def abandoned_properties(swept_ms: int) -> dict[str, str]:
    """What the sweep writes on a cart still pending (D8)."""
    return {
        "hs_external_status": CartStatus.ABANDONED,
        "shopify_abandoned_at": timestamp_ms(swept_ms),
    }


def recovered_properties() -> dict[str, str]:
    """What an order writes on the cart of its checkout."""
    return {"hs_external_status": CartStatus.RECOVERED}
