"""Shopify payload models: every topic parses across API versions, values stay exact, PII stays out.

Shopify's own 2026-04 samples are read from the shared reference folder beside the repository
(skipped when absent); the 2024-01 and 2024-10 shapes are hand-written fixtures with invented
values in tests/fixtures/payloads/<version>/<topic file>.json.
"""

import json
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
from tests.support.deliveries import SHARED_PAYLOADS

TOPIC_MODELS = {name: topic.model for name, topic in TOPICS.items()}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"

# Shared samples for topics Shopspot does not subscribe to.
UNSUBSCRIBED_TOPICS = {"bulk_operations/finish", "customers_marketing_consent/update"}


def topic_of(path: Path) -> str:
    """``orders-paid.json`` -> ``orders/paid``; ``x__variant.json`` names a variant of x."""
    return path.stem.split("__")[0].replace("-", "/", 1)


def shared_files() -> list[Any]:
    if not SHARED_PAYLOADS.is_dir():
        reason = "Shopify's sample payloads (../shared/reference/shopify-payloads) are absent"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason))]
    return sorted(SHARED_PAYLOADS.glob("*.json"), key=lambda p: p.name)


def shared(name: str) -> dict[str, Any]:
    path = SHARED_PAYLOADS / name
    if not path.is_file():
        pytest.skip(f"Shopify's sample payload {name} is absent")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


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


@pytest.mark.parametrize("path", shared_files(), ids=lambda p: getattr(p, "name", "absent"))
def test_every_shopify_sample_parses_with_its_topic(path: Path) -> None:
    topic = topic_of(path)
    if topic in UNSUBSCRIBED_TOPICS:
        assert topic not in TOPIC_MODELS
        return
    assert topic in TOPIC_MODELS, f"{path.name} has no model"

    parsed = parse_payload(topic, json.loads(path.read_text()))

    assert type(parsed) is TOPIC_MODELS[topic]


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_every_older_version_fixture_parses_with_its_topic(path: Path) -> None:
    parsed = parse_payload(topic_of(path), json.loads(path.read_text()))

    assert type(parsed) is TOPIC_MODELS[topic_of(path)]


def test_older_version_fixtures_exist_for_both_versions() -> None:
    assert {p.parent.name for p in FIXTURES.glob("*/*.json")} == {"2024-01", "2024-10"}


def test_topics_match_like_the_router_matches_them() -> None:
    assert parse_payload(" Orders/Delete ", {"id": 1}) == DeletedObject(id=1)


def test_an_unknown_topic_is_refused() -> None:
    with pytest.raises(UnsupportedTopicError):
        parse_payload("bulk_operations/finish", {})


# --- 2026-04 samples: exact ids, Decimal money, removed fields --------------------------------


def test_order_sample_keeps_64_bit_ids_exact_and_money_decimal() -> None:
    order = parse_payload("orders/create", shared("orders-create.json"))

    assert isinstance(order, Order)
    assert order.id == 820982911946154508
    assert order.customer is not None and order.customer.id == 115310627314723954
    assert [line.id for line in order.line_items][:2] == [487817672276298554, 789012345678901234]
    assert order.total_price == Decimal("404.95")
    assert isinstance(order.total_price, Decimal)
    assert order.current_total_price == Decimal("414.95")
    assert order.checkout_id is None  # removed at 2026-04
    assert order.checkout_token is None
    assert order.processed_at is not None and order.processed_at.utcoffset() is not None


def test_checkout_sample_has_a_token_and_no_id() -> None:
    checkout = parse_payload("checkouts/create", shared("checkouts-create.json"))

    assert isinstance(checkout, Checkout)
    assert checkout.token == "123123123"
    assert checkout.id is None
    assert checkout.customer is not None and checkout.customer.id == 603851970716743426
    assert checkout.line_items[0].id is None
    assert checkout.total_price == Decimal("421.88")


def test_checkout_delete_sample_carries_id_and_cart_token() -> None:
    deleted = parse_payload("checkouts/delete", shared("checkouts-delete.json"))

    assert deleted == CheckoutDeleted(
        id=981820079255243537, token=None, cart_token="eeafa272cebfd4b22385bc4b645e762c"
    )


def test_product_sample_lists_variants_from_variant_gids() -> None:
    product = parse_payload("products/create", shared("products-create.json"))

    assert isinstance(product, Product)
    assert [v.id for v in product.variants] == [642667041472713922, 757650484644203962]
    assert product.variants[0].price == Decimal("19.99")
    assert product.tags == ("example", "mens", "t-shirt")
    assert {ref.id for ref in product.variant_refs} == {642667041472713922, 757650484644203962}


def test_customer_sample_since_2025_01_has_no_consent_tags_or_counts() -> None:
    customer = parse_payload("customers/create", shared("customers-create.json"))

    assert isinstance(customer, Customer)
    assert customer.id == 706405506930370084
    assert customer.accepts_marketing is None
    assert customer.tags == ()
    assert customer.orders_count is None and customer.total_spent is None


def test_purchasing_summary_gids_become_int_ids() -> None:
    summary = parse_payload(
        "customers/purchasing_summary", shared("customers-purchasing_summary.json")
    )

    assert isinstance(summary, PurchasingSummary)
    assert summary.customer_id == 1
    assert summary.last_order_id == 1
    assert summary.number_of_orders == 1
    assert summary.amount_spent is not None
    assert summary.amount_spent.amount == Decimal("100.00")


def test_tag_changes_know_their_direction() -> None:
    added = parse_payload("customer.tags_added", shared("customer.tags_added.json"))
    removed = parse_payload("customer.tags_removed", shared("customer.tags_removed.json"))

    assert isinstance(added, CustomerTagsAdded) and added.tags == ("tag1", "tag2")
    assert isinstance(removed, CustomerTagsRemoved) and removed.customer_id == 1


def test_email_consent_update_sample() -> None:
    update = parse_payload(
        "customers_email_marketing_consent/update",
        shared("customers_email_marketing_consent-update.json"),
    )

    assert isinstance(update, EmailConsentUpdate)
    assert update.customer_id == 706405506930370084
    assert update.accepts_marketing is False


def test_privacy_samples() -> None:
    redact = parse_payload("customers/redact", shared("customers-redact.json"))
    request = parse_payload("customers/data_request", shared("customers-data_request.json"))

    assert isinstance(redact, CustomerRedact)
    assert redact.orders_to_redact == (299938, 280263, 220458)
    assert isinstance(request, CustomerDataRequest)
    assert request.data_request is not None and request.data_request.id == 9999


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
