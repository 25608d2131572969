"""C1-C10, W7: customers and buyers as contacts, deduplicated by email, following their
customer, newest source winning."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.e2e.conftest import Shopspot
from tests.support.env import ROOT, SHOP
from tests.support.processes import wait_for
from tests.support.shopify import MUG_LINE, checkout, customer, order

pytestmark = pytest.mark.integration

CONTACT_FIELDS = (
    "email", "firstname", "lastname", "phone", "address", "city", "state", "zip", "country",
    "shopify_accepts_marketing", "shopify_created_at", "shopify_note", "shopify_orders_count",
    "shopify_tags", "shopify_tax_exempt", "shopify_verified_email", "shopify_customer_id",
    "shopify_sync_origin", "shopify_total_spent", "shopify_first_order_date",
    "shopify_last_order_date", "shopify_shop_domain",
)  # fmt: skip


def test_c1_customers_and_checkout_buyers_are_one_contact_per_email(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer(email="Ada@Example.com"))
    shopspot.send("checkouts/create", checkout(email="ADA@example.COM"))
    shopspot.send("checkouts/create", checkout(token="b" * 32, email="grace@example.com"))

    emails = sorted(c["email"] for c in shopspot.records("contacts", "email"))
    assert emails == ["ada@example.com", "grace@example.com"]


def test_c2_no_contact_without_an_email(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer(email=None))
    shopspot.send("checkouts/create", checkout(email=None))

    assert shopspot.records("contacts") == []
    assert len(shopspot.records("deals")) == 1


def test_c3_an_empty_shopify_value_never_blanks_a_hubspot_value(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("customers/update", customer(minute=5, first_name="", note=None, phone=None))

    ada = shopspot.one("contacts", "firstname", "shopify_note", "phone")
    assert (ada["firstname"], ada["shopify_note"]) == ("Ada", "Prefers email")
    assert ada["phone"] == "+44 7700 900001"


def test_c4_a_contact_has_every_customer_property(shopspot: Shopspot) -> None:
    shopspot.send(
        "customers/create",
        customer(tags="vip, newsletter", orders_count=3, total_spent="120.50",
                 email_marketing_consent={"state": "subscribed", "opt_in_level": "single_opt_in",
                                          "consent_updated_at": None}),
    )  # fmt: skip

    ada = shopspot.one("contacts", *CONTACT_FIELDS)
    assert ada["email"] == "ada@example.com"
    assert (ada["firstname"], ada["lastname"]) == ("Ada", "Lovelace")
    assert ada["address"] == "12 Analytical Row, Floor 2"
    assert (ada["city"], ada["state"], ada["zip"], ada["country"]) == (
        "London",
        "England",
        "N1 9GU",
        "United Kingdom",
    )
    assert ada["shopify_accepts_marketing"] == "true"
    assert ada["shopify_tax_exempt"] == "false"
    assert ada["shopify_verified_email"] == "true"
    assert ada["shopify_note"] == "Prefers email"
    assert ada["shopify_tags"] == "vip, newsletter"
    assert float(ada["shopify_orders_count"]) == 3
    assert float(ada["shopify_total_spent"]) == 120.5
    assert ada["shopify_customer_id"] == "7000000000000001"
    assert ada["shopify_created_at"] == "2026-11-02T09:00:00.000Z"
    assert ada["shopify_shop_domain"] == "test-shop.myshopify.com"


def test_c5_the_phone_comes_from_the_customer_never_the_address(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer(phone=None))

    assert "phone" not in {k for k, v in shopspot.one("contacts", "phone").items() if v}


def test_c6_deleting_a_customer_keeps_the_contact(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("customers/delete", {"id": 7_000_000_000_000_001, "tax_exemptions": []})

    assert shopspot.one("contacts", "email")["email"] == "ada@example.com"


def test_c7_a_contact_deleted_in_hubspot_is_not_recreated(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    ada = shopspot.one("contacts", "email")
    shopspot.hubspot.api.delete(f"/crm/v3/objects/contacts/{ada['id']}").raise_for_status()

    shopspot.send("customers/update", customer(minute=5, first_name="Augusta"))
    shopspot.send("orders/create", order())

    assert shopspot.records("contacts") == []
    (deal,) = shopspot.records("deals", "dealname")
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == []
    assert shopspot.dead_letters.list() == []
    # Skipped, not failed: the update and the order's buyer.
    assert _status(shopspot)["skipped_deleted_in_hubspot"] == {SHOP: 2}


def test_c8_contacts_say_how_shopspot_first_met_them(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("customers/update", customer(minute=5))

    assert shopspot.one("contacts", "shopify_sync_origin")["shopify_sync_origin"] == "live"


def test_c9_purchase_facts_are_kept_current_on_the_contact(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer(orders_count=1, total_spent="50.00"))
    later = "2026-11-03T10:00:00-05:00"
    # Another order: its own line (Shopify's line item ids are unique across orders).
    line = (9_000_000_000_000_002, *MUG_LINE[1:])
    shopspot.send(
        "orders/create",
        order(order_id=6_000_000_000_000_002, created_at=later, processed_at=later, lines=[line]),
    )
    shopspot.send("orders/create", order(order_id=6_000_000_000_000_001))
    summary = {
        "customerId": "gid://shopify/Customer/7000000000000001",
        "numberOfOrders": 2,
        "amountSpent": {"amount": "100.00", "currencyCode": "USD"},
        "lastOrderId": "gid://shopify/Order/6000000000000002",
        "occurredAt": "2026-11-03T15:00:01Z",
    }
    shopspot.send("customers/purchasing_summary", summary)

    ada = shopspot.one("contacts", *CONTACT_FIELDS)
    assert shopspot.dead_letters.list() == []
    assert ada["shopify_first_order_date"] == "2026-11-02T09:05:00.000Z"
    assert ada["shopify_last_order_date"] == "2026-11-03T15:00:00.000Z"
    assert float(ada["shopify_orders_count"]) == 2
    assert float(ada["shopify_total_spent"]) == 100.0


def test_tags_and_consent_topics_of_2025_stores_update_the_contact(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer(tags="vip"))
    gid = "gid://shopify/Customer/7000000000000001"
    shopspot.send("customer.tags_added", {"customerId": gid, "tags": ["gifts"],
                                          "occurredAt": "2026-11-02T10:00:00Z"})  # fmt: skip
    shopspot.send("customer.tags_removed", {"customerId": gid, "tags": ["vip"],
                                            "occurredAt": "2026-11-02T10:05:00Z"})  # fmt: skip
    shopspot.send(
        "customers_email_marketing_consent/update",
        {"customer_id": 7_000_000_000_000_001, "email_address": "ada@example.com",
         "email_marketing_consent": {"state": "subscribed", "opt_in_level": "confirmed_opt_in",
                                     "consent_updated_at": "2026-11-02T10:10:00Z"}},
    )  # fmt: skip

    ada = shopspot.one("contacts", "shopify_tags", "shopify_accepts_marketing")
    assert ada["shopify_tags"] == "gifts"
    assert ada["shopify_accepts_marketing"] == "true"


@pytest.mark.parametrize("version", ["2024-01", "2024-10"])
def test_older_api_versions_sync_too(shopspot: Shopspot, version: str) -> None:
    folder = ROOT / "tests" / "fixtures" / "payloads" / version
    for path in sorted(folder.glob("*.json")):
        topic = path.name.split("__")[0].removesuffix(".json").replace("-", "/")
        shopspot.send(topic, json.loads(path.read_text()))

    assert shopspot.dead_letters.list() == []
    assert shopspot.records("contacts", "email")
    assert shopspot.records("deals", "dealname")


def test_w7_a_late_order_never_undoes_a_newer_customer_update(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("customers/update", customer(minute=20, last_name="King", note="Moved"))
    # Shopify retries orders/create for hours with its first body: the buyer as of minute 0.
    shopspot.send("orders/create", order(minute=10, buyer=customer()))

    ada = shopspot.one("contacts", "lastname", "shopify_note", "shopify_first_order_date")
    assert (ada["lastname"], ada["shopify_note"]) == ("King", "Moved")
    assert ada["shopify_first_order_date"] == "2026-11-02T09:05:00.000Z"  # the order still counts
    (deal,) = shopspot.records("deals")
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == [ada["id"]]


def test_w7_a_newer_customer_update_wins_over_an_earlier_order(shopspot: Shopspot) -> None:
    shopspot.send("orders/create", order(minute=10, buyer=customer()))
    shopspot.send("customers/update", customer(minute=20, last_name="King"))
    shopspot.send("orders/updated", order(minute=15, buyer=customer(), financial_status="paid"))
    assert shopspot.one("contacts", "lastname")["lastname"] == "King"

    # A newer snapshot of the customer inside an order still updates the contact.
    shopspot.send("orders/updated", order(minute=40, buyer=customer(minute=30, last_name="Byron")))
    assert shopspot.one("contacts", "lastname")["lastname"] == "Byron"


def test_w7_two_orders_of_one_buyer_in_one_flush(shopspot: Shopspot) -> None:
    later, between = "2026-11-04T10:00:00Z", "2026-11-03T10:00:00Z"
    newer = order(
        order_id=6_000_000_000_000_002, minute=50, created_at=later, processed_at=later,
        lines=[(9_000_000_000_000_002, *MUG_LINE[1:])],
        buyer=customer(minute=30, last_name="Byron"),
    )  # fmt: skip
    older = order(minute=40, buyer=customer(minute=10, last_name="Lovelace"))
    before = shopspot.handled()
    for payload in (newer, older):  # queued together: one flush writes both
        assert shopspot.post("orders/create", payload).status_code == 200
    wait_for(lambda: shopspot.handled() >= before + 2, message="both orders/create tasks")
    shopspot.settle()

    ada = shopspot.one(
        "contacts", "lastname", "shopify_first_order_date", "shopify_last_order_date"
    )
    assert ada["lastname"] == "Byron"
    assert ada["shopify_first_order_date"] == "2026-11-02T09:05:00.000Z"
    assert ada["shopify_last_order_date"] == "2026-11-04T10:00:00.000Z"

    # C9 holds across flushes too, for a contact the orders themselves created.
    third = order(
        order_id=6_000_000_000_000_003, minute=60, created_at=between, processed_at=between,
        lines=[(9_000_000_000_000_003, *MUG_LINE[1:])],
    )  # fmt: skip
    shopspot.send("orders/create", third)
    dates = shopspot.one("contacts", "shopify_first_order_date", "shopify_last_order_date")
    assert dates["shopify_first_order_date"] == "2026-11-02T09:05:00.000Z"
    assert dates["shopify_last_order_date"] == "2026-11-04T10:00:00.000Z"


def _status(shopspot: Shopspot) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["status", "--json"], env=shopspot.cli_env)
    assert result.exit_code == 0, result.output
    status: dict[str, Any] = json.loads(result.output)
    return status


def test_c10_a_changed_email_moves_the_contact_instead_of_making_another(
    shopspot: Shopspot,
) -> None:
    shopspot.send("customers/create", customer())
    (before,) = shopspot.records("contacts", "email")
    shopspot.send("customers/update", customer(minute=20, email="ada.byron@example.com"))
    # A late order still carries the customer with the old email: same contact, not a new one.
    shopspot.send("orders/create", order(minute=10, buyer=customer()))

    (after,) = shopspot.records("contacts", "email", "lastname")
    assert (after["id"], after["email"]) == (before["id"], "ada.byron@example.com")
    (deal,) = shopspot.records("deals")
    assert shopspot.hubspot.associated("deals", deal["id"], "contacts") == [after["id"]]
    # A guest typing the new email still finds the contact by email.
    guest = order(order_id=6_000_000_000_000_002, email="Ada.Byron@example.com",
                  lines=[(9_000_000_000_000_002, *MUG_LINE[1:])])  # fmt: skip
    shopspot.send("orders/create", guest)
    assert [c["id"] for c in shopspot.records("contacts")] == [before["id"]]
    changes = _status(shopspot)["email_changes"]
    assert (changes["followed"], changes["taken"]) == (1, 0)
    assert changes["recent"][0]["contact_id"] == before["id"]
    assert "example.com" not in json.dumps(changes)  # ids only, no email


def test_c10_an_email_another_contact_holds_is_written_there_and_the_old_one_is_left(
    shopspot: Shopspot,
) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("customers/create", customer(7_000_000_000_000_002, "grace@example.com",
                                               first_name="Grace", last_name="Hopper"))  # fmt: skip
    shopspot.send("customers/update", customer(minute=20, email="grace@example.com", note="Moved"))
    shopspot.send("customers/update", customer(minute=30, email="grace@example.com", note="Again"))

    contacts = {c["email"]: c for c in shopspot.records("contacts", "email", "shopify_note")}
    assert set(contacts) == {"ada@example.com", "grace@example.com"}
    assert contacts["ada@example.com"]["shopify_note"] == "Prefers email"  # left untouched
    assert contacts["grace@example.com"]["shopify_note"] == "Again"
    changes = _status(shopspot)["email_changes"]
    assert (changes["followed"], changes["taken"]) == (0, 1)
