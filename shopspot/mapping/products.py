"""Shopify product -> HubSpot products: one per variant (P3), each with the parent's P1 fields.

``shopify_images`` holds every product image URL in the payload's (position) order, one per line
(URLs may contain commas, never newlines). ``hs_images`` holds one URL: the variant's own image
when it has one, else the product's first image.
"""

from shopspot.mapping.values import (
    compact,
    integer,
    key,
    money,
    shop_domain,
    tag_list,
    timestamp,
)
from shopspot.shopify.models import Product, Variant

DEFAULT_VARIANT_TITLE = "Default Title"


def product_key(shop: str, product_id: int, variant_id: int) -> str:
    """``shopify_product_key``: ``<shop>:<product id>:<variant id>``."""
    return key(shop_domain(shop), product_id, variant_id)


def product_id_of_key(shop: str, product_key: str) -> int | None:
    """The Shopify product id in one of the shop's product keys (None: not one of them)."""
    prefix = f"{shop_domain(shop)}:"
    ids = product_key.removeprefix(prefix).split(":")
    ours = product_key.startswith(prefix) and len(ids) == 2
    return int(ids[0]) if ours and all(part.isdigit() for part in ids) else None


def product_properties(
    shop: str, product: Product, *, with_hs_images: bool = True
) -> list[dict[str, str]]:
    """One HubSpot product per variant in the payload, in variant order.

    ``with_hs_images=False`` leaves out ``hs_images`` for portals that lack that property.
    A payload without variants (e.g. trimmed by ``include_fields``) yields no products.
    """
    return [_variant_properties(shop, product, v, with_hs_images) for v in product.variants]


def _variant_properties(
    shop: str, product: Product, variant: Variant, with_hs_images: bool
) -> dict[str, str]:
    urls = [image.src for image in product.images if image.src]
    own_urls = [
        image.src
        for image in product.images
        if image.src and image.id is not None and image.id == variant.image_id
    ]
    hs_image = next(iter(own_urls + urls), None)
    properties = {
        "name": _name(product, variant),
        "description": product.body_html,
        "price": money(variant.price),
        "hs_sku": variant.sku,
        "shopify_product_key": product_key(shop, product.id, variant.id),
        "shopify_product_id": integer(product.id),
        "shopify_variant_id": integer(variant.id),
        "shopify_variant_title": variant.title,
        "shopify_handle": product.handle,
        "shopify_created_at": timestamp(product.created_at),
        "shopify_product_type": product.product_type,
        "shopify_published_at": timestamp(product.published_at),
        "shopify_published_scope": product.published_scope,
        "shopify_tags": tag_list(product.tags),
        "shopify_vendor": product.vendor,
        "shopify_images": "\n".join(urls),
        "shopify_shop_domain": shop_domain(shop),
    }
    if with_hs_images:
        properties["hs_images"] = hs_image
    return compact(properties)


def _name(product: Product, variant: Variant) -> str | None:
    only_default = len(product.variants) == 1 and variant.title == DEFAULT_VARIANT_TITLE
    if product.title is None or only_default or not variant.title:
        return product.title
    return f"{product.title} - {variant.title}"
