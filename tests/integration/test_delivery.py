"""Signed webhooks over real HTTP to the gunicorn receiver, a real Celery worker, real Redis."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from celery import Celery

from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from shopspot.pending import PendingBuffer
from shopspot.topics import TOPICS, Buffer, Kind, kind_of
from tests.support.deliveries import delivery
from tests.support.env import SHOP, service_env
from tests.support.hubspot import HubSpotView, hubspot_sandbox
from tests.support.processes import Process, start_receiver, start_worker, wait_for
from tests.support.reference import SAMPLES, sample, sample_topics
from tests.support.topic_payloads import Load, own_payload
from worker.config import BODY_ENCODING
from worker.routing import ALL_QUEUES

pytestmark = pytest.mark.integration

CUSTOMER = {
    "id": 7_205_486_837_022_512_345,
    "email": "ada@example.com",
    "first_name": "Ada",
    "created_at": "2026-11-01T10:00:00-05:00",
    "updated_at": "2026-11-01T10:00:00-05:00",
}


class Stack:
    def __init__(
        self, redis_url: str, receiver: Process, url: str, worker: Process, hubspot: HubSpotView
    ) -> None:
        self.hubspot = hubspot
        self.client = redis.Redis.from_url(redis_url)
        self.activity = ActivityLog(self.client)
        self.dead_letters = DeadLetterStore(self.client)
        self.receiver = receiver
        self.url = url
        self.worker = worker

    def post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{self.url}/webhooks/shopify", content=body, headers=headers)

    def succeeded(self, kind: Kind) -> int:
        return self.activity.get(SHOP, kind).succeeded

    def drained(self) -> bool:
        buffers = [PendingBuffer(self.client, name) for name in Buffer]
        return not any(buffer.waiting() or buffer.in_flight() for buffer in buffers)

    def queued(self) -> int:
        return sum(int(self.client.llen(queue)) for queue in ALL_QUEUES)


@pytest.fixture
def stack(redis_url: str, tmp_path: Path) -> Iterator[Stack]:
    with hubspot_sandbox() as hubspot:
        # The HubSpot set-up runs in the first flush and spends most of the default budget of
        # 100 calls per 10 s; a budget this file does not test must not stall a flush past
        # its time limit (tests/integration/test_ratelimit.py tests the budget).
        env = service_env(
            redis_url,
            PROBE_DIR=str(tmp_path),
            HUBSPOT_BASE_URL=hubspot.url,
            HUBSPOT_RATE_LIMIT_PER_10S="100000",
        )
        receiver, url = start_receiver(env, tmp_path)
        worker = start_worker(env, tmp_path)
        yield Stack(redis_url, receiver, url, worker, hubspot)
        worker.stop()
        receiver.stop()


def test_a_signed_delivery_reaches_its_task_and_hubspot(stack: Stack) -> None:
    response = stack.post(*delivery("customers/create", CUSTOMER))

    assert response.status_code == 200
    assert response.json() == {"status": "queued"}
    wait_for(lambda: stack.succeeded(Kind.CUSTOMERS) == 1, message="the customer task")
    wait_for(stack.drained, message="the contact to be written")
    (contact,) = stack.hubspot.records("contacts", ["email", "shopify_customer_id"])
    assert contact["properties"]["email"] == "ada@example.com"
    assert contact["properties"]["shopify_customer_id"] == str(CUSTOMER["id"])
    assert stack.dead_letters.count() == 0


@pytest.mark.parametrize(
    ("load", "topics"),
    [
        pytest.param(own_payload, list(TOPICS), id="own"),
        SAMPLES.param(sample, sample_topics(), id="shopify"),
    ],
)
def test_every_payload_is_processed_by_its_task(
    stack: Stack, load: Load, topics: list[str]
) -> None:
    expected: Counter[Kind] = Counter()
    # shop/redact goes last: it erases what Shopspot keeps about the shop, counts included.
    for topic in sorted(topics, key=lambda t: t == "shop/redact"):
        response = stack.post(*delivery(topic, load(topic)))
        kind = kind_of(topic)
        if kind is None:
            assert response.json()["status"] == "ignored", topic
        else:
            assert response.json() == {"status": "queued"}, topic
            expected[kind] += 1

        if topic == "shop/redact":
            break
        if kind is not None:
            wait_for(lambda k=kind, n=expected[kind]: stack.succeeded(k) == n, message=topic)

    assert len(expected) == len(Kind)
    # After shop/redact, the redact itself is all Shopspot remembers doing for the shop, but for
    # the ids of products deleted in Shopify once that deletion reached HubSpot: shop/redact
    # does not erase that set yet (it matches keys with the shop between colons, and this one
    # ends with it).
    wait_for(lambda: stack.succeeded(Kind.PRIVACY) == 1, message="shop/redact")
    deleted_products = f"shopspot:mem:deleted:{SHOP}".encode()
    assert set(stack.client.keys(f"shopspot:mem:*{SHOP}*")) <= {deleted_products}
    wait_for(stack.drained, message="the pending buffers to drain")
    assert stack.dead_letters.list() == []
    assert stack.hubspot.records("products", ["name"])


def test_a_duplicate_delivery_is_processed_once(stack: Stack) -> None:
    body, headers = delivery("customers/update", CUSTOMER)
    first = stack.post(body, headers)
    # Shopify's retry of the same event carries a new webhook id and the same event id.
    retry_headers = {**headers, "X-Shopify-Webhook-Id": "another-delivery-of-the-same-event"}
    second = stack.post(body, retry_headers)

    assert first.json() == {"status": "queued"}
    assert (second.status_code, second.json()) == (200, {"status": "duplicate"})
    wait_for(lambda: stack.succeeded(Kind.CUSTOMERS) == 1, message="the customer task")
    other = stack.post(*delivery("customers/update", CUSTOMER))
    assert other.json() == {"status": "queued"}
    wait_for(lambda: stack.succeeded(Kind.CUSTOMERS) == 2, message="the second event")


def test_a_payload_that_does_not_parse_becomes_a_dead_letter_with_its_reason(
    stack: Stack,
) -> None:
    bad = {**CUSTOMER, "id": "not-a-number"}
    assert stack.post(*delivery("customers/create", bad)).status_code == 200

    wait_for(stack.dead_letters.count, message="a dead letter")
    (letter,) = stack.dead_letters.list()
    assert letter.event.topic == "customers/create"
    assert letter.reason.startswith("invalid payload: ")
    assert "field: id" in letter.reason
    assert "ada@example.com" not in letter.reason
    assert stack.activity.get(SHOP, Kind.CUSTOMERS).failed == 1


def test_the_worker_runs_the_message_the_receiver_queued_as_celerys_own(
    redis_url: str, tmp_path: Path
) -> None:
    client = redis.Redis.from_url(redis_url)
    # What Celery's own publish puts on a queue, to hold the receiver's message against.
    producer = Celery(broker=redis_url)
    producer.conf.broker_transport_options = {"body_encoding": BODY_ENCODING}
    producer.send_task("shopspot.sync.customers", kwargs={"event": {}}, queue="celery-own")
    producer.close()
    own = json.loads(client.lpop("celery-own") or b"{}")

    with hubspot_sandbox() as hubspot:
        env = service_env(
            redis_url, HUBSPOT_BASE_URL=hubspot.url, HUBSPOT_RATE_LIMIT_PER_10S="100000"
        )
        receiver, url = start_receiver(env, tmp_path)
        body, headers = delivery("customers/create", CUSTOMER)
        try:
            answer = httpx.post(f"{url}/webhooks/shopify", content=body, headers=headers)
        finally:
            receiver.stop()
        assert answer.json() == {"status": "queued"}
        (raw,) = client.lrange("customers", 0, -1)
        message = json.loads(raw)

        # Celery's task protocol 2 in kombu's Redis envelope, field for field.
        assert message.keys() == own.keys()
        assert message["headers"].keys() == own["headers"].keys()
        assert message["properties"].keys() == own["properties"].keys()
        for field in ("content-type", "content-encoding"):
            assert message[field] == own[field]
        assert message["properties"]["body_encoding"] == own["properties"]["body_encoding"]
        assert message["properties"]["delivery_info"] == {
            "exchange": "",
            "routing_key": "customers",
        }
        assert message["properties"]["priority"] == own["properties"]["priority"]
        assert message["headers"]["task"] == "shopspot.sync.customers"
        args, kwargs, embed = json.loads(message["body"])
        assert (args, embed) == tuple(json.loads(own["body"])[0::2])
        assert kwargs["event"]["payload"] == CUSTOMER
        assert kwargs["event"]["event_id"] == headers["X-Shopify-Event-Id"]
        # Flower and the logs see the event's ids, never the payload.
        assert "ada@example.com" not in json.dumps(message["headers"])

        task_id = message["headers"]["id"]
        worker = start_worker(env, tmp_path)
        try:
            activity = ActivityLog(client)
            wait_for(lambda: activity.get(SHOP, Kind.CUSTOMERS).succeeded == 1, message="the task")
        finally:
            worker.stop()
    log = worker.log()
    assert f"Task shopspot.sync.customers[{task_id}] received" in log
    assert f"Task shopspot.sync.customers[{task_id}] succeeded" in log
