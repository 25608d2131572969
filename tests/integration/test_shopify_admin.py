"""The Shopify Admin client within Shopify's query-cost budget, on the store simulator."""

from __future__ import annotations

from pydantic import SecretStr

from sandbox.shopify.config import ThrottleSettings
from shopspot.settings import Store
from shopspot.shopify.admin import ShopifyAdmin
from tests.sandbox.shopify_fixtures import TOKEN, running_simulator, small_config

PAGE = "{ customers(first: 20) { nodes { id email } } }"


def test_throttled_queries_wait_for_the_bucket_and_succeed() -> None:
    # A bucket that holds one page's cost and refills slowly: every other query is throttled.
    throttle = ThrottleSettings(maximum_available=30.0, restore_rate=40.0)
    with running_simulator(small_config(throttle=throttle)) as simulator:
        store = Store(domain="shopspot-simulator.myshopify.com",
                      webhook_secrets=(SecretStr("s"),), access_token=SecretStr(TOKEN),
                      api_version="2025-01", admin_base_url=simulator.url)  # fmt: skip
        with ShopifyAdmin(store) as admin:
            pages = [admin.graphql(PAGE)["customers"]["nodes"] for _ in range(4)]
        throttled = simulator.stats()["graphql_throttled"]

    assert all(len(page) == 20 for page in pages)
    assert throttled > 0
