"""Shopify payload models: every topic parses across API versions, values stay exact, PII stays out.

The 2026-04 shapes are Shopspot's own payloads (rendered by the Shopify simulator, a few
hand-written; see tests.support.topic_payloads) and, where they are beside the checkout,
Shopify's own samples; the 2024-01 and 2024-10 shapes are hand-written fixtures with invented
values in tests/fixtures/payloads/<version>/<topic file>.json.
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shopspot.shopify import (
    MAX_ID,
    Checkout,
    CheckoutDeleted,
    Customer,
    CustomerDataRequest,
    CustomerRedact,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    DeletedObject,
    EmailConsentUpdate,
    Order,
    Product,
    PurchasingSummary,
    describe_validation_error,
)
from shopspot.topics import TOPICS, UnsupportedTopicError, parse_payload
from tests.support.reference import read_payload, topic_of
from tests.support.topic_payloads import FIXTURES, Load, every_topic, generated, own, shopify

TOPIC_MODELS = {name: topic.model for name, topic in TOPICS.items()}
OLDER_FIXTURES = sorted(FIXTURES.glob("2024-*/*.json"))
OWN = generated()

# Shopify's samples for topics Shopspot does not subscribe to.
UNSUBSCRIBED_TOPICS = {"bulk_operations/finish", "customers_marketing_consent/update"}


def fixture(name: str) -> dict[str, Any]:
    return read_payload(FIXTURES / name)


def money(cents: int) -> Decimal:
    return Decimal(cents) / 100


# --- every payload parses -------------------------------------------------------------------


def test_topic_models_cover_exactly_the_subscribed_topics() -> None:
    assert set(TOPIC_MODELS) == {
        "customers/create",
        "customers/update",
        "customers/delete",
        "customers/enable",
        "customers/disable",
        "customer.tags_added",
        "customer.tags_removed",
        "customers_email_marketing_consent/update",
        "customers/purchasing_summary",
        "products/create",
        "products/update",
        "products/delete",
        "orders/create",
        "orders/updated",
        "orders/paid",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/delete",
        "checkouts/create",
        "checkouts/update",
        "checkouts/delete",
        "customers/data_request",
        "customers/redact",
        "shop/redact",
        "app/uninstalled",
    }


@pytest.mark.parametrize(("load", "topic"), every_topic())
def test_every_payload_parses_with_its_topic(load: Load, topic: str) -> None:
    if topic in UNSUBSCRIBED_TOPICS:
        assert topic not in TOPIC_MODELS
        return
    assert topic in TOPIC_MODELS, f"{topic} has no model"

    parsed = parse_payload(topic, load(topic))

    assert type(parsed) is TOPIC_MODELS[topic]


@pytest.mark.parametrize("path", OLDER_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_older_version_fixture_parses_with_its_topic(path: Path) -> None:
    parsed = parse_payload(topic_of(path), read_payload(path))

    assert type(parsed) is TOPIC_MODELS[topic_of(path)]


def test_older_version_fixtures_exist_for_both_versions() -> None:
    assert {p.parent.name for p in OLDER_FIXTURES} == {"2024-01", "2024-10"}


def test_topics_match_like_the_router_matches_them() -> None:
    assert parse_payload(" Orders/Delete ", {"id": 1}) == DeletedObject(id=1)


def test_an_unknown_topic_is_refused() -> None:
    with pytest.raises(UnsupportedTopicError):
        parse_payload("bulk_operations/finish", {})


# --- 2026-04: exact ids, Decimal money, removed fields ----------------------------------------


@pytest.mark.parametrize(
    ("load", "order_id", "customer_id", "first_line_ids", "total", "current_total", "token"),
    [
        own(
            OWN.order.id,
            OWN.order.customer_id,
            [line.id for line in OWN.order.line_items][:2],
            money(OWN.order.total),
            money(OWN.order.total - OWN.order.refunded),
            OWN.order.checkout_token,
        ),
        shopify(
            820982911946154508,
            115310627314723954,
            [487817672276298554, 789012345678901234],
            Decimal("404.95"),
            Decimal("414.95"),
            None,
        ),
    ],
)
def test_an_order_keeps_64_bit_ids_exact_and_money_decimal(
    load: Load,
    order_id: int,
    customer_id: int,
    first_line_ids: list[int],
    total: Decimal,
    current_total: Decimal,
    token: str | None,
) -> None:
    order = parse_payload("orders/create", load("orders/create"))

    assert isinstance(order, Order)
    assert order.id == order_id
    assert order.customer is not None and order.customer.id == customer_id
    assert [line.id for line in order.line_items][:2] == first_line_ids
    assert order.total_price == total
    assert isinstance(order.total_price, Decimal)
    assert order.current_total_price == current_total
    assert order.checkout_id is None  # removed at 2026-04
    assert order.checkout_token == token
    assert order.processed_at is not None and order.processed_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("load", "token", "customer_id", "total"),
    [
        own(OWN.checkout.token, OWN.checkout.customer_id, money(OWN.checkout.total)),
        shopify("123123123", 603851970716743426, Decimal("421.88")),
    ],
)
def test_a_checkout_has_a_token_and_no_id(
    load: Load, token: str, customer_id: int, total: Decimal
) -> None:
    checkout = parse_payload("checkouts/create", load("checkouts/create"))

    assert isinstance(checkout, Checkout)
    assert checkout.token == token
    assert checkout.id is None
    assert checkout.customer is not None and checkout.customer.id == customer_id
    assert checkout.line_items[0].id is None
    assert checkout.total_price == total


@pytest.mark.parametrize(
    ("load", "expected"),
    [
        own(CheckoutDeleted(id=OWN.checkout.id, token=None, cart_token=OWN.checkout.cart_token)),
        shopify(
            CheckoutDeleted(
                id=981820079255243537, token=None, cart_token="eeafa272cebfd4b22385bc4b645e762c"
            )
        ),
    ],
)
def test_a_checkout_delete_carries_id_and_cart_token(load: Load, expected: CheckoutDeleted) -> None:
    assert parse_payload("checkouts/delete", load("checkouts/delete")) == expected


@pytest.mark.parametrize(
    ("load", "variant_ids", "first_price", "tags"),
    [
        own(
            [variant.id for variant in OWN.product.variants],
            money(OWN.product.variants[0].price),
            OWN.product.tags,
        ),
        shopify(
            [642667041472713922, 757650484644203962],
            Decimal("19.99"),
            ("example", "mens", "t-shirt"),
        ),
    ],
)
def test_a_product_lists_variants_from_variant_gids(
    load: Load, variant_ids: list[int], first_price: Decimal, tags: tuple[str, ...]
) -> None:
    product = parse_payload("products/create", load("products/create"))

    assert isinstance(product, Product)
    assert [v.id for v in product.variants] == variant_ids
    assert product.variants[0].price == first_price
    assert product.tags == tags
    assert {ref.id for ref in product.variant_refs} == set(variant_ids)


@pytest.mark.parametrize(
    ("load", "customer_id"), [own(OWN.customer.id), shopify(706405506930370084)]
)
def test_a_customer_since_2025_01_has_no_consent_tags_or_counts(
    load: Load, customer_id: int
) -> None:
    customer = parse_payload("customers/create", load("customers/create"))

    assert isinstance(customer, Customer)
    assert customer.id == customer_id
    assert customer.accepts_marketing is None
    assert customer.tags == ()
    assert customer.orders_count is None and customer.total_spent is None


@pytest.mark.parametrize(
    ("load", "customer_id", "last_order_id", "orders", "spent"),
    [
        own(
            OWN.customer.id,
            OWN.customer.last_order_id,
            OWN.customer.orders_count,
            money(OWN.customer.total_spent),
        ),
        shopify(1, 1, 1, Decimal("100.00")),
    ],
)
def test_purchasing_summary_gids_become_int_ids(
    load: Load, customer_id: int, last_order_id: int, orders: int, spent: Decimal
) -> None:
    summary = parse_payload("customers/purchasing_summary", load("customers/purchasing_summary"))

    assert isinstance(summary, PurchasingSummary)
    assert summary.customer_id == customer_id
    assert summary.last_order_id == last_order_id
    assert summary.number_of_orders == orders
    assert summary.amount_spent is not None
    assert summary.amount_spent.amount == spent


@pytest.mark.parametrize(
    ("load", "customer_id", "tags"),
    [own(OWN.customer.id, OWN.customer.tags), shopify(1, ("tag1", "tag2"))],
)
def test_tag_changes_know_their_direction(
    load: Load, customer_id: int, tags: tuple[str, ...]
) -> None:
    added = parse_payload("customer.tags_added", load("customer.tags_added"))
    removed = parse_payload("customer.tags_removed", load("customer.tags_removed"))

    assert isinstance(added, CustomerTagsAdded)
    assert isinstance(removed, CustomerTagsRemoved)
    assert (
        (added.customer_id, added.tags)
        == (removed.customer_id, removed.tags)
        == (
            customer_id,
            tags,
        )
    )


@pytest.mark.parametrize(
    ("load", "customer_id", "accepts_marketing"),
    # Shopspot's own customer is subscribed; Shopify's sample is not.
    [own(OWN.customer.id, True), shopify(706405506930370084, False)],
)
def test_email_consent_update(load: Load, customer_id: int, accepts_marketing: bool) -> None:
    topic = "customers_email_marketing_consent/update"
    update = parse_payload(topic, load(topic))

    assert isinstance(update, EmailConsentUpdate)
    assert update.customer_id == customer_id
    assert update.accepts_marketing is accepts_marketing


@pytest.mark.parametrize(
    ("load", "orders", "request_id"),
    [
        own((5820193847561029384, 5820193847561029391), 4471),
        shopify((299938, 280263, 220458), 9999),
    ],
)
def test_privacy_requests_name_their_orders(
    load: Load, orders: tuple[int, ...], request_id: int
) -> None:
    redact = parse_payload("customers/redact", load("customers/redact"))
    request = parse_payload("customers/data_request", load("customers/data_request"))

    assert isinstance(redact, CustomerRedact)
    assert redact.orders_to_redact == orders
    assert isinstance(request, CustomerDataRequest)
    assert request.orders_requested == orders
    assert request.data_request is not None and request.data_request.id == request_id


# --- older versions: renamed and removed fields -----------------------------------------------


def test_consent_comes_from_email_marketing_consent_in_2024() -> None:
    customer = Customer.model_validate(fixture("2024-01/customers-create.json"))

    assert customer.accepts_marketing is True
    assert customer.tags == ("vip", "newsletter")
    assert customer.orders_count == 3
    assert customer.total_spent == Decimal("250.40")
    assert customer.default_address is not None
    assert customer.default_address.id == 9182736450918273645


def test_consent_comes_from_legacy_accepts_marketing_in_older_shapes() -> None:
    customer = Customer.model_validate(fixture("2024-01/customers-update__accepts_marketing.json"))

    assert customer.accepts_marketing is True
    assert customer.email_marketing_consent is None


def test_consent_state_wins_over_the_legacy_flag() -> None:
    customer = Customer.model_validate(
        {
            "id": 1,
            "accepts_marketing": True,
            "email_marketing_consent": {"state": "unsubscribed"},
        }
    )

    assert customer.accepts_marketing is False


def test_a_null_consent_is_unknown_not_false() -> None:
    customer = Customer.model_validate(fixture("2024-10/customers-update.json"))

    assert customer.accepts_marketing is None
    assert customer.email is None


def test_orders_before_2026_04_carry_checkout_id() -> None:
    order = Order.model_validate(fixture("2024-01/orders-paid.json"))

    assert order.checkout_id == 3920193847561029001
    assert order.processing_method == "direct"
    assert order.customer is not None and order.customer.accepts_marketing is True


def test_guest_orders_have_no_customer() -> None:
    order = Order.model_validate(fixture("2024-10/orders-updated.json"))

    assert order.customer is None
    assert order.current_total_price == Decimal("36.90")


def test_checkouts_before_2026_04_carry_an_id() -> None:
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))

    assert checkout.id == 3920193847561029001
    assert checkout.customer is not None and checkout.customer.orders_count == 2


def test_variant_list_is_read_from_variant_ids_before_2024_04() -> None:
    product = Product.model_validate(fixture("2024-01/products-create.json"))

    assert [ref.id for ref in product.variant_refs] == [4501928374650192001]


def test_all_variant_ids_include_variants_only_listed() -> None:
    product = Product.model_validate(
        {
            "id": 1,
            "variants": [{"id": 11}],
            "variant_gids": [
                {"admin_graphql_api_id": "gid://shopify/ProductVariant/11"},
                {"admin_graphql_api_id": "gid://shopify/ProductVariant/12"},
            ],
        }
    )

    assert product.all_variant_ids == {11, 12}


# --- value rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [820982911946154508.0, 1.5, True, False, "12a", "-5", "", "١٢", None, [1], -1, MAX_ID + 1],
)
def test_ids_that_are_not_exact_integers_are_rejected(value: object) -> None:
    with pytest.raises(ValidationError):
        parse_payload("orders/delete", {"id": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (820982911946154508, 820982911946154508),
        ("820982911946154508", 820982911946154508),
        ("gid://shopify/Order/820982911946154508", 820982911946154508),
        (MAX_ID, MAX_ID),
    ],
)
def test_ids_accept_ints_digit_strings_and_gids(value: object, expected: int) -> None:
    assert parse_payload("orders/delete", {"id": value}) == DeletedObject(id=expected)


@pytest.mark.parametrize("value", [404.95, True, "NaN", "Infinity", "4,04", "abc"])
def test_money_that_is_not_an_exact_decimal_is_rejected(value: object) -> None:
    with pytest.raises(ValidationError):
        Order.model_validate({"id": 1, "total_price": value})


def test_money_accepts_decimal_strings_and_ints() -> None:
    assert Order.model_validate({"id": 1, "total_price": "0.10"}).total_price == Decimal("0.10")
    assert Order.model_validate({"id": 1, "total_price": 12}).total_price == Decimal(12)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Order.model_validate({"id": 1, "created_at": "2024-01-01T10:00:00"})


def test_datetimes_keep_their_offset() -> None:
    order = Order.model_validate({"id": 1, "created_at": "2021-12-31T19:00:00-05:00"})

    assert order.created_at == datetime.fromisoformat("2022-01-01T00:00:00+00:00")


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("a, b ,,c", ("a", "b", "c")),
        ("", ()),
        (None, ()),
        (["a", " b "], ("a", "b")),
    ],
)
def test_tags_are_normalised_from_a_string_or_a_list(
    tags: object, expected: tuple[str, ...]
) -> None:
    assert Customer.model_validate({"id": 1, "tags": tags}).tags == expected


def test_tags_of_another_shape_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Customer.model_validate({"id": 1, "tags": [1, 2]})


def test_a_deleted_checkout_must_be_identifiable() -> None:
    with pytest.raises(ValidationError):
        parse_payload("checkouts/delete", {"presentment_currency": "USD"})


def test_a_checkout_needs_its_token() -> None:
    with pytest.raises(ValidationError):
        parse_payload("checkouts/update", {"token": ""})


# --- no PII in errors or reprs ----------------------------------------------------------------

PII = ["ada.lovelace@example.org", "Lovelace", "+33 4 72", "Analytical", "Lyon", "69002"]


def test_validation_error_descriptions_name_fields_and_types_only() -> None:
    payload = fixture("2024-01/orders-paid.json")
    payload["id"] = 1.5
    payload["email"] = ["ada.lovelace@example.org"]
    payload["customer"]["first_name"] = {"value": "Ada"}
    payload["billing_address"]["zip"] = 69002

    with pytest.raises(ValidationError) as caught:
        Order.model_validate(payload)
    description = describe_validation_error(caught.value)

    assert description.startswith("Order: 4 invalid fields: ")
    assert "id (exact_int)" in description
    assert "email (string_type)" in description
    assert "customer.first_name (string_type)" in description
    assert "billing_address.zip (string_type)" in description
    for value in PII:
        assert value.lower() not in description.lower()
        assert value.lower() not in str(caught.value).lower()


def test_reprs_leave_personal_data_out() -> None:
    models = [
        Order.model_validate(fixture("2024-01/orders-paid.json")),
        Checkout.model_validate(fixture("2024-01/checkouts-create.json")),
        Customer.model_validate(fixture("2024-01/customers-create.json")),
        EmailConsentUpdate.model_validate(
            {"customer_id": 1, "email_address": "ada.lovelace@example.org"}
        ),
        CustomerRedact.model_validate(
            {
                "shop_domain": "kiln.myshopify.com",
                "customer": {"id": 1, "email": "ada.lovelace@example.org", "phone": "+33 4 72"},
            }
        ),
    ]

    for model in models:
        text = repr(model).lower()
        assert text.startswith(type(model).__name__.lower() + "(")
        for value in [*PII, "Gift wrap", "recover?key", "utm_source"]:
            assert value.lower() not in text, f"{value!r} in repr of {type(model).__name__}"
