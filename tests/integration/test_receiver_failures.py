"""The receiver when Redis refuses or races it (in-process, real Redis)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder

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


def test_a_redis_restart_between_deliveries_costs_no_refusal(own_redis: LocalRedis) -> None:
    client = app(own_redis.url)
    first, first_headers = delivery("orders/create", {"id": 1})
    second, second_headers = delivery("orders/create", {"id": 2})

    assert client.post("/webhooks/shopify", data=first, headers=first_headers).status_code == 200
    # The receiver's connection is closed under it; the script is gone with the old server.
    own_redis.stop()
    own_redis.start()
    answer = client.post("/webhooks/shopify", data=second, headers=second_headers)

    assert answer.json == {"status": "queued"}
    assert queued(redis.Redis.from_url(own_redis.url)) == 2


def call(redis_url: str, environ: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The receiver called as a WSGI server calls it: status line, headers, JSON body."""
    loaded = load_settings(
        _env_file=None,
        redis_url=redis_url,
        shopify_shop_domain=SHOP,
        shopify_webhook_secret=SECRET,
        webhook_max_bytes=4096,
    )
    answered: list[Any] = []
    body = b"".join(
        create_app(loaded)(environ, lambda status, headers: answered.extend((status, headers)))
    )
    return answered[0], dict(answered[1]), json.loads(body)


def test_a_chunked_delivery_is_read_to_its_end_and_one_too_long_refused(redis_url: str) -> None:
    body, headers = delivery("orders/create", {"id": 1})
    big, big_headers = delivery("orders/create", {"id": 2, "note": "x" * 5000})

    def chunked(data: bytes, sent: dict[str, str], terminated: bool) -> dict[str, Any]:
        # A server that reads a chunked body for the app gives no length and ends the stream.
        environ = EnvironBuilder(
            path="/webhooks/shopify", method="POST", data=data, headers=sent
        ).get_environ()
        del environ["CONTENT_LENGTH"]
        environ["wsgi.input_terminated"] = terminated
        return environ

    status, _, answer = call(redis_url, chunked(body, headers, terminated=True))
    assert (status, answer) == ("200 OK", {"status": "queued"})
    status, _, answer = call(redis_url, chunked(big, big_headers, terminated=True))
    assert (status, answer["error"]) == ("413 Request Entity Too Large", "request_entity_too_large")
    status, _, answer = call(redis_url, chunked(body, headers, terminated=False))
    assert (status, answer["error"]) == ("411 Length Required", "length_required")
    assert queued(redis.Redis.from_url(redis_url)) == 1


def test_other_methods_are_answered_405_in_json(redis_url: str) -> None:
    environ = EnvironBuilder(path="/webhooks/shopify", method="GET").get_environ()

    status, headers, answer = call(redis_url, environ)

    assert status == "405 Method Not Allowed"
    assert headers["Allow"] == "POST"
    assert answer["error"] == "method_not_allowed"
