"""Shopify simulator: time and memory to generate a large store, GraphQL pages/s, bulk lines/s.

Generation runs in a child process so its time and peak memory are its own. The GraphQL and
bulk figures come from a simulator serving that large store in its own process, with the
cost bucket raised out of the way, and one kept-alive `http.client` connection as the client.
Run `python -m bench shopify_simulator` (or `make bench` for all).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import resource
import subprocess
import time
from typing import Any

from bench.servers import shopify_simulator

TOKEN = "bench-token"
SIZES = {"products": 5_000, "customers": 50_000, "orders": 100_000, "checkouts": 5_000}
PAGE_SECONDS = 5.0
ORDERS_PAGE = """
query($after: String) {
  orders(first: 50, after: $after) {
    nodes { id name email updatedAt displayFinancialStatus displayFulfillmentStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      customer { id email }
      lineItems(first: 5) { nodes { id title quantity sku variant { id } } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CUSTOMERS_PAGE = """
query($after: String) {
  customers(first: 250, after: $after) {
    nodes { id email phone firstName lastName updatedAt numberOfOrders tags }
    pageInfo { hasNextPage endCursor }
  }
}
"""
BULK_QUERY = """
{ orders { edges { node { id name email updatedAt displayFinancialStatus
  lineItems { edges { node { id title quantity } } } } } } }
"""


def _generate(result: Any) -> None:
    from sandbox.shopify.config import SimulatorConfig
    from sandbox.shopify.generate import generate

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    config = SimulatorConfig(
        seed=1,
        products=SIZES["products"],
        customers=SIZES["customers"],
        orders=SIZES["orders"],
        checkouts=SIZES["checkouts"],
    )
    store, _ = generate(config, int(time.time()))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.put(
        {
            "generation_seconds": round(seconds, 2),
            "generation_peak_rss_mb": round(peak / 1024, 1),
            "generation_rss_growth_mb": round((peak - before) / 1024, 1),
            "variants": len(store.variants),
            "line_items": sum(len(order.line_items) for order in store.orders),
        }
    )


def _start_simulator() -> tuple[subprocess.Popen[str], int]:
    sizes = [arg for name, size in SIZES.items() for arg in (f"--{name}", str(size))]
    unthrottled = ["--max-available", "1000000000", "--restore-rate", "1000000000"]
    return shopify_simulator(["--token", TOKEN, *sizes, *unthrottled])


def _graphql(conn: http.client.HTTPConnection, query: str, variables: dict[str, Any]) -> Any:
    body = json.dumps({"query": query, "variables": variables})
    headers = {"X-Shopify-Access-Token": TOKEN, "Content-Type": "application/json"}
    conn.request("POST", "/admin/api/2025-01/graphql.json", body=body, headers=headers)
    answer = json.loads(conn.getresponse().read())
    if "errors" in answer:
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    return answer["data"]


def _pages_per_second(conn: http.client.HTTPConnection, query: str, field: str) -> float:
    pages, after = 0, None
    started = time.perf_counter()
    while time.perf_counter() - started < PAGE_SECONDS:
        page = _graphql(conn, query, {"after": after})[field]
        pages += 1
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    return pages / (time.perf_counter() - started)


def _bulk_lines_per_second(conn: http.client.HTTPConnection, port: int) -> tuple[float, int]:
    run = "mutation($q: String!) { bulkOperationRunQuery(query: $q) { userErrors { message } } }"
    started = time.perf_counter()
    errors = _graphql(conn, run, {"q": BULK_QUERY})["bulkOperationRunQuery"]["userErrors"]
    if errors:
        raise RuntimeError(f"bulk query refused: {errors}")
    poll = "{ currentBulkOperation { status objectCount url } }"
    while True:
        operation = _graphql(conn, poll, {})["currentBulkOperation"]
        if operation["status"] not in ("CREATED", "RUNNING"):
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if operation["status"] != "COMPLETED":
        raise RuntimeError(f"bulk operation ended {operation['status']}")
    lines = int(operation["objectCount"])
    return lines / seconds, lines


def run() -> dict[str, Any]:
    results: multiprocessing.Queue[dict[str, Any]] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_generate, args=(results,))
    child.start()
    figures = results.get(timeout=600)
    child.join()
    process, port = _start_simulator()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        figures["graphql_order_pages_per_second"] = round(
            _pages_per_second(conn, ORDERS_PAGE, "orders"), 1
        )
        figures["graphql_customer_pages_per_second"] = round(
            _pages_per_second(conn, CUSTOMERS_PAGE, "customers"), 1
        )
        lines_per_second, lines = _bulk_lines_per_second(conn, port)
        figures["bulk_jsonl_lines"] = lines
        figures["bulk_jsonl_lines_per_second"] = round(lines_per_second)
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"sizes": SIZES, **figures}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
