"""GraphQL objects of the catalogue: products, their variants, images and media."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from .graphcontext import Connection, Context, Info, list_connection
from .ids import gid
from .money import amount
from .records import Image, Product, Variant

_TAG = re.compile(r"<[^>]+>")


def image(record: Image) -> dict[str, Any]:
    return {
        "id": gid("ProductImage", record.id),
        "url": record.src,
        "altText": record.alt,
        "width": record.width,
        "height": record.height,
    }


def media_image(record: Image) -> dict[str, Any]:
    return {
        "__typename": "MediaImage",
        "id": gid("MediaImage", record.id),
        "alt": record.alt,
        "mediaContentType": "IMAGE",
        "status": "READY",
        "image": image(record),
    }


class ProductNode:
    typename: ClassVar[str] = "Product"

    def __init__(self, ctx: Context, record: Product) -> None:
        self.ctx = ctx
        self.record = record

    def id(self, info: Info) -> str:
        return gid("Product", self.record.id)

    def legacyResourceId(self, info: Info) -> str:
        return str(self.record.id)

    def title(self, info: Info) -> str:
        return self.record.title

    def handle(self, info: Info) -> str:
        return self.record.handle

    def descriptionHtml(self, info: Info) -> str:
        return self.record.body_html

    def bodyHtml(self, info: Info) -> str:
        return self.record.body_html

    def description(self, info: Info, truncateAt: int | None = None) -> str:
        text = _TAG.sub(" ", self.record.body_html).replace("&amp;", "&")
        text = " ".join(text.split())
        return text if truncateAt is None or len(text) <= truncateAt else text[:truncateAt] + "…"

    def productType(self, info: Info) -> str:
        return self.record.product_type

    def vendor(self, info: Info) -> str:
        return self.record.vendor

    def tags(self, info: Info) -> list[str]:
        return list(self.record.tags)

    def status(self, info: Info) -> str:
        return self.record.status.upper()

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def publishedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.published_at)

    def templateSuffix(self, info: Info) -> str | None:
        return None

    def onlineStoreUrl(self, info: Info) -> str | None:
        if self.record.status != "active" or self.record.published_at is None:
            return None
        return f"https://{self.ctx.store.shop.domain}/products/{self.record.handle}"

    def hasOnlyDefaultVariant(self, info: Info) -> bool:
        return self.record.has_only_default_variant

    def totalVariants(self, info: Info) -> int:
        return len(self.record.variants)

    def variantsCount(self, info: Info) -> dict[str, Any]:
        return {"count": len(self.record.variants), "precision": "EXACT"}

    def options(self, info: Info, first: int | None = None) -> list[dict[str, Any]]:
        product = self.record
        options = [
            {
                "id": gid("ProductOption", product.id * 10 + position),
                "name": name,
                "position": position,
                "values": list(
                    dict.fromkeys(variant.options[position - 1] for variant in product.variants)
                ),
            }
            for position, name in enumerate(product.option_names, start=1)
        ]
        return options if first is None else options[:first]

    def variants(self, info: Info, sortKey: str = "POSITION", **args: Any) -> Connection:
        def key(variant: Variant) -> int:
            return variant.id if sortKey == "ID" else variant.position

        def make(variant: Variant) -> VariantNode:
            return VariantNode(self.ctx, variant, self.record)

        return list_connection(self.ctx, info, self.record.variants, key, make, args)

    def featuredImage(self, info: Info) -> dict[str, Any] | None:
        return image(self.record.images[0]) if self.record.images else None

    def images(self, info: Info, sortKey: str = "POSITION", **args: Any) -> Connection:
        def key(record: Image) -> int:
            return record.id if sortKey == "ID" else record.position

        return list_connection(self.ctx, info, self.record.images, key, image, args)

    def media(self, info: Info, sortKey: str = "POSITION", **args: Any) -> Connection:
        def key(record: Image) -> int:
            return record.id if sortKey == "ID" else record.position

        return list_connection(self.ctx, info, self.record.images, key, media_image, args)


class VariantNode:
    typename: ClassVar[str] = "ProductVariant"

    def __init__(self, ctx: Context, record: Variant, product: Product) -> None:
        self.ctx = ctx
        self.record = record
        self._product = product

    def id(self, info: Info) -> str:
        return gid("ProductVariant", self.record.id)

    def legacyResourceId(self, info: Info) -> str:
        return str(self.record.id)

    def title(self, info: Info) -> str:
        return self.record.title

    def displayName(self, info: Info) -> str:
        return f"{self._product.title} - {self.record.title}"

    def sku(self, info: Info) -> str | None:
        return self.record.sku

    def barcode(self, info: Info) -> str | None:
        return self.record.barcode

    def price(self, info: Info) -> str:
        return amount(self.record.price)

    def compareAtPrice(self, info: Info) -> str | None:
        price = self.record.compare_at_price
        return amount(price) if price is not None else None

    def position(self, info: Info) -> int:
        return self.record.position

    def taxable(self, info: Info) -> bool:
        return self.record.taxable

    def inventoryQuantity(self, info: Info) -> int:
        return self.record.inventory_quantity

    def inventoryPolicy(self, info: Info) -> str:
        return "DENY"

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def product(self, info: Info) -> ProductNode:
        return ProductNode(self.ctx, self._product)

    def selectedOptions(self, info: Info) -> list[dict[str, str]]:
        return [
            {"name": name, "value": value}
            for name, value in zip(self._product.option_names, self.record.options, strict=False)
        ]

    def image(self, info: Info) -> None:
        return None


def variant_node(ctx: Context, variant_id: int | None) -> VariantNode | None:
    """The variant with this id while it (and its product) still exist."""
    if variant_id is None:
        return None
    variant = ctx.store.variants.get(variant_id)
    product = ctx.store.products.get(variant.product_id) if variant is not None else None
    if variant is None or product is None:
        return None
    return VariantNode(ctx, variant, product)


def product_node(ctx: Context, product_id: int | None) -> ProductNode | None:
    product = ctx.store.products.get(product_id) if product_id is not None else None
    return ProductNode(ctx, product) if product is not None else None
