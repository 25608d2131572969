"""Reconciliation (W6): what changed in Shopify since the last run, written the way webhooks
are, and webhook subscriptions Shopify removed re-created.

Webhooks can arrive a day late or never (Shopify drops a subscription after failing to
deliver for hours). Every RECONCILE_INTERVAL_SECONDS beat reads the objects updated since
the previous run through the import's reader; the buffers' `updated_at` guard drops what
webhooks already brought, so only what they missed is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from shopspot.backfill import convert
from shopspot.backfill.bulk import BulkReader
from shopspot.backfill.queries import (
    CLOSED_CHECKOUTS_QUERY,
    ORDER_OF_CHECKOUT_QUERY,
    PRODUCT_IDS_BULK,
)
from shopspot.backfill.runner import Importer, ImportResult, Progress
from shopspot.hubspot.schema import SetupReport
from shopspot.mapping.products import product_key
from shopspot.mapping.values import key, shop_domain
from shopspot.runtime import Runtime
from shopspot.settings import Store
from shopspot.shopify.admin import ShopifyAdmin
from shopspot.shopify.setup import ensure_webhook_subscriptions, webhook_address
from shopspot.sync.products import archive_variants, delete_products, made_since
from shopspot.topics import Buffer

log = logging.getLogger("shopspot.reconcile")

LAST_RUN = "shopspot:reconcile:last:"
CHECKPOINT = "shopspot:reconcile:progress:"
# Shopify's updated_at and ours are different clocks; a little overlap costs nothing.
OVERLAP = timedelta(minutes=5)
# A first run looks back this far: webhooks can be up to a day late.
FIRST_LOOK_BACK = timedelta(days=2)


@dataclass
class ReconcileResult:
    shop: str
    since: datetime
    changed: int
    written: int
    products_deleted: int
    subscriptions_created: list[str]


def reconcile_store(
    rt: Runtime,
    store: Store,
    written: Callable[[set[Buffer]], None] | None = None,
    admin: ShopifyAdmin | None = None,
) -> ReconcileResult:
    started = datetime.now(UTC)
    raw = cast(bytes | None, rt.redis.get(LAST_RUN + store.domain))
    since = datetime.fromtimestamp(float(raw), UTC) - OVERLAP if raw else started - FIRST_LOOK_BACK
    admin = admin or ShopifyAdmin(store)
    _link_recovered_checkouts(rt, store, admin, since)
    importer = Importer(
        rt, store, Progress(), since=since, admin=admin,
        origin="live", checkpoint=CHECKPOINT, written=written,
    )  # fmt: skip
    result: ImportResult = importer.run()
    deleted = _archive_deleted_products(rt, store, admin, since)
    report = SetupReport()
    if rt.settings.public_url:
        ensure_webhook_subscriptions(admin, webhook_address(rt.settings.public_url), report)
    rt.redis.set(LAST_RUN + store.domain, str(started.timestamp()))
    changed = sum(kind.read for kind in result.kinds)
    written_count = sum(kind.queued for kind in result.kinds)
    log.info(
        "reconciled",
        extra={"fields": {"shop": store.domain, "changed": changed, "written": written_count,
                          "subscriptions_created": len(report.created)}},
    )  # fmt: skip
    return ReconcileResult(store.domain, since, changed, written_count, deleted, report.created)


def _link_recovered_checkouts(
    rt: Runtime, store: Store, admin: ShopifyAdmin, since: datetime
) -> None:
    """Checkouts recovered by an order while the order's webhook was lost: the order, read
    through GraphQL without its checkout token, must still move the checkout's deal (D7) and
    mark its cart recovered (SPEC T1)."""
    domain = shop_domain(store.domain)
    search = f"status:closed AND updated_at:>'{since.isoformat()}'"
    after: str | None = None
    while True:
        page = admin.graphql(CLOSED_CHECKOUTS_QUERY, {"query": search, "after": after})
        checkouts = page["abandonedCheckouts"]
        tokens = [
            convert.checkout_token(node.get("abandonedCheckoutUrl"), node["id"])
            for node in checkouts["nodes"]
            if node.get("completedAt")
        ]
        keys = [key(domain, token) for token in tokens]
        deals, carts = rt.memory.deals(keys), rt.memory.deals(keys, "cart")
        for token in tokens:
            if deals[key(domain, token)].id is None and carts[key(domain, token)].id is None:
                continue  # Shopspot never wrote this checkout: nothing to link
            found = admin.graphql(ORDER_OF_CHECKOUT_QUERY, {"query": f"checkout_token:{token}"})
            for order in found["orders"]["nodes"]:
                alias = key(domain, "order", convert.legacy_id(order["id"]) or 0)
                rt.memory.remember_deal_keys({alias: key(domain, token)})
        if not checkouts["pageInfo"]["hasNextPage"]:
            return
        after = checkouts["pageInfo"]["endCursor"]


def _archive_deleted_products(
    rt: Runtime, store: Store, admin: ShopifyAdmin, since: datetime
) -> int:
    """Products and variants deleted while their webhook was lost, or removed before the
    product's webhook came while an order line made a product of the variant: Shopspot knows
    them, Shopify no longer. The products HubSpot made since `since` are compared too, so that
    one Shopspot's memory does not know (made by a write that raced a deletion, or known to a
    memory that was lost) is found all the same. Only what was known before the list was asked
    for is compared with it: a product or variant made meanwhile is missing from the list, not
    gone."""
    shop = store.domain
    known = rt.memory.variant_keys_of(shop, rt.memory.known_product_ids(shop))
    reader = BulkReader(admin)
    operation = reader.wait(reader.start(PRODUCT_IDS_BULK), lambda _: None)
    if operation.status != "COMPLETED":
        log.warning(
            "product list unavailable (%s); deletions wait for the next run", operation.status
        )
        return 0
    present: dict[int, set[str]] = {}
    for root in reader.roots(operation.url):
        product_id = convert.legacy_id(root.node["id"])
        if product_id is not None:
            present[product_id] = {
                product_key(shop, product_id, variant_id)
                for child in root.children
                if (variant_id := convert.legacy_id(child["id"])) is not None
            }
    made = made_since(rt.context, shop, since)
    # Read after HubSpot's answer: a product made meanwhile was remembered before it was made.
    remembered = rt.memory.variant_keys_of(shop, made)
    unknown = {
        product_id: forgotten
        for product_id, keys in made.items()
        if (forgotten := keys - present.get(product_id, set()) - remembered[product_id])
    }
    # Known from now on, so that the deletions below find them as any other.
    rt.memory.add_variant_keys(shop, unknown)
    for product_id, keys in unknown.items():
        known[product_id] = known.get(product_id, set()) | keys
    gone = sorted(set(known) - set(present))
    if gone:
        delete_products(rt.context, shop, gone)
    removed = {pid: keys - present[pid] for pid, keys in known.items() if pid in present}
    archive_variants(rt.context, shop, {pid: keys for pid, keys in removed.items() if keys})
    return len(gone)
