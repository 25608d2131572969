"""The Admin GraphQL API over HTTP: auth, paging, filtering, errors in Shopify's shape,
calculated cost and throttling."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sandbox.shopify import ThrottleSettings
from tests.sandbox.shopify_fixtures import (
    NOW,
    TOKEN,
    Running,
    all_nodes,
    running_simulator,
    small_config,
)


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    throttle = ThrottleSettings(maximum_available=100_000, restore_rate=100_000)
    with running_simulator(small_config(throttle=throttle)) as simulator:
        yield simulator


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_missing_or_wrong_token_is_refused(running: Running, token: str | None) -> None:
    response = running.graphql("{ shop { id } }", token=token)
    assert response.status_code == 401
    assert response.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }


def test_shop(running: Running) -> None:
    response = running.graphql("{ shop { id myshopifyDomain name currencyCode } }")
    assert response.headers["X-Shopify-API-Version"] == "2025-01"
    shop = response.json()["data"]["shop"]
    assert shop["id"].startswith("gid://shopify/Shop/")
    assert shop["myshopifyDomain"] == "shopspot-simulator.myshopify.com"
    assert shop["currencyCode"] == "USD"


def test_versions(running: Running) -> None:
    assert (
        running.graphql("{ shop { id } }", version="2019-04").headers["X-Shopify-API-Version"]
        == "2023-10"
    )
    assert running.graphql("{ shop { id } }", version="latest").status_code == 404


def test_a_raw_graphql_body_is_accepted(running: Running) -> None:
    response = running.client.post(
        "/admin/api/2025-01/graphql.json",
        content="{ shop { name } }",
        headers={"X-Shopify-Access-Token": TOKEN, "Content-Type": "application/graphql"},
    )
    assert response.json()["data"]["shop"]["name"] == "Shopspot Simulator"
    missing = running.client.post(
        "/admin/api/2025-01/graphql.json", json={}, headers={"X-Shopify-Access-Token": TOKEN}
    )
    assert missing.status_code == 400


@pytest.mark.parametrize(
    ("field_name", "size"),
    [("customers", 40), ("products", 12), ("orders", 90), ("abandonedCheckouts", 25)],
)
def test_paging_visits_every_record_once(running: Running, field_name: str, size: int) -> None:
    ids = [node["id"] for node in all_nodes(running, field_name, "id")]
    assert len(ids) == len(set(ids)) == size
    numbers = [int(gid.rsplit("/", 1)[1]) for gid in ids]
    assert numbers == sorted(numbers)


def test_paging_backwards_and_reversed(running: Running) -> None:
    forward = [n["id"] for n in all_nodes(running, "customers", "id")]
    last = running.data(
        "{ customers(last: 5) { nodes { id } pageInfo { hasPreviousPage startCursor } } }"
    )
    assert [n["id"] for n in last["customers"]["nodes"]] == forward[-5:]
    assert last["customers"]["pageInfo"]["hasPreviousPage"] is True
    before = running.data(
        "query($c: String) { customers(last: 3, before: $c) { nodes { id } } }",
        {"c": last["customers"]["pageInfo"]["startCursor"]},
    )
    assert [n["id"] for n in before["customers"]["nodes"]] == forward[-8:-5]
    reverse = running.data("{ customers(first: 4, reverse: true) { nodes { id } } }")
    assert [n["id"] for n in reverse["customers"]["nodes"]] == forward[::-1][:4]


def test_updated_at_filter_reads_what_changed_since(running: Running) -> None:
    orders = all_nodes(running, "orders", "id updatedAt")
    times = sorted(node["updatedAt"] for node in orders)
    since = times[len(times) // 2]
    changed = running.data(
        "query($q: String) { orders(first: 250, query: $q, sortKey: UPDATED_AT) "
        "{ nodes { id updatedAt } } }",
        {"q": f"updated_at:>'{since}'"},
    )["orders"]["nodes"]
    assert changed and all(node["updatedAt"] > since for node in changed)
    assert {node["id"] for node in changed} == {n["id"] for n in orders if n["updatedAt"] > since}
    assert [node["updatedAt"] for node in changed] == sorted(node["updatedAt"] for node in changed)


def test_filters_combine(running: Running) -> None:
    paid = running.data(
        '{ orders(first: 250, query: "financial_status:paid -fulfillment_status:shipped") '
        "{ nodes { displayFinancialStatus displayFulfillmentStatus } } }"
    )["orders"]["nodes"]
    assert paid
    assert all(node["displayFinancialStatus"] == "PAID" for node in paid)
    assert all(node["displayFulfillmentStatus"] != "FULFILLED" for node in paid)
    count = running.data('{ ordersCount(query: "financial_status:paid") { count precision } }')
    assert count["ordersCount"]["precision"] == "EXACT"
    assert count["ordersCount"]["count"] >= len(paid)


def test_an_unknown_search_field_is_ignored_with_a_warning(running: Running) -> None:
    body = running.graphql('{ customers(first: 1, query: "colour:red") { nodes { id } } }').json()
    assert body["data"]["customers"]["nodes"]
    assert body["extensions"]["search"][0]["warnings"] == [
        {"field": "colour", "message": "Invalid search field for this query."}
    ]


def test_sync_fields_of_an_order(running: Running) -> None:
    order = running.data(
        '{ orders(first: 1, query: "financial_status:partially_refunded") { nodes { id name '
        "email processedAt cancelledAt displayFinancialStatus totalRefundedSet { shopMoney "
        "{ amount currencyCode } } totalPriceSet { presentmentMoney { amount currencyCode } } "
        "refunds { totalRefundedSet { shopMoney { amount } } } customer { id email } "
        "lineItems(first: 10) { nodes { id name quantity variant { id sku } } } } } }"
    )["orders"]["nodes"][0]
    assert order["id"].startswith("gid://shopify/Order/") and order["name"].startswith("#")
    assert order["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    refunded = float(order["totalRefundedSet"]["shopMoney"]["amount"])
    assert refunded == sum(
        float(r["totalRefundedSet"]["shopMoney"]["amount"]) for r in order["refunds"]
    )
    assert datetime.fromisoformat(order["processedAt"]) <= NOW
    assert order["lineItems"]["nodes"]


def test_node_and_typed_lookups(running: Running) -> None:
    first = running.data("{ products(first: 1) { nodes { id title } } }")["products"]["nodes"][0]
    node = running.data(
        "query($id: ID!) { node(id: $id) { id ... on Product { title } } }", {"id": first["id"]}
    )["node"]
    assert node == first
    assert running.data('{ product(id: "gid://shopify/Product/1") { id } }')["product"] is None
    bad = running.graphql('{ node(id: "nonsense") { id } }').json()
    assert bad["errors"][0]["message"] == "Invalid global id 'nonsense'"


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("{ shop { foo } }", "undefinedField", "Field 'foo' doesn't exist on type 'Shop'"),
        (
            "{ customers(first: 1, colour: RED) { nodes { id } } }",
            "argumentNotAccepted",
            "Field 'customers' doesn't accept argument 'colour'",
        ),
        (
            "{ customer { id } }",
            "missingRequiredArguments",
            "Field 'customer' is missing required arguments: id",
        ),
        (
            "{ shop }",
            "selectionMismatch",
            "Field must have selections (field 'shop' returns Shop! but has no selections. "
            "Did you mean 'shop { ... }'?)",
        ),
    ],
)
def test_invalid_documents_get_shopifys_error_shape(
    running: Running, query: str, code: str, message: str
) -> None:
    response = running.graphql(query)
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["message"] == message
    assert error["extensions"]["code"] == code
    assert error["locations"] and error["locations"][0]["line"] == 1
    assert error["path"][0] == "query"
    assert "cost" in body["extensions"]


def test_an_undefined_field_names_type_and_field(running: Running) -> None:
    error = running.graphql("query Sync { customers(first: 1) { nodes { nickname } } }").json()[
        "errors"
    ][0]
    assert error["extensions"] == {
        "code": "undefinedField",
        "typeName": "Customer",
        "fieldName": "nickname",
    }
    assert error["path"] == ["query Sync", "customers", "nodes", "nickname"]
    assert error["locations"] == [{"line": 1, "column": 44}]


def test_a_syntax_error(running: Running) -> None:
    body = running.graphql("{ shop { id }").json()
    assert body["errors"][0]["message"].startswith("Parse error")
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 14}]


def test_connections_need_a_page_size(running: Running) -> None:
    body = running.graphql("{ customers { nodes { id } } }").json()
    assert body["errors"][0]["message"] == "you must provide one of first or last"
    assert body["errors"][0]["path"] == ["customers"]
    too_big = running.graphql("{ customers(first: 251) { nodes { id } } }").json()
    assert "250" in too_big["errors"][0]["message"]


def test_cost_is_reported_on_every_answer(running: Running) -> None:
    body = running.graphql(
        '{ customers(first: 10, query: "email:nobody@example.com") { nodes { id '
        "defaultAddress { city } } } }"
    ).json()
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 10 * 2
    assert cost["actualQueryCost"] == 2
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == 100_000.0 and status["restoreRate"] == 100_000.0
    mutation = running.graphql(
        'mutation { scriptTagCreate(input: {src: "https://example.com/a.js"}) '
        "{ userErrors { message } } }"
    ).json()
    assert mutation["extensions"]["cost"]["requestedQueryCost"] == 10


def test_a_query_over_the_single_query_limit_is_refused(running: Running) -> None:
    body = running.graphql(
        "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }"
    ).json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["message"].startswith("Query cost is ")
    assert body["extensions"]["cost"]["actualQueryCost"] is None


def test_the_bucket_throttles_and_refills() -> None:
    throttle = ThrottleSettings(maximum_available=60, restore_rate=20)
    with running_simulator(small_config(throttle=throttle)) as running:
        query = "{ customers(first: 25) { nodes { id } } }"  # requests 27 points
        answers = [running.graphql(query).json() for _ in range(3)]
        assert "errors" not in answers[0]
        throttled = answers[-1]
        assert throttled["errors"] == [
            {
                "message": "Throttled",
                "extensions": {
                    "code": "THROTTLED",
                    "documentation": "https://shopify.dev/api/usage/rate-limits",
                },
            }
        ]
        cost = throttled["extensions"]["cost"]
        assert cost["requestedQueryCost"] == 27 and cost["actualQueryCost"] is None
        assert cost["throttleStatus"]["currentlyAvailable"] < 27
        assert running.stats()["graphql_throttled"] >= 1
        time.sleep((27 - cost["throttleStatus"]["currentlyAvailable"]) / 20 + 0.1)
        assert "errors" not in running.graphql(query).json()


def test_times_are_utc(running: Running) -> None:
    node = running.data("{ customers(first: 1) { nodes { createdAt } } }")["customers"]["nodes"][0]
    assert node["createdAt"].endswith("Z")
    assert datetime.fromisoformat(node["createdAt"]).tzinfo == UTC


def test_a_variable_of_the_wrong_type(running: Running) -> None:
    body = running.graphql(
        "query($n: Int) { customers(first: $n) { nodes { id } } }", {"n": "ten"}
    ).json()
    error = body["errors"][0]
    assert error["message"] == "Variable $n of type Int was provided invalid value"
    assert error["extensions"]["value"] == "ten"
    assert "data" not in body
