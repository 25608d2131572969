"""HubSpot calls per synced order: a burst of orders, single orders and a steady stream.

A real receiver, a real worker and Redis, and the HubSpot sandbox in its own process with
HubSpot's default limit (100 per 10 s). First a burst of signed `orders/create` webhooks
(every order with its own buyer and a product of its own); then single orders, each sent
a second after the previous one is in HubSpot, timing webhook-to-visible-in-HubSpot; then a
steady stream of 5 orders a second for a minute. Calls are counted by the sandbox; set-up
calls are left out.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.bench_hubspot_sandbox import TOKEN
from bench.servers import hubspot_sandbox
from shopspot.hubspot.paths import Paths
from shopspot.localredis import LocalRedis
from tests.support.deliveries import delivery
from tests.support.env import service_env
from tests.support.processes import start_receiver, start_worker, wait_for
from tests.support.shopify import order

BURST = 1000
SINGLES = 20
STEADY_PER_SECOND = 5
STEADY_SECONDS = 60


def _order(n: int) -> dict[str, Any]:
    line = (9_100_000_000_000_000 + n, 8_000_000_000_100_000 + n, 8_100_000_000_100_000 + n,
            f"Item {n}", 1, "12.00")  # fmt: skip
    return order(order_id=6_100_000_000_000_000 + n, email=f"buyer{n}@example.com", lines=[line])


def _calls(stats: dict[str, Any]) -> int:
    return sum(
        count
        for endpoint, count in stats["by_endpoint"].items()
        # Record and association writes, in the numbered and the date-based paths alike.
        if ("/objects/" in endpoint or "/associations/" in endpoint)
        and not endpoint.endswith("/search")  # the benchmark's own polling
    )


def _deals(api: httpx.Client) -> int:
    body = {"filterGroups": [{"filters": [{"propertyName": "ecomm_synced", "operator": "EQ",
                                           "value": "true"}]}], "limit": 1}  # fmt: skip
    answer = api.post(Paths().search("deals"), json=body)
    return int(answer.json().get("total", 0)) if answer.status_code == 200 else -1


def _deals_at_least(api: httpx.Client, count: int) -> bool:
    return _deals(api) >= count


def run() -> dict[str, Any]:
    # HubSpot's default limit; search (the benchmark's own polling) raised out of the way.
    sandbox, port = hubspot_sandbox(["--token", TOKEN, "--search-per-second", "1000"])
    hubspot = f"http://127.0.0.1:{port}"
    control = httpx.Client(base_url=hubspot, timeout=30)
    api = httpx.Client(base_url=hubspot, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    processes = []
    try:
        with tempfile.TemporaryDirectory() as folder, LocalRedis(Path(folder) / "r") as server:
            env = service_env(server.url, HUBSPOT_BASE_URL=hubspot, HUBSPOT_ACCESS_TOKEN=TOKEN)
            for name in list(env):  # production delivery bounds, not the tests' short ones
                if name.startswith(("BROKER_", "TASK_")):
                    del env[name]
            receiver, url = start_receiver(env, Path(folder))
            worker = start_worker(env, Path(folder))
            processes += [receiver, worker]

            # One pooled client, as Shopify keeps its connections: a new connection and client
            # per webhook made the benchmark's own process the bottleneck of the burst.
            shopify = httpx.Client(base_url=url, timeout=30)

            def send(signed: tuple[bytes, dict[str, str]]) -> None:
                body, headers = signed
                shopify.post("/webhooks/shopify", content=body, headers=headers)

            def post(n: int) -> None:
                send(delivery("orders/create", _order(n)))

            post(-1)  # the worker sets the portal up on its first write
            wait_for(lambda: _deals(api) == 1, timeout=120, message="set-up")
            before = _calls(control.get("/_sandbox/stats").json())
            burst = [delivery("orders/create", _order(n)) for n in range(BURST)]  # signed ahead
            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(send, burst))
            accepted = time.perf_counter() - started
            wait_for(lambda: _deals(api) == BURST + 1, timeout=600, message="the burst")
            burst_seconds = time.perf_counter() - started
            burst_calls = _calls(control.get("/_sandbox/stats").json()) - before

            latencies = []
            time.sleep(10)  # a quiet window after the burst: each single order is alone
            before = _calls(control.get("/_sandbox/stats").json())
            for n in range(BURST, BURST + SINGLES):
                time.sleep(1)
                sent = time.perf_counter()
                post(n)
                # The set-up order, the burst, and the single orders so far.
                in_hubspot = partial(_deals_at_least, api, n + 2)
                wait_for(in_hubspot, timeout=60, message="a single order")
                latencies.append(time.perf_counter() - sent)
            single_calls = _calls(control.get("/_sandbox/stats").json()) - before

            time.sleep(10)  # the singles' calls leave HubSpot's window
            first = BURST + SINGLES
            steady = STEADY_PER_SECOND * STEADY_SECONDS
            before = _calls(control.get("/_sandbox/stats").json())
            started = time.perf_counter()
            for n in range(steady):
                time.sleep(max(0.0, started + n / STEADY_PER_SECOND - time.perf_counter()))
                post(first + n)
            wait_for(partial(_deals_at_least, api, first + steady + 1), timeout=600,
                     message="the steady stream")  # fmt: skip
            steady_seconds = time.perf_counter() - started
            steady_calls = _calls(control.get("/_sandbox/stats").json()) - before
            rate_limited = control.get("/_sandbox/stats").json()["rate_limited"]
    finally:
        for process in processes:
            process.stop()
        sandbox.terminate()
        sandbox.wait(timeout=10)
    quantiles = statistics.quantiles(latencies, n=20)
    return {
        "burst_orders": BURST,
        "burst_hubspot_calls": burst_calls,
        "burst_calls_per_order": round(burst_calls / BURST, 3),
        "burst_seconds_to_accept_all_webhooks": round(accepted, 2),
        "burst_seconds_until_all_in_hubspot": round(burst_seconds, 1),
        "single_orders": SINGLES,
        "single_calls_per_order": round(single_calls / SINGLES, 2),
        "ratio_single_to_burst_calls_per_order": round(
            (single_calls / SINGLES) / (burst_calls / BURST), 1
        ),
        "single_webhook_to_hubspot_p50_seconds": round(statistics.median(latencies), 2),
        "single_webhook_to_hubspot_p95_seconds": round(quantiles[18], 2),
        "steady_orders": f"{steady} at {STEADY_PER_SECOND} a second",
        "steady_hubspot_calls": steady_calls,
        "steady_calls_per_order": round(steady_calls / steady, 3),
        "steady_seconds_until_all_in_hubspot": round(steady_seconds, 1),
        "hubspot_429s": sum(rate_limited.values()),
        "hubspot_limit": "100 per 10 s (HubSpot's Free/Starter default)",
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
