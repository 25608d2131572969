"""The initial import of a large store at the speed of HubSpot's rate limit, and of a small one.

A simulated store of 5,000 products (variants included), 50,000 customers, 100,000 orders
and 5,000 abandoned checkouts; the HubSpot sandbox limited to 190 calls per 10 s (the
Professional tier's limit; `run(window=...)` scales the window). `shopspot backfill --json`
runs against both, on one machine with them. Reported: HubSpot calls per imported
object, 429s, and the calls per second achieved as a fraction of what the limit allows
(Shopspot's own share of the limit, HUBSPOT_RATE_HEADROOM = 0.9, is the most it aims at).
Then the same for a small store (`small_` figures): 120 products, 1,500 customers, 3,000
orders and 300 checkouts, where batches fill only if the import fills them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.servers import hubspot_sandbox, shopify_simulator
from shopspot.localredis import LocalRedis

SIZES = {"products": 5000, "customers": 50000, "orders": 100000, "checkouts": 5000}
SMALL_SIZES = {"products": 120, "customers": 1500, "orders": 3000, "checkouts": 300}
LIMIT = 190
WINDOW = 10.0
HUBSPOT_TOKEN = "bench-token"
SHOPIFY_TOKEN = "shpat_bench"
SHOP = "bench-shop.myshopify.com"


def run(window: float = WINDOW) -> dict[str, Any]:
    small = {f"small_{name}": value for name, value in imported(SMALL_SIZES, window).items()}
    return {**imported(SIZES, window), **small}


def imported(sizes: dict[str, int], window: float = WINDOW) -> dict[str, Any]:
    """The figures of one store's import."""
    started_generating = time.perf_counter()
    shopify, shopify_port = shopify_simulator(
        ["--token", SHOPIFY_TOKEN, "--shop-domain", SHOP, "--seed", "11", "--api-version",
         "2025-01", *[arg for kind, n in sizes.items() for arg in (f"--{kind}", str(n))]]
    )  # fmt: skip
    generating = time.perf_counter() - started_generating
    hubspot, hubspot_port = hubspot_sandbox(
        ["--token", HUBSPOT_TOKEN, "--rate-limit", str(LIMIT), "--window-seconds", str(window),
         "--daily-limit", "100000000", "--search-per-second", "1000"]
    )  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as folder, LocalRedis(Path(folder)) as server:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("SHOP", "HUBSPOT"))},
                "REDIS_URL": server.url,
                "HUBSPOT_BASE_URL": f"http://127.0.0.1:{hubspot_port}",
                "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                "HUBSPOT_RATE_LIMIT_PER_10S": str(LIMIT),
                "HUBSPOT_RATE_WINDOW_SECONDS": str(window),
                "SHOPIFY_SHOP_DOMAIN": SHOP,
                "SHOPIFY_WEBHOOK_SECRET": "unused",
                "SHOPIFY_ACCESS_TOKEN": SHOPIFY_TOKEN,
                "SHOPIFY_ADMIN_BASE_URL": f"http://127.0.0.1:{shopify_port}",
                "SHOPIFY_API_VERSION": "2025-01",
            }
            subprocess.run([sys.executable, "-m", "cli", "setup"], env=env, check=True,
                           capture_output=True)  # fmt: skip
            stats = httpx.get(f"http://127.0.0.1:{hubspot_port}/_sandbox/stats").json()
            before = stats["requests"]
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "cli", "backfill", "--json"], env=env, check=True,
                capture_output=True, text=True,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            stats = httpx.get(f"http://127.0.0.1:{hubspot_port}/_sandbox/stats").json()
            simulator = httpx.get(f"http://127.0.0.1:{shopify_port}/_simulator/stats").json()
    finally:
        for process in (shopify, hubspot):
            process.terminate()
            process.wait(timeout=30)
    (report,) = json.loads(done.stdout)
    objects = sum(kind["read"] for kind in report["kinds"])
    calls = stats["requests"] - before
    ceiling = LIMIT / window
    return {
        "store": ", ".join(f"{n:,} {kind}" for kind, n in sizes.items()),
        "objects_imported": objects,
        "hubspot_calls": calls,
        "hubspot_calls_per_object": round(calls / objects, 4),
        "hubspot_429s": sum(stats["rate_limited"].values()),
        "dead_letters": report["dead_letters"],
        "seconds": round(seconds, 1),
        "objects_per_second": round(objects / seconds, 1),
        "hubspot_limit": f"{LIMIT} per {window:g} s",
        "calls_per_second_vs_ceiling": round((calls / seconds) / ceiling, 3),
        "kinds": {k["kind"]: f"{k['read']} read in {k['seconds']:.0f} s" for k in report["kinds"]},
        "simulator_store_generation_seconds": round(generating, 1),
        "simulator_graphql_requests": simulator.get("graphql_requests"),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
