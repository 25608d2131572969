"""Shopify's ids: integers that grow over time (some beyond 2^53) and their global-id form."""

from __future__ import annotations

import re

_GID = re.compile(r"gid://shopify/([A-Za-z]+)/(\d+)(?:\?.*)?")

# Where each kind's ids start. Line item ids all exceed 2^53 and order ids straddle it, so a
# client that routes ids through floats breaks on real-looking data.
BASES = {
    "Customer": 7_104_000_000_000,
    "MailingAddress": 8_220_000_000_000,
    "Product": 8_930_000_000_000,
    "ProductVariant": 44_010_000_000_000,
    "InventoryItem": 46_020_000_000_000,
    "ProductImage": 31_040_000_000_000,
    "LineItem": 15_300_000_000_000_000,
    "AbandonedCheckout": 36_050_000_000_000,
    "AbandonedCheckoutLineItem": 47_060_000_000_000,
    "Refund": 912_000_000_000,
    "Fulfillment": 5_570_000_000_000,
    "WebhookSubscription": 1_420_000_000_000,
    "BulkOperation": 4_230_000_000_000,
    "OnlineStoreTheme": 141_000_000_000,
    "Transaction": 6_680_000_000_000,
}
TWO_TO_53 = 2**53
# Every web order went through a checkout, but only abandoned ones are listed; the others get
# ids from this range, which no listed checkout uses.
UNLISTED_CHECKOUT_IDS = (BASES["AbandonedCheckout"] - 10**9, BASES["AbandonedCheckout"] - 1)


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


def parse_gid(value: str) -> tuple[str, int] | None:
    match = _GID.fullmatch(value)
    return (match.group(1), int(match.group(2))) if match else None


class IdAllocator:
    """Increasing ids per kind, with small gaps as on a busy platform."""

    def __init__(self, orders_expected: int) -> None:
        self._next = dict(BASES)
        self._next["Order"] = TWO_TO_53 - (orders_expected * 3) // 2

    def take(self, kind: str, gap: int = 1) -> int:
        value = self._next[kind]
        self._next[kind] = value + gap
        return value
