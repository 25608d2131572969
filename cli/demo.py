"""`shopspot demo`: Shopspot's whole job on one machine, against local stand-ins.

An embedded Redis, the HubSpot sandbox and the Shopify store simulator start beside the
receiver, a worker, beat and Flower, each a process of its own. `shopspot setup` connects
the simulated store (webhook subscriptions, tracking code, HubSpot properties and
pipelines), `shopspot backfill` imports it (as deals, HubSpot orders and carts, or both:
`--target`), then the simulator keeps changing the store and
sending webhooks. At the end (after `--duration`, or on Ctrl-C) the demo waits for the
work in flight, compares HubSpot with what the simulator says it should hold, prints a
summary and stops every process it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import httpx
import redis

from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from shopspot.hubspot.paths import Paths
from shopspot.localredis import LocalRedis, free_port
from shopspot.pending import PendingBuffer
from shopspot.sync import latency
from shopspot.targets import DEFAULT_TARGET, SyncTarget, writes_commerce, writes_deals
from shopspot.topics import Buffer, Kind

SHOP = "demo-shop.myshopify.com"
HUBSPOT_TOKEN = "demo-hubspot-token"
SHOPIFY_TOKEN = "shpat_demo"
SECRET = "demo-webhook-secret"
FLOWER_AUTH = "demo:demo"
# Short enough to watch checkouts being abandoned during the demo.
ABANDON_AFTER_SECONDS = 120
SHOPSPOT = [sys.executable, "-m", "cli"]


@dataclass(frozen=True)
class DemoConfig:
    duration: float | None = None
    products: int = 25
    customers: int = 150
    orders: int = 300
    checkouts: int = 40
    live_rate: float = 2.0
    seed: int = 7
    target: SyncTarget = DEFAULT_TARGET


class Processes:
    """Children in process groups of their own, stopped together however the demo ends."""

    def __init__(self, logs: Path) -> None:
        self._logs = logs
        self._children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
        log = (self._logs / f"{name}.log").open("ab")
        child = subprocess.Popen(
            argv, env=dict(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._children.append((name, child))
        return child

    def check(self) -> None:
        for name, child in self._children:
            if child.poll() is not None:
                raise click.ClickException(
                    f"{name} stopped unexpectedly; see {self._logs / (name + '.log')}"
                )

    def stop(self) -> None:
        for _, child in reversed(self._children):
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, child in reversed(self._children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def wait_until(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError, redis.RedisError):
            if check():
                return
        if time.monotonic() > deadline:
            raise click.ClickException(f"timed out waiting for {what}")
        time.sleep(0.2)


def run(config: DemoConfig) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="shopspot-demo-") as folder,
        contextlib.ExitStack() as stack,
    ):
        logs = Path(folder)
        server = stack.enter_context(LocalRedis(logs / "redis"))
        processes = Processes(logs)
        stack.callback(processes.stop)
        ports = {name: free_port() for name in ("hubspot", "shopify", "web", "flower")}
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        env = _environment(server.url, urls, config.target)
        click.echo(f"logs of every process: {folder}")

        processes.start("hubspot", [sys.executable, "-m", "sandbox.hubspot", "--port",
                        str(ports["hubspot"]), "--token", HUBSPOT_TOKEN], env)  # fmt: skip
        processes.start("shopify", [
            sys.executable, "-m", "sandbox.shopify", "--port", str(ports["shopify"]),
            "--token", SHOPIFY_TOKEN, "--shop-domain", SHOP, "--webhook-secret", SECRET,
            "--seed", str(config.seed), "--products", str(config.products),
            "--customers", str(config.customers), "--orders", str(config.orders),
            "--checkouts", str(config.checkouts), "--api-version", "2025-01",
        ], env)  # fmt: skip
        processes.start("web", [*SHOPSPOT, "web", "--host", "127.0.0.1", "--port",
                        str(ports["web"]), "--workers", "1"], env)  # fmt: skip
        processes.start("worker", [*SHOPSPOT, "worker", "--concurrency", "2"], env)
        processes.start("beat", [*SHOPSPOT, "beat", "--schedule",
                        str(logs / "celerybeat-schedule")], env)  # fmt: skip
        processes.start("flower", [*SHOPSPOT, "flower", "--port", str(ports["flower"])], env)
        for name in ("hubspot", "shopify", "web"):
            wait_until(lambda name=name: _answers(urls[name]), f"the {name} process")
        processes.check()

        click.echo("\n== shopspot setup")
        _command(["setup"], env)
        click.echo("\n== shopspot backfill")
        _command(["backfill"], env)

        click.echo(f"\n== live: the store changes {config.live_rate}/s; webhooks flow in "
                   "(Ctrl-C to finish)")  # fmt: skip
        click.echo(f"   Flower:        {urls['flower']}  (user demo, password demo)")
        click.echo(f"   HubSpot stats: {urls['hubspot']}/_sandbox/stats")
        shopify = httpx.Client(base_url=urls["shopify"], timeout=10)
        hubspot = httpx.Client(base_url=urls["hubspot"], timeout=10)
        shopify.post("/_simulator/config", json={"live_rate": config.live_rate})
        store = redis.Redis.from_url(server.url)
        try:
            _watch(config, processes, shopify, hubspot)
        except KeyboardInterrupt:
            click.echo("\nfinishing ...")
        shopify.post("/_simulator/config", json={"live_rate": 0})
        wait_until(lambda: shopify.get("/_simulator/stats").json()["webhooks_pending"] == 0,
                   "the last webhooks to be delivered")  # fmt: skip
        wait_until(lambda: _idle(store), "the worker to finish", timeout=120)
        _command(["sweep"], env, quiet=True)
        click.echo(_summary(shopify, hubspot, store, config.target))


def _environment(redis_url: str, urls: dict[str, str], target: SyncTarget) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHOP")}
    env.update(
        REDIS_URL=redis_url,
        HUBSPOT_BASE_URL=urls["hubspot"],
        HUBSPOT_ACCESS_TOKEN=HUBSPOT_TOKEN,
        SHOPIFY_SHOP_DOMAIN=SHOP,
        SHOPIFY_WEBHOOK_SECRET=SECRET,
        SHOPIFY_ACCESS_TOKEN=SHOPIFY_TOKEN,
        SHOPIFY_ADMIN_BASE_URL=urls["shopify"],
        SHOPIFY_API_VERSION="2025-01",
        PUBLIC_URL=urls["web"],
        CHECKOUT_ABANDON_AFTER_SECONDS=str(ABANDON_AFTER_SECONDS),
        SWEEP_INTERVAL_SECONDS="10",
        RECONCILE_INTERVAL_SECONDS="300",
        FLOWER_BASIC_AUTH=FLOWER_AUTH,
        HUBSPOT_SYNC_TARGET=target,
    )
    return env


def _answers(url: str) -> bool:
    httpx.get(url + "/healthz", timeout=1)  # any answer: the server listens
    return True


def _command(args: list[str], env: Mapping[str, str], quiet: bool = False) -> None:
    done = subprocess.run([*SHOPSPOT, *args], env=dict(env), capture_output=quiet, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"shopspot {' '.join(args)} failed")


def _watch(
    config: DemoConfig, processes: Processes, shopify: httpx.Client, hubspot: httpx.Client
) -> None:
    started = time.monotonic()
    while config.duration is None or time.monotonic() - started < config.duration:
        time.sleep(2)
        processes.check()
        sent = shopify.get("/_simulator/stats").json().get("webhooks_sent", 0)
        objects = hubspot.get("/_sandbox/stats").json()["objects"]
        held = ", ".join(f"{kind} {counts['active']}" for kind, counts in objects.items())
        click.echo(f"  {time.monotonic() - started:5.0f} s  webhooks sent {sent:>5}  "
                   f"HubSpot: {held}")  # fmt: skip


def _idle(store: redis.Redis) -> bool:
    queues = sum(int(store.llen(kind.value)) for kind in Kind)
    buffers = [PendingBuffer(store, name) for name in Buffer]
    return queues == 0 and not any(b.waiting() or b.in_flight() for b in buffers)


def _summary(
    shopify: httpx.Client, hubspot: httpx.Client, store: redis.Redis, target: SyncTarget
) -> str:
    expected = shopify.get(
        "/_simulator/expected", params={"abandon_after_seconds": ABANDON_AFTER_SECONDS}
    ).json()
    stats = hubspot.get("/_sandbox/stats").json()
    latencies = sorted(latency.recorded(store))
    p50 = statistics.median(latencies) if latencies else 0.0
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0.0
    letters = DeadLetterStore(store).list()
    reasons = Counter(f"{letter.event.topic}: {letter.reason}" for letter in letters)
    failed = sum(kind.failed for kind in ActivityLog(store).all())
    limited = sum(stats["rate_limited"].values())
    by_stage: dict[str, int] = expected["deals_by_stage"]
    checkout_stages = {"Checkout Pending": "pending", "Checkout Abandoned": "abandoned"}
    orders_by_stage = {s: n for s, n in by_stage.items() if s not in checkout_stages}
    lines = ["", "== summary", f"{'':<22}{'in HubSpot':>12}{'expected':>10}"]
    for kind in ("contacts", "products"):
        lines.append(f"{kind:<22}{stats['objects'][kind]['active']:>12}{expected[kind]:>10}")
    if writes_deals(target):
        lines.append(
            f"{'deals':<22}{stats['objects']['deals']['active']:>12}{expected['deals']:>10}"
        )
        lines += _rows(_counts(hubspot, "deals", "dealstage"), by_stage)
    if writes_commerce(target):
        orders = sum(orders_by_stage.values())
        lines.append(f"{'orders':<22}{stats['objects']['orders']['active']:>12}{orders:>10}")
        lines += _rows(_counts(hubspot, "orders", "hs_pipeline_stage"), orders_by_stage)
        # Carts that became orders are recovered: the simulator counts them as orders.
        carts = {checkout_stages[s]: n for s, n in by_stage.items() if s in checkout_stages}
        lines.append(f"{'carts':<22}{stats['objects']['carts']['active']:>12}")
        lines += _rows(_counts(hubspot, "carts", "hs_external_status"), carts)
    lines.append(f"{'line items':<22}{stats['objects']['line_items']['active']:>12}")
    lines += [
        f"HubSpot calls          {stats['requests']}  (429s: {limited})",
        f"tasks failed           {failed}",
        f"dead letters           {len(letters)}",
        *(f"  {count} x {reason}" for reason, count in reasons.most_common(5)),
        f"webhook to HubSpot     p50 {p50:.2f} s, p95 {p95:.2f} s ({len(latencies)} writes)",
        "",
    ]
    return "\n".join(lines)


def _rows(held: Mapping[str, int], expected: Mapping[str, int]) -> list[str]:
    """One line per stage or status, with what the simulator expects where it knows."""
    names = sorted(set(held) | set(expected))
    return [f"  {name:<20}{held.get(name, 0):>12}{expected.get(name, ''):>10}" for name in names]


def _counts(hubspot: httpx.Client, object_type: str, prop: str) -> dict[str, int]:
    """Records of a type by the value of `prop`, a pipeline stage shown by its label."""
    headers = {"Authorization": f"Bearer {HUBSPOT_TOKEN}"}
    labels: dict[str, str] = {}
    if object_type in ("deals", "orders"):
        pipelines = hubspot.get(Paths().pipelines(object_type), headers=headers).json()
        labels = {s["id"]: s["label"] for p in pipelines["results"] for s in p["stages"]}
    counts: dict[str, int] = {}
    for record in _all(hubspot, object_type, prop, headers):
        value = record["properties"].get(prop) or ""
        label = labels.get(value, "?") if labels else value or "?"
        counts[label] = counts.get(label, 0) + 1
    return counts


def _all(
    hubspot: httpx.Client, object_type: str, prop: str, headers: dict[str, str]
) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        params = {"limit": "100", "properties": prop}
        if after:
            params["after"] = after
        page = hubspot.get(Paths().objects(object_type), params=params, headers=headers).json()
        yield from page["results"]
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return
