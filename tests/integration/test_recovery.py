"""W9: work held by a process that died is taken up again within a minute, not after a long
fixed lease: a worker SIGKILLed in the middle of a flush, another worker finishing it."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import redis
from celery import Celery

from shopspot.pending import PendingBuffer
from shopspot.topics import Buffer
from tests.support.deliveries import delivery
from tests.support.env import service_env
from tests.support.hubspot import hubspot_sandbox
from tests.support.processes import start_receiver, start_worker, wait_for
from tests.support.shopify import MUG_LINE, order
from worker.routing import SWEEP_QUEUE, TICK_TASK

pytestmark = pytest.mark.integration

ORDERS = 3


def post(url: str, n: int) -> None:
    payload = order(6_000_000_000_000_001 + n, lines=[(MUG_LINE[0] + n, *MUG_LINE[1:])])
    body, headers = delivery("orders/create", payload)
    assert httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers).is_success


def test_w9_a_flush_killed_mid_batch_is_finished_by_another_worker_within_a_minute(
    redis_url: str, tmp_path: Path
) -> None:
    deals = PendingBuffer(redis.Redis.from_url(redis_url), Buffer.DEALS)
    beat = Celery(broker=redis_url)
    with hubspot_sandbox() as hubspot:
        # The default lease; a time limit that lets a slow flush run.
        env = service_env(
            redis_url,
            HUBSPOT_BASE_URL=hubspot.url,
            TASK_TIME_LIMIT_SECONDS="20",
            BROKER_VISIBILITY_TIMEOUT_SECONDS="30",
        )
        receiver, url = start_receiver(env, tmp_path)
        first = start_worker(env, tmp_path, name="first")
        post(url, 0)  # the worker sets the portal up on its first flush
        wait_for(lambda: hubspot.records("deals", ["dealname"]), message="the first order")
        hubspot.configure(latency_ms=800)  # each HubSpot call slow: the flush is caught midway
        for n in range(1, ORDERS):
            post(url, n)
            line = (MUG_LINE[0] + n, *MUG_LINE[1:])
            body, headers = delivery(
                "orders/create", order(6_000_000_000_000_001 + n, lines=[line])
            )
            assert httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers).is_success
        wait_for(lambda: deals.in_flight() > 0, timeout=30, message="a flush holding orders")
        time.sleep(1.0)  # the flush is now waiting on HubSpot with the whole batch

        first.kill()
        killed = time.monotonic()
        hubspot.configure(latency_ms=0)
        second = start_worker(env, tmp_path, name="second")

        def finished() -> bool:
            # What beat's safety tick does every 30 s, asked for here every second.
            beat.send_task(TICK_TASK, queue=SWEEP_QUEUE)
            time.sleep(1.0)
            return deals.in_flight() == deals.waiting() == 0

        wait_for(finished, timeout=60, message="another worker to finish the killed flush")
        recovered = time.monotonic() - killed

        written = hubspot.records("deals", ["dealname"])
        lines = [hubspot.associated("deals", deal["id"], "line_items") for deal in written]
        second.stop()
        receiver.stop()
    beat.close()

    assert recovered < 60, f"recovered after {recovered:.0f} s"
    assert len(written) == ORDERS and all(len(found) == 1 for found in lines)
