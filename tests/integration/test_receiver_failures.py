"""The receiver when enqueueing fails after the delivery was claimed (in-process, real Redis)."""

from __future__ import annotations

import time

import pytest
import redis

from shopspot.events import WebhookEvent
from shopspot.settings import load_settings
from shopspot.topics import Kind
from tests.support.deliveries import delivery
from tests.support.env import SECRET, SHOP
from webapi.app import create_app
from worker.enqueue import EnqueueError

pytestmark = pytest.mark.integration


class FlakyPublisher:
    """Fails the first `failures` publishes, as a broker outage would."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.published: list[tuple[Kind, WebhookEvent]] = []

    def publish(self, kind: Kind, event: WebhookEvent) -> None:
        if self.failures:
            self.failures -= 1
            raise EnqueueError("ConnectionError")
        self.published.append((kind, event))


def app(redis_url: str, publisher: FlakyPublisher, **settings: object):  # type: ignore[no-untyped-def]
    loaded = load_settings(
        _env_file=None,
        redis_url=redis_url,
        shopify_shop_domain=SHOP,
        shopify_webhook_secret=SECRET,
        **settings,
    )
    return create_app(loaded, publisher=publisher).test_client()


def test_a_failed_enqueue_answers_503_and_the_retry_is_accepted(redis_url: str) -> None:
    publisher = FlakyPublisher(failures=1)
    client = app(redis_url, publisher)
    body, headers = delivery("orders/create", {"id": 1})

    failed = client.post("/webhooks/shopify", data=body, headers=headers)
    retried = client.post("/webhooks/shopify", data=body, headers=headers)
    duplicate = client.post("/webhooks/shopify", data=body, headers=headers)

    assert (failed.status_code, failed.json["error"]) == (503, "queue_unavailable")
    assert retried.json == {"status": "queued"}
    assert duplicate.json == {"status": "duplicate"}
    assert [(kind, event.topic) for kind, event in publisher.published] == [
        (Kind.ORDERS, "orders/create")
    ]


def test_a_receiver_that_died_after_claiming_does_not_block_the_retry_for_long(
    redis_url: str,
) -> None:
    publisher = FlakyPublisher(failures=0)
    client = app(redis_url, publisher, webhook_claim_seconds=0.3)
    body, headers = delivery("orders/create", {"id": 1})
    # What a receiver that crashed between claiming and enqueueing leaves behind.
    key = f"{SHOP}|orders/create|{headers['X-Shopify-Event-Id']}"
    redis.Redis.from_url(redis_url).set(f"shopspot:delivery:{key}", "in_flight", px=300)

    during = client.post("/webhooks/shopify", data=body, headers=headers)
    time.sleep(0.4)
    after = client.post("/webhooks/shopify", data=body, headers=headers)

    assert (during.status_code, during.json["error"]) == (503, "in_flight")
    assert after.json == {"status": "queued"}
    assert len(publisher.published) == 1


def test_health_and_readiness(redis_url: str) -> None:
    client = app(redis_url, FlakyPublisher(failures=0))

    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ready"}
    assert client.get("/nowhere").json["error"] == "not_found"
