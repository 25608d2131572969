"""What one signed webhook costs the receiver in its own process, beside the bare Flask route.

Both WSGI apps are called directly, without a server or a socket in front, so the figures
are the apps' own work: the receiver's includes its Redis call (to a real redis-server with
AOF, fsync every second), whose CPU is counted apart. The apps take turns, a batch each
round, and each keeps its fastest round: a machine busy with other work slows a round, it
never speeds one. Steadier than the throughput under wrk, which shares the machine with the
load generator and Redis, and tells where a request's time goes.

Part of `python -m bench receiver` (bench/bench_receiver.py), which gives the payload.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

from bench.bare_receiver import bare_app
from shopspot.localredis import LocalRedis
from shopspot.settings import load_settings
from shopspot.signatures import sign
from webapi.app import create_app

BATCH, ROUNDS = 1000, 7

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Cost:
    wall_ms: float  # per request, the fastest round's
    cpu_ms: float  # the process's CPU per request in that round
    statuses: frozenset[str]


def _environs(body: bytes, shop: str, secret: str, label: str, count: int) -> list[dict[str, Any]]:
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Hmac-Sha256": sign(body, secret),
        "X-Shopify-API-Version": "2026-04",
    }
    return [
        EnvironBuilder(
            path="/webhooks/shopify",
            method="POST",
            data=body,
            headers=Headers({**headers, "X-Shopify-Event-Id": f"{label}-{n}"}),
        ).get_environ()
        for n in range(count)
    ]


def _round(app: WsgiApp, environs: list[dict[str, Any]]) -> tuple[float, float, set[str]]:
    statuses: set[str] = set()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.add(status)

    wall, cpu = time.perf_counter(), time.process_time()
    for environ in environs:
        b"".join(app(environ, start_response))
    per = 1000 / len(environs)
    return (time.perf_counter() - wall) * per, (time.process_time() - cpu) * per, statuses


def _redis_cpu_seconds(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def measure(body: bytes, shop: str, secret: str) -> dict[str, Any]:
    """The figures for orders/create webhooks of `body`, signed with the shop's `secret`."""
    with (
        tempfile.TemporaryDirectory() as folder,
        LocalRedis(Path(folder), appendfsync="everysec") as server,
    ):
        settings = load_settings(
            _env_file=None,
            redis_url=server.url,
            shopify_shop_domain=shop,
            shopify_webhook_secret=secret,
            hubspot_access_token="bench-hubspot-token",
        )
        apps: dict[str, WsgiApp] = {"bare": bare_app(), "web": create_app(settings)}
        client = redis.Redis.from_url(server.url)
        best: dict[str, Cost] = {}
        redis_ms: list[float] = []
        for number in range(ROUNDS + 1):  # the first round warms up
            for name, app in apps.items():
                environs = _environs(body, shop, secret, f"{name}-{number}", BATCH)
                redis_cpu = _redis_cpu_seconds(client)
                wall, cpu, statuses = _round(app, environs)
                if name == "web":
                    redis_ms.append((_redis_cpu_seconds(client) - redis_cpu) * 1000 / BATCH)
                if number and (name not in best or wall < best[name].wall_ms):
                    best[name] = Cost(wall, cpu, frozenset(statuses))
            client.flushdb()
    bare, web = best["bare"], best["web"]
    if bare.statuses != {"200 OK"} or web.statuses != {"200 OK"}:
        raise RuntimeError(f"not every request was accepted: {bare.statuses} {web.statuses}")
    return {
        "in_process_bare_flask_ms": round(bare.wall_ms, 3),
        "in_process_shopspot_web_ms": round(web.wall_ms, 3),
        "in_process_shopspot_web_cpu_ms": round(web.cpu_ms, 3),
        # Redis's own CPU for each accepted delivery, the median round's.
        "in_process_redis_cpu_ms": round(statistics.median(redis_ms[1:]), 3),
        # As requests a second: the bare route's time over the receiver's.
        "in_process_ratio_shopspot_web_to_bare_flask": round(bare.wall_ms / web.wall_ms, 2),
    }
