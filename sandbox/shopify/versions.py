"""The API versions the simulator speaks, and the payload changes between them."""

from __future__ import annotations

import re

SUPPORTED_VERSIONS = (
    "2023-10",
    "2024-01",
    "2024-04",
    "2024-07",
    "2024-10",
    "2025-01",
    "2025-04",
    "2025-07",
    "2025-10",
    "2026-01",
    "2026-04",
    "2026-07",
)
OLDEST = SUPPORTED_VERSIONS[0]
NEWEST = SUPPORTED_VERSIONS[-1]
_VERSION = re.compile(r"\d{4}-\d{2}")


def resolve(requested: str) -> str | None:
    """The version a request to `/admin/api/<requested>/...` is served at, or None (404).

    Shopify answers a retired version with its oldest supported one, and `unstable` with the
    newest; a path segment that is not a version at all is not found.
    """
    if requested == "unstable":
        return NEWEST
    if not _VERSION.fullmatch(requested):
        return None
    if requested in SUPPORTED_VERSIONS:
        return requested
    if requested < OLDEST:
        return OLDEST
    return None


def at_least(version: str, floor: str) -> bool:
    """Versions are `YYYY-MM`, so text order is release order."""
    return version >= floor


# Payload changes by version, from Shopify's changelog and its per-version sample payloads.
LEGACY_ACCEPTS_MARKETING_UNTIL = "2024-01"  # accepts_marketing* removed at 2024-01
VARIANT_GIDS_FROM = "2024-04"  # variant_ids -> variant_gids
PRODUCT_MEDIA_FROM = "2024-07"
PRODUCT_CATEGORY_FROM = "2024-10"
CUSTOMER_SLIM_FROM = "2025-01"  # tags, consent, orders_count, total_spent left customer payloads
ORDER_CASH_ROUNDING_FROM = "2024-10"
LINE_ITEM_CURRENT_QUANTITY_FROM = "2024-01"
LINE_ITEM_GROUP_ID_FROM = "2025-01"
SHIPPING_LINE_IS_REMOVED_FROM = "2024-04"
RESERVATION_TOKEN_FROM = "2024-07"
CHECKOUT_IDS_REMOVED_FROM = "2026-04"  # no checkout_id on orders, no id on checkouts/create|update
PURCHASING_SUMMARY_FROM = "2025-01"
LINE_ITEM_GROUPS_FROM = "2025-10"
# Bulk operations: one query at a time before 2026-01, five since; bulkOperation(id:) since.
BULK_CONCURRENCY_FROM = "2026-01"
BULK_OPERATION_BY_ID_FROM = "2026-01"
