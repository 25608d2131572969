"""Contacts: lower-cased email key, C3 (empty never written), C4 list, C5 phone, C8 origin, C9."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopspot.mapping.contacts import (
    PurchaseFacts,
    buyer_contact_properties,
    consent_properties,
    contact_email,
    contact_properties,
    facts_from_summary,
    purchase_facts_properties,
    tag_change_properties,
)
from shopspot.shopify import (
    Checkout,
    Customer,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    EmailConsentUpdate,
    Order,
    PurchasingSummary,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


def customer(**fields: Any) -> Customer:
    return Customer.model_validate({"id": 42, **fields})


def test_a_2024_customer_maps_to_the_c4_properties() -> None:
    props = contact_properties(
        SHOP, Customer.model_validate(fixture("2024-01/customers-create.json"))
    )

    assert props == {
        "email": "ada.lovelace@example.org",
        "firstname": "Ada",
        "lastname": "Lovelace",
        "address": "12 Analytical Row, Flat 3",
        "city": "Lyon",
        "zip": "69002",
        "country": "France",
        "shopify_customer_id": "7391846522918374401",
        "shopify_accepts_marketing": "true",
        "shopify_created_at": "2024-02-14T14:31:07.000Z",
        "shopify_note": "Prefers morning delivery",
        "shopify_tags": "vip, newsletter",
        "shopify_tax_exempt": "false",
        "shopify_verified_email": "true",
        "shopify_orders_count": "3",
        "shopify_total_spent": "250.40",
        "shopify_shop_domain": "kiln-and-co.myshopify.com",
    }


def test_legacy_accepts_marketing_and_checkboxes() -> None:
    props = contact_properties(
        SHOP,
        Customer.model_validate(fixture("2024-01/customers-update__accepts_marketing.json")),
    )

    assert props["shopify_accepts_marketing"] == "true"
    assert props["shopify_tax_exempt"] == "true"
    assert props["shopify_verified_email"] == "false"
    assert props["phone"] == "+14155550123"
    assert "shopify_sync_origin" not in props


def test_empty_values_are_never_written() -> None:
    props = contact_properties(
        SHOP, Customer.model_validate(fixture("2024-10/customers-update.json"))
    )

    assert "email" not in props  # C2: no email, no contact to create
    assert "shopify_note" not in props  # whitespace only
    assert "shopify_tags" not in props  # ""
    assert "shopify_accepts_marketing" not in props  # consent null: unknown, not false
    assert all(value.strip() for value in props.values())


def test_a_customer_with_nothing_but_an_id_writes_only_its_id() -> None:
    props = contact_properties(
        SHOP,
        customer(
            email=" ",
            first_name="",
            phone=None,
            tags=[],
            default_address={"address1": "", "address2": None, "city": " "},
        ),
    )

    assert props == {"shopify_customer_id": "42", "shopify_shop_domain": SHOP}


def test_phone_comes_from_the_customer_not_the_address() -> None:
    person = customer(phone=None, default_address={"phone": "555-555-5555"})

    assert "phone" not in contact_properties(SHOP, person)


def test_phone_falls_back_to_the_address_only_when_asked() -> None:
    person = customer(phone=None, default_address={"phone": "555-555-5555"})

    props = contact_properties(SHOP, person, phone_from_address=True)

    assert props["phone"] == "555-555-5555"


def test_the_customers_own_phone_wins_even_with_the_fallback() -> None:
    person = customer(phone="+15550001111", default_address={"phone": "555-555-5555"})

    props = contact_properties(SHOP, person, phone_from_address=True)

    assert props["phone"] == "+15550001111"


def test_address_is_address1_then_address2() -> None:
    person = customer(default_address={"address1": "1 Main St", "address2": "Unit 4"})
    alone = customer(default_address={"address1": "1 Main St", "address2": ""})
    second = customer(default_address={"address1": " ", "address2": "Unit 4"})

    assert contact_properties(SHOP, person)["address"] == "1 Main St, Unit 4"
    assert contact_properties(SHOP, alone)["address"] == "1 Main St"
    assert contact_properties(SHOP, second)["address"] == "Unit 4"


@pytest.mark.parametrize(
    ("email", "expected"),
    [(" Ada.Lovelace@Example.ORG ", "ada.lovelace@example.org"), ("", None), (None, None)],
)
def test_the_email_key_is_stripped_and_lower_cased(email: str | None, expected: str | None) -> None:
    assert contact_email(email) == expected


def test_an_order_buyer_is_the_embedded_customer() -> None:
    order = Order.model_validate(fixture("2024-01/orders-paid.json"))

    props = buyer_contact_properties(SHOP, order)

    assert props["email"] == "ada.lovelace@example.org"
    assert props["shopify_customer_id"] == "7391846522918374401"
    assert props["firstname"] == "Ada"
    assert "phone" not in props  # the customer has none; the address phone is not used


def test_a_guest_buyer_is_the_email_and_names_typed_at_checkout() -> None:
    order = Order.model_validate(fixture("2024-10/orders-updated.json"))
    checkout = Checkout.model_validate(fixture("2024-10/checkouts-update.json"))

    assert buyer_contact_properties(SHOP, order) == {
        "email": "guest.buyer@example.com",  # email is "", contact_email is used
        "firstname": "Guest",
        "lastname": "Buyer",
        "shopify_shop_domain": SHOP,
    }
    assert buyer_contact_properties(SHOP, checkout)["email"] == ("guest.buyer@example.com")


def test_a_buyer_without_email_yields_no_email() -> None:
    checkout = Checkout.model_validate({"token": "abc", "email": None})

    assert "email" not in buyer_contact_properties(SHOP, checkout)


def test_consent_updates_map_to_accepts_marketing() -> None:
    update = EmailConsentUpdate.model_validate(
        {
            "customer_id": 7,
            "email_address": "Bob@Example.com",
            "email_marketing_consent": {"state": "subscribed"},
        }
    )

    assert consent_properties(SHOP, update) == {
        "email": "bob@example.com",
        "shopify_customer_id": "7",
        "shopify_accepts_marketing": "true",
        "shopify_shop_domain": SHOP,
    }


def test_tag_changes_merge_into_the_current_tags() -> None:
    added = CustomerTagsAdded.model_validate({"customerId": 1, "tags": ["vip", "new"]})
    removed = CustomerTagsRemoved.model_validate({"customerId": 1, "tags": ["vip"]})

    assert tag_change_properties("vip, wholesale", added) == {"shopify_tags": "vip, wholesale, new"}
    assert tag_change_properties("vip, wholesale", removed) == {"shopify_tags": "wholesale"}
    assert tag_change_properties(None, added) == {"shopify_tags": "vip, new"}


def test_removing_the_last_tag_clears_the_property() -> None:
    removed = CustomerTagsRemoved.model_validate({"customerId": 1, "tags": ["vip"]})

    assert tag_change_properties("vip", removed) == {"shopify_tags": ""}


def test_purchase_facts_map_to_the_c9_properties() -> None:
    facts = PurchaseFacts(
        orders_count=4,
        total_spent=Decimal("1E+2"),
        first_order_date=datetime(2024, 1, 2, 3, 4, 5, 600000, tzinfo=UTC),
        last_order_date=datetime(2024, 6, 1, tzinfo=UTC),
    )

    assert purchase_facts_properties(facts) == {
        "shopify_orders_count": "4",
        "shopify_total_spent": "100",
        "shopify_first_order_date": "2024-01-02T03:04:05.600Z",
        "shopify_last_order_date": "2024-06-01T00:00:00.000Z",
    }
    assert purchase_facts_properties(PurchaseFacts()) == {}


def test_a_purchasing_summary_gives_count_and_total() -> None:
    summary = PurchasingSummary.model_validate(
        {
            "customerId": "gid://shopify/Customer/1",
            "numberOfOrders": "3",
            "amountSpent": {"amount": "120.50", "currencyCode": "EUR"},
        }
    )

    assert facts_from_summary(summary) == PurchaseFacts(
        orders_count=3, total_spent=Decimal("120.50")
    )
