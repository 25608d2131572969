"""Products: one HubSpot product per variant, keyed by `shopify_product_key` (P1-P3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from shopspot.hubspot import crm
from shopspot.mapping.products import product_id_of_key, product_key, product_properties
from shopspot.mapping.values import compact, integer, money, ms, shop_domain
from shopspot.shopify.models import CheckoutLineItem, LineItem, Product
from shopspot.sync.context import SyncContext

PRODUCTS = "products"
KEY = "shopify_product_key"


def write_products(ctx: SyncContext, shop: str, products: Sequence[Product]) -> None:
    """Upsert each variant's product and archive those of variants no longer there (P3).

    What Shopspot knows of a product's variants is widened before the writes and narrowed
    only after them: a deletion that follows a write which died half-way still finds every
    variant product the write may have created, and a retry still finds the ones to archive.
    """
    records = [
        props
        for product in products
        for props in product_properties(shop, product, with_hs_images=ctx.with_hs_images)
    ]
    removed: dict[int, set[str]] = {}
    variants: dict[int, set[str]] = {}
    for product in products:
        current = {product_key(shop, product.id, variant.id) for variant in product.variants}
        # A product webhook lists at most 100 variants in full; the rest only by id.
        listed = {product_key(shop, product.id, vid) for vid in product.all_variant_ids}
        removed[product.id] = ctx.memory.variant_keys(shop, product.id) - current - listed
        variants[product.id] = current | listed
    ctx.memory.add_variant_keys(shop, variants)
    ids = _upsert(ctx, records)
    ctx.memory.remember_product_bodies(
        shop, {p.id: p.body_html for p in products if p.body_html is not None}
    )
    # Only the removed ones are forgotten: an order line may have added a variant meanwhile.
    _retire(ctx, shop, removed)
    ctx.memory.remember_products(ids)


def delete_products(ctx: SyncContext, shop: str, product_ids: Iterable[int]) -> None:
    """P2: every variant product of each deleted Shopify product is archived."""
    ids = list(dict.fromkeys(product_ids))
    # Orders keep naming deleted products; their lines must not bring them back. Marked before
    # the variants are read: an order line that makes a variant's product meanwhile either
    # added it before they are read, or finds the mark once it has made it.
    ctx.memory.remember_deleted(shop, [f"product:{product_id}" for product_id in ids])
    variants = ctx.memory.variant_keys_of(shop, ids)
    # A product whose variants Shopspot does not know was never written, or was written
    # before Shopspot's memory was lost (Redis's data gone or replaced): HubSpot's own
    # products of it are found by its id, at a search call for each hundred such products.
    unknown = [str(product_id) for product_id, keys in variants.items() if not keys]
    for chosen in crm.chunks(unknown, crm.SEARCH_IN_VALUES):
        in_hubspot = {"propertyName": "shopify_product_id", "operator": "IN", "values": chosen}
        variants.update(_variant_keys_in_hubspot(ctx, shop, in_hubspot))
    _retire(ctx, shop, variants)


def archive_variants(ctx: SyncContext, shop: str, removed: Mapping[int, set[str]]) -> None:
    """The variant products of variants Shopify no longer has, by their product's id."""
    _retire(ctx, shop, removed)


def _retire(ctx: SyncContext, shop: str, removed: Mapping[int, set[str]]) -> None:
    """Archive the variant products `removed` names, by product: marked deleted before the
    archive, so that no order line brings them back meanwhile, and forgotten after it."""
    keys = sorted(key for found in removed.values() for key in found)
    if not keys:
        return
    ctx.memory.remember_deleted(shop, keys)
    _archive(ctx, keys)
    ctx.memory.drop_variant_keys(shop, removed)


def made_since(ctx: SyncContext, shop: str, since: datetime) -> dict[int, set[str]]:
    """The keys of the shop's variant products HubSpot made since `since` (its clock), by
    product id, whether or not Shopspot's memory knows them."""
    return _variant_keys_in_hubspot(
        ctx, shop, {"propertyName": "createdate", "operator": "GTE", "value": str(ms(since))}
    )


