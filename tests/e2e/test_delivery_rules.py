"""S1, S3 and the delivery rules W2, W3, W5, end to end."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.e2e.conftest import OTHER_SHOP, Shopspot
from tests.support.processes import wait_for
from tests.support.shopify import checkout, customer, order, product

pytestmark = pytest.mark.integration


def test_s1_setup_creates_everything_once(shopspot: Shopspot) -> None:
    shopspot.hubspot.control.post("/_sandbox/reset", json={})  # an untouched portal
    runner = CliRunner()
    first = runner.invoke(main, ["setup"], env=shopspot.cli_env)
    second = runner.invoke(main, ["setup"], env=shopspot.cli_env)

    assert first.exit_code == 0, first.output
    assert "created   deal pipeline Ecommerce Pipeline" in first.output
    assert "created   deals property shopify_deal_key" in first.output
    assert ": 0 created, " in second.output.splitlines()[-1], second.output
    properties = shopspot.hubspot.api.get("/crm/v3/properties/deals/shopify_deal_key").json()
    assert properties["hasUniqueValue"] is True
    assert properties["groupName"] == "shopify"
    pipelines = shopspot.hubspot.api.get("/crm/v3/pipelines/deals").json()["results"]
    assert [p["label"] for p in pipelines].count("Ecommerce Pipeline") == 1


def test_s3_two_stores_sync_into_one_account_without_colliding(shopspot: Shopspot) -> None:
    # The same ids in both stores: Shopify ids are only unique within a shop.
    for shop, secret in (("test-shop.myshopify.com", None), (OTHER_SHOP, "second-secret")):
        extra = {"secret": secret} if secret else {}
        shopspot.send("products/create", product(), shop=shop, **extra)
        shopspot.send("orders/create", order(email=f"buyer@{shop}"), shop=shop, **extra)

    deals = shopspot.records("deals", "shopify_shop_domain", "shopify_deal_key")
    products = shopspot.records("products", "shopify_shop_domain")
    assert sorted(d["shopify_shop_domain"] for d in deals) == [
        OTHER_SHOP,
        "test-shop.myshopify.com",
    ]
    assert sorted(p["shopify_shop_domain"] for p in products) == [
        OTHER_SHOP,
        "test-shop.myshopify.com",
    ]
    assert len({d["shopify_deal_key"] for d in deals}) == 2


def test_w2_an_older_version_never_overwrites_a_newer_one(shopspot: Shopspot) -> None:
    shopspot.send("customers/update", customer(minute=10, first_name="Newer"))
    shopspot.send("customers/update", customer(minute=5, first_name="Older"))
    shopspot.send("orders/updated", order(minute=20, billing_address=None))
    shopspot.send("orders/create", order(minute=10, financial_status="pending"))

    assert shopspot.one("contacts", "firstname")["firstname"] == "Newer"
    assert shopspot.stage(shopspot.one("deals", "dealstage")) == "Processed"


def test_w2_a_burst_of_duplicates_has_one_effect(shopspot: Shopspot) -> None:
    for _ in range(3):
        shopspot.post("orders/create", order(), event_id="same-event")
    shopspot.post("orders/paid", order())
    shopspot.settle()

    assert len(shopspot.records("deals")) == 1
    assert len(shopspot.records("line_items")) == 1
    assert len(shopspot.records("contacts")) == 1


def test_w3_a_hubspot_outage_loses_nothing(shopspot: Shopspot) -> None:
    shopspot.hubspot.configure(fault_503_probability=1.0)
    shopspot.post("orders/create", order())
    shopspot.post("checkouts/create", checkout(token="e" * 32))
    wait_for(lambda: shopspot.hubspot.stats()["injected_faults"], message="the outage to bite")
    shopspot.hubspot.configure(fault_503_probability=0.0)
    shopspot.settle()

    assert len(shopspot.records("deals")) == 2
    assert shopspot.dead_letters.list() == []
    assert shopspot.hubspot.stats()["injected_faults"]


def test_w3_a_flush_that_outlives_its_time_limit_loses_nothing(shopspot: Shopspot) -> None:
    # A second per HubSpot call: an order's flush outlives the tests' 4 s task time limit.
    limits = shopspot.worker.log().count("Soft time limit")
    shopspot.hubspot.configure(latency_ms=1000)
    shopspot.post("orders/create", order())
    wait_for(
        lambda: shopspot.worker.log().count("Soft time limit") > limits,
        timeout=30,
        message="a flush to outlive its time limit",
    )
    shopspot.hubspot.configure(latency_ms=0)
    shopspot.settle()

    assert len(shopspot.records("deals")) == 1
    assert shopspot.dead_letters.list() == []


@pytest.mark.dead_letters
def test_w5_customer_redact_erases_what_shopspot_keeps(shopspot: Shopspot) -> None:
    shopspot.send("customers/create", customer())
    shopspot.send("orders/create", order(buyer=customer()))
    shopspot.post("customers/create", {**customer(customer_id=5), "id": "not-a-number"})
    shopspot.settle()
    assert shopspot.dead_letters.count() == 1
    before = _state_keys(shopspot)

    shopspot.send(
        "customers/redact",
        {"shop_id": 1, "shop_domain": "test-shop.myshopify.com",
         "customer": {"id": 7_000_000_000_000_001, "email": "ada@example.com"},
         "orders_to_redact": [6_000_000_000_000_001]},
    )  # fmt: skip

    after = _state_keys(shopspot)
    assert any("customer:test-shop" in k for k in before)
    assert not any("customer:test-shop" in k for k in after)
    traced = ("|customer|7000000000000001", "|order|6000000000000001")
    assert all(any(k.endswith(story) for k in before) for story in traced)
    assert not any(k.endswith(story) for k in after for story in traced)
    assert shopspot.dead_letters.count() == 0
    assert shopspot.one("contacts", "email")["email"] == "ada@example.com"  # HubSpot's stays


def test_w5_shop_redact_erases_everything_of_the_shop(shopspot: Shopspot) -> None:
    shopspot.send("products/create", product())
    shopspot.send("orders/create", order(buyer=customer()))
    shopspot.send("products/create", product(), shop=OTHER_SHOP, secret="second-secret")

    shopspot.send("shop/redact", {"shop_id": 1, "shop_domain": "test-shop.myshopify.com"})

    keys = _state_keys(shopspot)
    assert not any("test-shop.myshopify.com" in k for k in keys if "activity" not in k)
    assert any(OTHER_SHOP in k for k in keys)


def test_w5_a_data_request_is_recorded(shopspot: Shopspot) -> None:
    shopspot.send(
        "customers/data_request",
        {"shop_id": 1, "shop_domain": "test-shop.myshopify.com",
         "customer": {"id": 7, "email": "ada@example.com"}, "orders_requested": [],
         "data_request": {"id": 9999}},
    )  # fmt: skip

    (entry,) = [
        json.loads(raw) for raw in shopspot.redis.lrange("shopspot:privacy:requests", 0, -1)
    ]
    assert entry["customer_id"] == 7
    assert "ada@example.com" not in json.dumps(entry)


def _state_keys(shopspot: Shopspot) -> list[str]:
    return [
        k.decode()
        for pattern in ("shopspot:mem:*", "shopspot:delivery:*", "shopspot:trace:*")
        for k in shopspot.redis.scan_iter(match=pattern)
    ]
