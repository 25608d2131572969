"""The receiver when Redis refuses or races it (in-process, real Redis)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from flask.testing import FlaskClient

from shopspot.localredis import LocalRedis
from shopspot.settings import load_settings
from tests.support.deliveries import delivery
from tests.support.env import SECRET, SHOP
from webapi.app import create_app
from worker.routing import ALL_QUEUES

pytestmark = pytest.mark.integration


def app(redis_url: str) -> FlaskClient:
    loaded = load_settings(
        _env_file=None, redis_url=redis_url, shopify_shop_domain=SHOP, shopify_webhook_secret=SECRET
    )
    return create_app(loaded).test_client()


def queued(client: redis.Redis) -> int:
    return sum(int(client.llen(queue)) for queue in ALL_QUEUES)


def test_a_write_redis_refuses_answers_503_leaves_nothing_and_the_retry_is_accepted(
    own_redis: LocalRedis,
) -> None:
    client = app(own_redis.url)
    server = redis.Redis.from_url(own_redis.url)
    body, headers = delivery("orders/create", {"id": 1})
    # Redis out of memory (noeviction) refuses every write, as it does in production.
    server.config_set("maxmemory", 1)
    try:
        refused = client.post("/webhooks/shopify", data=body, headers=headers)
        left = server.keys("shopspot:delivery:*"), queued(server)
    finally:
        server.config_set("maxmemory", 0)
    retried = client.post("/webhooks/shopify", data=body, headers=headers)
    duplicate = client.post("/webhooks/shopify", data=body, headers=headers)

    assert (refused.status_code, refused.json["error"]) == (503, "redis_unavailable")
    assert refused.headers["Retry-After"]
    assert left == ([], 0)
    assert retried.json == {"status": "queued"}
    assert duplicate.json == {"status": "duplicate"}
    assert queued(server) == 1


def test_the_same_delivery_arriving_at_once_is_queued_once(redis_url: str) -> None:
    body, headers = delivery("orders/create", {"id": 1})

    def post(_: int) -> str:
        answer = app(redis_url).post("/webhooks/shopify", data=body, headers=headers)
        return str(answer.json["status"] if answer.json else answer.status_code)

    with ThreadPoolExecutor(8) as pool:
        answers = sorted(pool.map(post, range(16)))

    assert answers == ["duplicate"] * 15 + ["queued"]
    assert queued(redis.Redis.from_url(redis_url)) == 1


def test_health_and_readiness(redis_url: str) -> None:
    client = app(redis_url)

    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ready"}
    assert client.get("/nowhere").json["error"] == "not_found"
