"""REDIS_URL naming Sentinels: the receiver and a worker keep syncing when the master dies.

Real processes throughout: a master, its replica and three Sentinels (redis-server), the
gunicorn receiver, a Celery worker, and the HubSpot sandbox over HTTP.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.deliveries import delivery
from tests.support.env import service_env
from tests.support.hubspot import HubSpotView, hubspot_sandbox
from tests.support.processes import start_receiver, start_worker, wait_for
from tests.support.sentinel import MASTER_NAME, SentinelGroup
from tests.support.shopify import customer

pytestmark = pytest.mark.integration

# Shopify gives up on an answer after 5 s; a slower one counts as a failed delivery.
SHOPIFY_TIMEOUT_SECONDS = 5.0


@dataclass
class Answer:
    at: float
    status: int
    seconds: float


@dataclass
class Stream:
    """Signed customers/create deliveries, one after another, each retried after a 503 as
    Shopify would (sooner, to keep the test short) until it is accepted."""

    url: str
    answers: list[Answer] = field(default_factory=list)
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def send(self) -> str:
        """Deliver the next customer; returns its email once the receiver has accepted it."""
        number = next(self._numbers)
        email = f"buyer-{number}@example.com"
        body, headers = delivery(
            "customers/create", customer(7_000_000_000_000_000 + number, email)
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            status = httpx.post(
                f"{self.url}/webhooks/shopify", content=body, headers=headers, timeout=30
            ).status_code
            self.answers.append(Answer(started, status, time.monotonic() - started))
            if status == 200:
                return email
            time.sleep(0.2)
        raise AssertionError(f"{email} was never accepted")


def emails_in(hubspot: HubSpotView) -> set[str]:
    return {record["properties"]["email"] for record in hubspot.records("contacts", ["email"])}


def test_the_sync_goes_on_after_the_master_fails_over(tmp_path: Path) -> None:
    # The test's own reads of HubSpot share Shopspot's token: room for both.
    with SentinelGroup(tmp_path / "redis") as group, hubspot_sandbox(rate_limit=1000) as hubspot:
        env = service_env(
            group.url,
            REDIS_SENTINEL_MASTER=MASTER_NAME,
            HUBSPOT_BASE_URL=hubspot.url,
            PROBE_DIR=str(tmp_path),
        )
        receiver, url = start_receiver(env, tmp_path)
        worker = start_worker(env, tmp_path)
        try:
            stream = Stream(url)
            first = {stream.send() for _ in range(5)}
            wait_for(lambda: first <= emails_in(hubspot), message="contacts through the master")

            for _ in range(5):
                stream.send()
            killed_at = time.monotonic()
            group.kill_master()
            # The receiver has no master until the replica is promoted: these are answered
            # 503 until then, and retried.
            during = {stream.send() for _ in range(3)}
            wait_for(group.failed_over, timeout=15, message="the replica to be promoted")
            promoted_at = time.monotonic()
            after = {stream.send() for _ in range(10)}

            # Whatever was accepted after the kill was written to the new master: all of it
            # reaches HubSpot. (What the old master had not yet replicated may not; that is
            # reconciliation's to repair.)
            wait_for(
                lambda: during | after <= emails_in(hubspot),
                timeout=60,
                message="the contacts accepted after the master died",
            )
        finally:
            worker.stop()
            receiver.stop()

    assert {answer.status for answer in stream.answers} == {200, 503}
    refused = [answer.at for answer in stream.answers if answer.status == 503]
    assert killed_at <= min(refused)
    assert max(refused) < promoted_at + 2
    assert max(answer.seconds for answer in stream.answers) < SHOPIFY_TIMEOUT_SECONDS
