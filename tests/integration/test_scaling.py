"""Two workers on one Redis share the work and do nothing twice; Flower watches them."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from shopspot.localredis import free_port
from tests.support.deliveries import delivery
from tests.support.env import service_env
from tests.support.hubspot import hubspot_sandbox
from tests.support.idle import settle
from tests.support.processes import SHOPSPOT, Process, start_receiver, start_worker, wait_for
from tests.support.shopify import customer

pytestmark = pytest.mark.integration

EVENTS = 40


@pytest.fixture
def two_workers(
    redis_url: str, tmp_path: Path
) -> Iterator[tuple[str, list[Process], dict[str, str]]]:
    # HubSpot's limits are not what this test is about: raised out of the way.
    with hubspot_sandbox(rate_limit=100_000) as hubspot:
        env = service_env(
            redis_url,
            HUBSPOT_BASE_URL=hubspot.url,
            HUBSPOT_RATE_LIMIT_PER_10S="100000",
            FLOWER_BASIC_AUTH="ops:secret",
        )
        receiver, url = start_receiver(env, tmp_path)
        workers = [start_worker(env, tmp_path, name=name) for name in ("left", "right")]
        yield url, workers, env
        for process in [*workers, receiver]:
            process.stop()


def handled(process: Process) -> list[str]:
    """The event ids a worker's log says it handled."""
    return re.findall(r" handled .*?event_id=(\S+)", process.log())


def test_two_workers_split_the_work_and_do_nothing_twice(
    two_workers: tuple[str, list[Process], dict[str, str]], redis_url: str
) -> None:
    url, workers, _ = two_workers
    for n in range(EVENTS):
        body, headers = delivery(
            "customers/create", customer(customer_id=7_100_000_000_000_000 + n,
                                         email=f"c{n}@example.com"),
        )  # fmt: skip
        assert httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers).is_success

    settle(redis.Redis.from_url(redis_url))
    left, right = (handled(worker) for worker in workers)
    assert left and right, "both workers took events"
    assert len(left) + len(right) == EVENTS
    assert set(left).isdisjoint(right)


def test_flower_shows_the_tasks_behind_basic_auth(
    two_workers: tuple[str, list[Process], dict[str, str]], tmp_path: Path
) -> None:
    url, _, env = two_workers
    port = free_port()
    flower = Process("flower", [*SHOPSPOT, "flower", "--port", str(port)], env, tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(base), timeout=30, message="Flower")

        def seen() -> bool:
            # Flower shows the tasks whose events it received: one that ran before its event
            # consumer was listening is never shown, so a new delivery goes with each look.
            body, headers = delivery("customers/create", customer())
            httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers)
            time.sleep(0.5)
            tasks = httpx.get(f"{base}/api/tasks", auth=("ops", "secret"), timeout=5).json()
            return any(t.get("name") == "shopspot.sync.customers" for t in tasks.values())

        wait_for(seen, timeout=30, message="the task in Flower")
        assert httpx.get(base, timeout=5).status_code == 401
        assert httpx.get(base, auth=("ops", "secret"), timeout=5).status_code == 200
    finally:
        flower.stop()


def _answers(base: str) -> bool:
    try:
        httpx.get(base, timeout=1)
    except httpx.HTTPError:
        time.sleep(0.2)
        return False
    return True