def _variant_keys_in_hubspot(
    ctx: SyncContext, shop: str, chosen_by: Mapping[str, Any]
) -> dict[int, set[str]]:
    """The keys of the shop's variant products in HubSpot that a search filter chooses, by
    product id."""
    filters = [
        {"propertyName": "shopify_shop_domain", "operator": "EQ", "value": shop_domain(shop)},
        chosen_by,
    ]
    found: dict[int, set[str]] = {}
    for record in crm.search_records(ctx.client, PRODUCTS, filters, [KEY]):
        key = str(record["properties"].get(KEY) or "")
        product_id = product_id_of_key(shop, key)
        if product_id is not None:
            found.setdefault(product_id, set()).add(key)
    return found


def product_ids_for_lines(
    ctx: SyncContext, shop: str, lines: Sequence[LineItem | CheckoutLineItem]
) -> dict[int, str]:
    """HubSpot product ids of the variants that order lines point at (P3), by variant id.

    A variant HubSpot does not have yet (its product webhook has not arrived, or the import
    has not reached it) is created from the line, and completed when the product syncs.
    """
    keyed = {
        product_key(shop, line.product_id, line.variant_id): line
        for line in lines
        if line.product_id is not None and line.variant_id is not None
    }
    names = [*keyed, *(f"product:{line.product_id}" for line in keyed.values())]
    deleted = ctx.memory.deleted(shop, names)
    keyed = {
        key: line
        for key, line in keyed.items()
        if key not in deleted and f"product:{line.product_id}" not in deleted
    }
    known = ctx.memory.product_ids(keyed)
    unknown = [key for key in keyed if key not in known]
    if unknown:
        read = crm.ids_by_key(ctx.client, PRODUCTS, KEY, unknown)
        ctx.memory.remember_products(read)
        known |= read | _make(ctx, shop, {key: keyed[key] for key in unknown if key not in read})
    return {
        line.variant_id: known[key]
        for key, line in keyed.items()
        if key in known and line.variant_id
    }


def _make(
    ctx: SyncContext, shop: str, lines: Mapping[str, LineItem | CheckoutLineItem]
) -> dict[str, str]:
    """HubSpot ids of the products made from these lines, by product key.

    They are variants of their products from then on, so that the product's deletion, or an
    update without them, archives them too. One whose product was deleted while it was made
    is archived and left out.
    """
    if not lines:
        return {}
    variants: dict[int, set[str]] = {}
    for key, line in lines.items():
        if line.product_id is not None:
            variants.setdefault(line.product_id, set()).add(key)
    ctx.memory.add_variant_keys(shop, variants)
    # Created, never written over: the product's own write may have come meanwhile.
    stubs = [_stub(shop, key, line) for key, line in lines.items()]
    made = crm.create_or_read(ctx.client, PRODUCTS, KEY, stubs)
    ctx.memory.remember_products(made)
    # A deletion that came meanwhile may have looked for them before they were made.
    names = {key: f"product:{line.product_id}" for key, line in lines.items()}
    gone = ctx.memory.deleted(shop, [*names, *names.values()])
    doomed = {key for key, product in names.items() if gone & {key, product}}
    _retire(ctx, shop, {product_id: keys & doomed for product_id, keys in variants.items()})
    return {key: ident for key, ident in made.items() if key not in doomed}


def _stub(shop: str, key: str, line: LineItem | CheckoutLineItem) -> dict[str, str]:
    return compact(
        {
            KEY: key,
            "name": line.title,
            "price": money(line.price),
            "hs_sku": line.sku,
            "shopify_product_id": integer(line.product_id),
            "shopify_variant_id": integer(line.variant_id),
            "shopify_variant_title": line.variant_title,
            "shopify_shop_domain": shop_domain(shop),
        }
    )


def _upsert(ctx: SyncContext, records: list[dict[str, str]]) -> dict[str, str]:
    unique = list({record[KEY]: record for record in records}.values())
    results = crm.batch_upsert(ctx.client, PRODUCTS, KEY, unique)
    return {str(result["properties"][KEY]): str(result["id"]) for result in results}


def _archive(ctx: SyncContext, keys: list[str]) -> None:
    if not keys:
        return
    ids = ctx.memory.product_ids(keys)
    ids |= crm.ids_by_key(ctx.client, PRODUCTS, KEY, [key for key in keys if key not in ids])
    crm.batch_archive(ctx.client, PRODUCTS, list(ids.values()))
    ctx.memory.forget_products(keys)
