"""GraphQL bulk objects into the webhook shape the payload models read."""

from __future__ import annotations

from decimal import Decimal

from shopspot.backfill import convert
from shopspot.shopify.models import Customer, Order, Product

MONEY = {"shopMoney": {"amount": "50.0", "currencyCode": "USD"},
         "presentmentMoney": {"amount": "46.0", "currencyCode": "EUR"}}  # fmt: skip
CUSTOMER = {
    "id": "gid://shopify/Customer/9223372036854775000",
    "email": "Ada@Example.com",
    "firstName": "Ada",
    "tags": ["vip", "gifts"],
    "taxExempt": False,
    "verifiedEmail": True,
    "numberOfOrders": "3",
    "amountSpent": {"amount": "120.5", "currencyCode": "USD"},
    "emailMarketingConsent": {"marketingState": "SUBSCRIBED", "marketingOptInLevel": None},
    "createdAt": "2026-01-02T03:04:05Z",
    "updatedAt": "2026-02-02T03:04:05Z",
    "defaultAddress": {"address1": "1 Row", "city": "London", "phone": "+44 1"},
}


def test_ids_above_two_to_the_53_stay_exact() -> None:
    parsed = Customer.model_validate(convert.customer(CUSTOMER))

    assert parsed.id == 9223372036854775000
    assert parsed.accepts_marketing is True
    assert parsed.tags == ("vip", "gifts")
    assert parsed.orders_count == 3
    assert parsed.total_spent == Decimal("120.5")


def test_an_order_reads_as_its_webhook_would() -> None:
    node = {
        "id": "gid://shopify/Order/6000000000000001",
        "name": "#1042",
        "displayFinancialStatus": "PARTIALLY_REFUNDED",
        "displayFulfillmentStatus": "FULFILLED",
        "cancelReason": None,
        "currencyCode": "USD",
        "totalPriceSet": MONEY,
        "currentTotalPriceSet": MONEY,
        "createdAt": "2026-03-01T10:00:00Z",
        "updatedAt": "2026-03-02T10:00:00Z",
        "processedAt": "2026-03-01T10:00:00Z",
        "customer": CUSTOMER,
    }
    line = {
        "id": "gid://shopify/LineItem/1",
        "title": "Mug",
        "quantity": 2,
        "product": {"id": "gid://shopify/Product/7"},
        "variant": {"id": "gid://shopify/ProductVariant/8"},
        "originalUnitPriceSet": MONEY,
        "__parentId": "gid://shopify/Order/6000000000000001",
    }
    order = Order.model_validate(convert.order(node, [line]))

    assert (order.order_number, order.financial_status) == (1042, "partially_refunded")
    assert order.fulfillment_status == "fulfilled"
    assert order.total_price == Decimal("50.0")
    assert order.checkout_token is None  # GraphQL does not say
    assert [(li.product_id, li.variant_id, li.price) for li in order.line_items] == [
        (7, 8, Decimal("50.0"))
    ]


def test_a_checkout_token_comes_from_its_recovery_url() -> None:
    url = "https://shop.example.com/548380009/checkouts/ac/0123abcdef/recover?key=k"

    assert convert.checkout_token(url, "gid://shopify/AbandonedCheckout/5") == "0123abcdef"
    assert convert.checkout_token(None, "gid://shopify/AbandonedCheckout/5") == "checkout5"


def test_a_product_keeps_its_variants_and_images() -> None:
    node = {"id": "gid://shopify/Product/7", "title": "Mug", "tags": ["kitchen"],
            "descriptionHtml": "<p>Tea</p>", "updatedAt": "2026-03-01T10:00:00Z"}  # fmt: skip
    children = [
        {"id": "gid://shopify/ProductVariant/8", "title": "Small", "price": "9.50",
         "__parentId": node["id"]},
        {"url": "https://cdn.example.com/mug.jpg", "__parentId": node["id"]},
    ]  # fmt: skip
    product = Product.model_validate(convert.product(node, children))

    assert [(v.id, v.title, v.price) for v in product.variants] == [(8, "Small", Decimal("9.50"))]
    assert [image.src for image in product.images] == ["https://cdn.example.com/mug.jpg"]
    assert product.body_html == "<p>Tea</p>"
