"""Products: one HubSpot product per variant (P3) with the parent's P1 fields."""

import json
from pathlib import Path
from typing import Any

import pytest

from shopspot.mapping.products import product_id_of_key, product_key, product_properties
from shopspot.shopify import Product

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def product(**fields: Any) -> Product:
    return Product.model_validate({"id": 1, "title": "Mug", **fields})


def test_a_product_with_only_its_default_variant_is_named_by_its_title() -> None:
    [props] = product_properties(
        SHOP, Product.model_validate(fixture("2024-01/products-create.json"))
    )

    assert props["name"] == "Stoneware Mug"
    assert props["shopify_variant_title"] == "Default Title"


def test_variants_of_a_product_with_several_are_named_title_dash_variant() -> None:
    products = product_properties(
        SHOP, Product.model_validate(fixture("2024-10/products-update.json"))
    )

    assert [p["name"] for p in products] == [
        "Linen Apron - Sage / S",
        "Linen Apron - Sage / M",
        "Linen Apron - Rust / M",
    ]


def test_a_single_variant_that_is_not_the_default_keeps_its_title() -> None:
    [props] = product_properties(SHOP, product(variants=[{"id": 2, "title": "Large"}]))

    assert props["name"] == "Mug - Large"


def test_each_variant_carries_its_own_key_price_and_sku() -> None:
    products = product_properties(
        SHOP, Product.model_validate(fixture("2024-10/products-update.json"))
    )

    assert [p["shopify_product_key"] for p in products] == [
        "kiln-and-co.myshopify.com:8802917364518273002:4501928374650192101",
        "kiln-and-co.myshopify.com:8802917364518273002:4501928374650192102",
        "kiln-and-co.myshopify.com:8802917364518273002:4501928374650192103",
    ]
    assert [p["price"] for p in products] == ["30.50", "30.50", "32.00"]
    assert [p.get("hs_sku") for p in products] == ["APR-LIN-SAGE-S", "APR-LIN-SAGE-M", None]
    assert [p["shopify_variant_id"] for p in products] == [
        "4501928374650192101",
        "4501928374650192102",
        "4501928374650192103",
    ]


def test_every_variant_carries_the_parents_p1_fields() -> None:
    [props] = product_properties(
        SHOP, Product.model_validate(fixture("2024-01/products-create.json"))
    )

    assert props == {
        "name": "Stoneware Mug",
        "description": (
            "<p>Hand-thrown <strong>stoneware</strong> mug &amp; saucer.</p>"
            "<ul><li>350 ml</li><li>Dishwasher safe</li></ul>"
        ),
        "price": "24.50",
        "hs_sku": "MUG-STN-350",
        "shopify_product_key": "kiln-and-co.myshopify.com:8802917364518273001:4501928374650192001",
        "shopify_product_id": "8802917364518273001",
        "shopify_variant_id": "4501928374650192001",
        "shopify_variant_title": "Default Title",
        "shopify_handle": "stoneware-mug",
        "shopify_created_at": "2024-03-01T13:00:00.000Z",
        "shopify_product_type": "Kitchen",
        "shopify_published_at": "2024-03-02T13:00:00.000Z",
        "shopify_published_scope": "global",
        "shopify_tags": "ceramics, gift",
        "shopify_vendor": "Kiln & Co",
        "shopify_images": (
            "https://cdn.shopify.com/s/files/1/0000/0001/products/mug-front.jpg?v=1709298000\n"
            "https://cdn.shopify.com/s/files/1/0000/0001/products/mug-side.jpg?v=1709298000"
        ),
        "hs_images": "https://cdn.shopify.com/s/files/1/0000/0001/products/mug-front.jpg?v=1709298000",
        "shopify_shop_domain": "kiln-and-co.myshopify.com",
    }


def test_hs_images_is_the_variants_own_image_else_the_first() -> None:
    products = product_properties(
        SHOP, Product.model_validate(fixture("2024-10/products-update.json"))
    )

    assert products[0]["hs_images"].endswith("/apron-sage.jpg?v=1727766000")
    assert products[2]["hs_images"].endswith("/apron-hook.jpg?v=1727766000")
    assert all(p["shopify_images"].count("\n") == 1 for p in products)


def test_hs_images_is_left_out_for_portals_without_it() -> None:
    products = product_properties(
        SHOP, Product.model_validate(fixture("2024-10/products-update.json")), with_hs_images=False
    )

    assert all("hs_images" not in p for p in products)


def test_empty_values_are_never_written() -> None:
    [props] = product_properties(
        SHOP,
        product(
            body_html="  ",
            handle="",
            tags="",
            images=[],
            variants=[{"id": 2, "title": "Default Title", "sku": "", "price": None}],
        ),
    )

    assert props == {
        "name": "Mug",
        "shopify_product_key": "kiln-and-co.myshopify.com:1:2",
        "shopify_product_id": "1",
        "shopify_variant_id": "2",
        "shopify_variant_title": "Default Title",
        "shopify_shop_domain": "kiln-and-co.myshopify.com",
    }


def test_a_payload_without_variants_yields_no_products() -> None:
    assert product_properties(SHOP, product()) == []


def test_the_shop_domain_is_normalised_in_keys() -> None:
    assert product_key(" Kiln-And-Co.myshopify.com ", 1, 2) == "kiln-and-co.myshopify.com:1:2"


@pytest.mark.parametrize("shop", ["", "  ", "a:b.myshopify.com", "a b.myshopify.com"])
def test_a_shop_that_cannot_be_part_of_a_key_is_refused(shop: str) -> None:
    with pytest.raises(ValueError):
        product_key(shop, 1, 2)


@pytest.mark.parametrize(
    ("key", "product_id"),
    [
        (product_key(SHOP, 8_000_000_001, 8_100_000_001), 8_000_000_001),
        ("other-shop.myshopify.com:8000000001:8100000001", None),
        (f"{SHOP}:8000000001", None),
        (f"{SHOP}:8000000001:8100000001:1", None),
        (f"{SHOP}:abc:8100000001", None),
        ("", None),
    ],
)
def test_a_product_key_names_its_product_only_for_its_own_shop(
    key: str, product_id: int | None
) -> None:
    assert product_id_of_key(SHOP, key) == product_id
