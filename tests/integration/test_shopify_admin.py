"""The Shopify Admin client within Shopify's query-cost budget, on the store simulator, and
what it sends again when a reply is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from sandbox.shopify.config import ThrottleSettings
from shopspot.backfill.bulk import BulkReader
from shopspot.backfill.queries import PRODUCT_IDS_BULK, RUN_MUTATION
from shopspot.settings import Store
from shopspot.shopify.admin import AdminError, AdminUnavailable, ShopifyAdmin
from shopspot.shopify.setup import WEBHOOK_SUBSCRIPTION_CREATE_MUTATION
from tests.sandbox.shopify_fixtures import TOKEN, Running, running_simulator, small_config
from tests.support.wire import Wire

PAGE = "{ customers(first: 20) { nodes { id email } } }"
SUBSCRIPTIONS = "{ webhookSubscriptions(first: 50) { nodes { topic } } }"


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


@pytest.fixture
def simulator() -> Iterator[Running]:
    with running_simulator(small_config()) as running:
        yield running


def admin(simulator: Running, wire: Wire | None = None) -> ShopifyAdmin:
    store = Store(domain=simulator.app.sim.config.shop_domain, webhook_secrets=(SecretStr("s"),),
                  access_token=SecretStr(TOKEN), admin_base_url=simulator.url)  # fmt: skip
    return ShopifyAdmin(store, transport=wire)


def test_a_query_whose_reply_is_lost_is_asked_again(simulator: Running) -> None:
    wire = Wire(lose=lambda document: document == PAGE)
    with admin(simulator, wire) as client:
        customers = client.graphql(PAGE)["customers"]["nodes"]

    assert len(customers) == 20
    assert wire.documents == [PAGE, PAGE]


def test_a_mutation_whose_reply_is_lost_is_not_sent_again(simulator: Running) -> None:
    wire = Wire(lose=lambda document: document == WEBHOOK_SUBSCRIPTION_CREATE_MUTATION)
    variables = {"topic": "ORDERS_PAID", "callbackUrl": "https://shopspot.example.com/hooks"}
    with admin(simulator, wire) as client, pytest.raises(AdminUnavailable):
        client.graphql(WEBHOOK_SUBSCRIPTION_CREATE_MUTATION, variables)

    assert wire.documents == [WEBHOOK_SUBSCRIPTION_CREATE_MUTATION]
    subscribed = simulator.data(SUBSCRIPTIONS)["webhookSubscriptions"]["nodes"]
    assert subscribed == [{"topic": "ORDERS_PAID"}]


def test_a_bulk_start_whose_reply_is_lost_takes_the_operation_it_began(
    simulator: Running,
) -> None:
    wire = Wire(lose=lambda document: document == RUN_MUTATION)
    with admin(simulator, wire) as client:
        reader = BulkReader(client, poll_seconds=0.1)
        operation = reader.wait(reader.start(PRODUCT_IDS_BULK), lambda _: None)

    assert len(wire.lost) == 1
    assert wire.documents.count(RUN_MUTATION) == 1
    assert operation.status == "COMPLETED"
    assert operation.roots == 12


def test_an_error_answer_is_named_by_its_status_never_by_its_body(simulator: Running) -> None:
    with admin(simulator) as client, pytest.raises(AdminError) as raised:
        next(client.rest_pages("nonexistent", {}))

    assert str(raised.value) == "Shopify answered 404"
