"""The receiver on its own (gunicorn, real Redis, no worker): what it refuses, and Redis outages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from shopspot.localredis import LocalRedis
from tests.support.deliveries import delivery
from tests.support.env import SECRET, service_env
from tests.support.processes import start_receiver
from worker.routing import ALL_QUEUES

pytestmark = pytest.mark.integration

PRODUCT = {"id": 632910392, "title": "IPod Nano - 8GB", "updated_at": "2026-11-01T10:00:00Z"}


def queued(client: redis.Redis) -> int:
    return sum(int(client.llen(queue)) for queue in ALL_QUEUES)


@pytest.fixture
def receiver(redis_url: str, tmp_path: Path) -> Iterator[str]:
    process, url = start_receiver(service_env(redis_url, WEBHOOK_MAX_BYTES="4096"), tmp_path)
    yield f"{url}/webhooks/shopify"
    process.stop()


def refusals() -> list[tuple[str, bytes, dict[str, str], int, str]]:
    body, headers = delivery("products/update", PRODUCT)
    no_topic = {key: value for key, value in headers.items() if key != "X-Shopify-Topic"}
    not_json, not_json_headers = delivery("products/update", b"{not json")
    array, array_headers = delivery("products/update", b"[1, 2]")
    big, big_headers = delivery("products/update", {**PRODUCT, "body_html": "x" * 5000})
    return [
        ("no signature", body, {k: v for k, v in headers.items() if "Hmac" not in k}, 401,
         "invalid_signature"),
        ("wrong signature", body, {**headers, "X-Shopify-Hmac-Sha256": "AAAA"}, 401,
         "invalid_signature"),
        ("tampered body", body.replace(b"8GB", b"9GB"), headers, 401, "invalid_signature"),
        ("unknown shop", body, {**headers, "X-Shopify-Shop-Domain": "other.myshopify.com"}, 401,
         "unknown_shop"),
        ("missing topic", body, no_topic, 400, "missing_topic"),
        ("not json", not_json, not_json_headers, 400, "invalid_json"),
        ("json array", array, array_headers, 400, "invalid_json"),
        ("oversized", big, big_headers, 413, "request_entity_too_large"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "body", "headers", "status", "error"), refusals(), ids=lambda v: str(v)[:20]
)
def test_w1_bad_deliveries_are_refused_and_enqueue_nothing(
    receiver: str,
    redis_url: str,
    case: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    error: str,
) -> None:
    response = httpx.post(receiver, content=body, headers=headers)

    assert response.status_code == status, case
    assert response.json()["error"] == error
    assert response.json()["detail"]
    assert queued(redis.Redis.from_url(redis_url)) == 0


def test_a_good_delivery_is_enqueued_on_its_queue(receiver: str, redis_url: str) -> None:
    body, headers = delivery("products/update", PRODUCT)
    response = httpx.post(receiver, content=body, headers=headers)

    assert response.json() == {"status": "queued"}
    client = redis.Redis.from_url(redis_url)
    assert client.llen("products") == 1
    message = json.loads(client.lindex("products", 0) or b"{}")
    assert message["headers"]["task"] == "shopspot.sync.products"


def test_an_unhandled_topic_is_answered_and_not_enqueued(receiver: str, redis_url: str) -> None:
    body, headers = delivery("themes/publish", {"id": 1})
    response = httpx.post(receiver, content=body, headers=headers)

    assert (response.status_code, response.json()["status"]) == (200, "ignored")
    assert queued(redis.Redis.from_url(redis_url)) == 0


def test_a_rotated_secret_and_the_old_one_are_both_accepted(redis_url: str, tmp_path: Path) -> None:
    env = service_env(redis_url, SHOPIFY_WEBHOOK_SECRET=f"new-secret,{SECRET}")
    process, url = start_receiver(env, tmp_path)
    try:
        old = delivery("products/update", PRODUCT)
        new = delivery("products/update", PRODUCT, secret="new-secret")
        for body, headers in (old, new):
            response = httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers)
            assert response.json() == {"status": "queued"}
    finally:
        process.stop()


def test_with_redis_down_the_receiver_answers_503_and_accepts_the_retry_later(
    own_redis: LocalRedis, tmp_path: Path
) -> None:
    process, url = start_receiver(service_env(own_redis.url), tmp_path)
    body, headers = delivery("products/update", PRODUCT)
    try:
        own_redis.stop(kill=True)
        down = httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers, timeout=10)
        ready = httpx.get(f"{url}/readyz", timeout=10)
        own_redis.start()
        up = httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers, timeout=10)
    finally:
        process.stop()

    assert (down.status_code, down.json()["error"]) == (503, "redis_unavailable")
    assert down.headers["Retry-After"]
    assert ready.status_code == 503
    assert up.json() == {"status": "queued"}
    assert redis.Redis.from_url(own_redis.url).llen("products") == 1
