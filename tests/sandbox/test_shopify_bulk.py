"""Bulk query operations: lifecycle, the JSONL result with `__parentId`, Shopify's bulk rules,
concurrency by version, cancellation and failure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox.shopify_fixtures import Running, running_simulator, small_config, wait_until

RUN = """
mutation($q: String!) {
  bulkOperationRunQuery(query: $q) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""
POLL = """
{ currentBulkOperation { id status errorCode objectCount rootObjectCount fileSize url
  partialDataUrl completedAt } }
"""
ORDERS_WITH_LINES = """
{
  orders(query: "financial_status:paid") {
    edges { node { id name customer { email } lineItems { edges { node { id title quantity } } } } }
  }
}
"""


@pytest.fixture
def running() -> Iterator[Running]:
    with running_simulator(small_config(bulk_min_seconds=0.3)) as simulator:
        yield simulator


def _run(running: Running, query: str, version: str = "2025-01") -> dict[str, Any]:
    result: dict[str, Any] = running.data(RUN, {"q": query}, version=version)[
        "bulkOperationRunQuery"
    ]
    return result


def _finished(running: Running, version: str = "2025-01") -> dict[str, Any]:
    seen: list[dict[str, Any]] = []

    def done() -> bool:
        seen.append(running.data(POLL, version=version)["currentBulkOperation"])
        return seen[-1]["status"] not in ("CREATED", "RUNNING", "CANCELING")

    wait_until(done)
    return seen[-1]


def test_lifecycle_and_jsonl_with_parent_ids(running: Running) -> None:
    started = _run(running, ORDERS_WITH_LINES)
    assert started["userErrors"] == []
    assert started["bulkOperation"]["status"] == "CREATED"
    assert started["bulkOperation"]["id"].startswith("gid://shopify/BulkOperation/")
    statuses = set()

    def done() -> bool:
        statuses.add(running.data(POLL)["currentBulkOperation"]["status"])
        return "COMPLETED" in statuses

    wait_until(done)
    assert "RUNNING" in statuses
    operation = running.data(POLL)["currentBulkOperation"]
    # The result file is a signed URL: no access token needed.
    lines = [json.loads(line) for line in httpx.get(operation["url"]).text.splitlines()]
    assert int(operation["objectCount"]) == len(lines)
    assert int(operation["fileSize"]) > 0
    orders = [line for line in lines if "__parentId" not in line]
    items = [line for line in lines if "__parentId" in line]
    assert int(operation["rootObjectCount"]) == len(orders) > 0
    paid = running.data('{ ordersCount(query: "financial_status:paid") { count } }')
    assert len(orders) == paid["ordersCount"]["count"]
    seen: set[str] = set()
    for line in lines:
        if "__parentId" in line:
            assert line["__parentId"] in seen, "a child came before its parent"
            assert set(line) == {"id", "title", "quantity", "__parentId"}
        else:
            seen.add(line["id"])
            assert "lineItems" not in line and "customer" in line
    assert {item["__parentId"] for item in items} <= {order["id"] for order in orders}


def test_the_url_needs_its_signature(running: Running) -> None:
    _run(running, "{ customers { edges { node { id } } } }")
    operation = _finished(running)
    assert httpx.get(operation["url"].split("?")[0]).status_code == 403


def test_a_query_matching_nothing_has_no_url(running: Running) -> None:
    _run(running, '{ customers(query: "email:nobody@nowhere.example") { nodes { id } } }')
    operation = _finished(running)
    assert operation["status"] == "COMPLETED" and operation["objectCount"] == "0"
    assert operation["url"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ shop { name } }", "Bulk queries must contain at least one connection."),
        ("{ customers { nodes { nickname } } }", "Field 'nickname' doesn't exist"),
        ("{ customers { nodes { id }", "Parse error"),
        (
            "{ orders { nodes { name lineItems { nodes { id } } } } }",
            "The parent 'node' field for a nested connection must select the 'id' field",
        ),
        (
            "{ customers { nodes { id orders { nodes { id lineItems { nodes { id } } } } } } }",
            "nesting depth greater than 2",
        ),
    ],
)
def test_invalid_bulk_queries_are_user_errors(running: Running, query: str, message: str) -> None:
    result = _run(running, query)
    assert result["bulkOperation"] is None
    error = result["userErrors"][0]
    assert error["field"] == ["query"] and error["code"] == "INVALID"
    assert message.lower() in error["message"].lower()


def test_one_bulk_query_at_a_time_before_2026_01(running: Running) -> None:
    first = _run(running, "{ products { nodes { id } } }")
    second = _run(running, "{ products { nodes { id } } }")
    assert second["bulkOperation"] is None
    assert second["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    assert first["bulkOperation"]["id"] in second["userErrors"][0]["message"]
    _finished(running)


def test_several_at_once_since_2026_01_and_polling_by_id(running: Running) -> None:
    ids = [
        _run(running, "{ products { nodes { id } } }", "2026-01")["bulkOperation"]["id"]
        for _ in range(3)
    ]
    assert len(set(ids)) == 3

    def all_done() -> bool:
        statuses = [
            running.data(
                "query($id: ID!) { bulkOperation(id: $id) { status } }",
                {"id": i},
                version="2026-01",
            )["bulkOperation"]["status"]
            for i in ids
        ]
        return statuses == ["COMPLETED"] * 3

    wait_until(all_done)
    node = running.data(
        "query($id: ID!) { node(id: $id) { ... on BulkOperation { status objectCount } } }",
        {"id": ids[0]},
    )["node"]
    assert node == {"status": "COMPLETED", "objectCount": "12"}


def test_cancel(running: Running) -> None:
    operation_id = _run(running, "{ customers { nodes { id } } }")["bulkOperation"]["id"]
    cancelled = running.data(
        "mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } "
        "userErrors { message } } }",
        {"id": operation_id},
    )["bulkOperationCancel"]
    assert cancelled == {"bulkOperation": {"status": "CANCELING"}, "userErrors": []}
    assert _finished(running)["status"] == "CANCELED"
    again = running.data(
        "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }",
        {"id": operation_id},
    )["bulkOperationCancel"]
    assert "canceled" in again["userErrors"][0]["message"]


def test_a_failed_run_reports_its_error_and_partial_data(running: Running) -> None:
    running.client.post("/_simulator/config", json={"bulk_fail_next": True})
    _run(running, "{ customers { nodes { id email } } }")
    operation = _finished(running)
    assert operation["status"] == "FAILED"
    assert operation["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert operation["url"] is None and operation["partialDataUrl"]
    assert httpx.get(operation["partialDataUrl"]).text.count("\n") == 40
