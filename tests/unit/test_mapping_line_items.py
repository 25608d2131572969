"""Line items: name (+ variant title), quantity, price, sku, product, description (D9), keys."""

import json
from pathlib import Path
from typing import Any

from shopspot.mapping.line_items import line_item_properties
from shopspot.mapping.values import html_to_text
from shopspot.shopify import Checkout, Order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"
MUG, APRON = 8802917364518273001, 8802917364518273002
PRODUCT_IDS = {4501928374650192001: "9001", 4501928374650192102: "9002"}
BODIES = {MUG: "<p>Hand-thrown <strong>stoneware</strong> mug &amp; saucer.</p>"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def test_order_lines_map_to_line_items() -> None:
    paid = Order.model_validate(fixture("2024-01/orders-paid.json"))

    lines = line_item_properties(SHOP, paid, hs_product_ids=PRODUCT_IDS, product_bodies=BODIES)

    assert lines == [
        {
            "shopify_line_item_key": "kiln-and-co.myshopify.com:1400192837465019001",
            "name": "Stoneware Mug",
            "quantity": "2",
            "price": "24.50",
            "hs_sku": "MUG-STN-350",
            "hs_product_id": "9001",
            "description": "Hand-thrown stoneware mug & saucer.",
            "shopify_shop_domain": SHOP,
        },
        {
            "shopify_line_item_key": "kiln-and-co.myshopify.com:1400192837465019002",
            "name": "Linen Apron - Sage / M",
            "quantity": "1",
            "price": "30.50",
            "hs_sku": "APR-LIN-SAGE-M",
            "hs_product_id": "9002",
            "shopify_shop_domain": SHOP,
        },
    ]


def test_checkout_lines_are_keyed_by_checkout_token_and_position() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    lines = line_item_properties(SHOP, checkout, hs_product_ids={}, product_bodies={})
    again = line_item_properties(SHOP, checkout, hs_product_ids={}, product_bodies={})

    assert [line["shopify_line_item_key"] for line in lines] == [
        "kiln-and-co.myshopify.com:checkout:9f1c2e3d4b5a69788796a5b4c3d2e1f0:0",
        "kiln-and-co.myshopify.com:checkout:9f1c2e3d4b5a69788796a5b4c3d2e1f0:1",
    ]
    assert lines == again
    assert lines[0]["name"] == "Stoneware Mug"  # variant_title "" adds nothing
    assert lines[1]["name"] == "Linen Apron - Sage / M"


def test_lines_sharing_a_cart_key_still_get_distinct_keys() -> None:
    line = {"key": "same", "title": "IPod Nano - 8GB", "variant_title": "Pink", "quantity": 1}
    checkout = Checkout.model_validate({"token": "123123123", "line_items": [line, line]})

    keys = [
        props["shopify_line_item_key"]
        for props in line_item_properties(SHOP, checkout, hs_product_ids={}, product_bodies={})
    ]

    assert len(set(keys)) == 2


def test_lines_without_a_known_product_carry_no_product_or_description() -> None:
    refunded = Order.model_validate(fixture("2024-10/orders-updated.json"))

    lines = line_item_properties(SHOP, refunded, hs_product_ids={}, product_bodies={})

    assert all("hs_product_id" not in line and "description" not in line for line in lines)
    assert "hs_sku" not in lines[0]  # sku ""
    assert lines[0]["name"] == "Linen Apron - Rust / M"


def test_default_title_is_not_appended() -> None:
    one = Order.model_validate(
        {
            "id": 1,
            "line_items": [
                {"id": 2, "title": "Mug", "variant_title": "Default Title", "quantity": 1}
            ],
        }
    )

    [props] = line_item_properties(SHOP, one, hs_product_ids={}, product_bodies={})

    assert props["name"] == "Mug"


def test_html_becomes_plain_text() -> None:
    html = (
        "<h2>Linen&nbsp;Apron</h2><p>Stone-washed   linen,<br>adjustable strap.</p>"
        "<script>track()</script><style>p{}</style><ul><li>One</li><li>Two &lt;3</li></ul>"
    )

    assert html_to_text(html) == "Linen Apron\nStone-washed linen,\nadjustable strap.\nOne\nTwo <3"
    assert html_to_text("") == ""
    assert html_to_text(None) is None
