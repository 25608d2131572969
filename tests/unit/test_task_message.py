"""The message the receiver queues for a task, read back as kombu and Celery read it."""

from __future__ import annotations

import base64
import json
from typing import Any

from celery import Celery

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from worker.enqueue import task_message

PAYLOAD = {"id": 820982911946154508, "email": "jon@example.com", "note": 'a "quoted" ünïcode'}
EVENT = WebhookEvent(
    shop="a.myshopify.com",
    topic="orders/create",
    event_id="event-1",
    received_at=1_796_000_000.123,
    payload=PAYLOAD,
)


def read(body: str) -> tuple[dict[str, Any], list[Any]]:
    envelope = json.loads(body)
    assert envelope["properties"]["body_encoding"] == "base64"
    decoded = base64.b64decode(envelope["body"]).decode(envelope["content-encoding"])
    return envelope, json.loads(decoded)


def test_the_event_arrives_whole_whether_its_payload_text_is_given_or_not() -> None:
    text = json.dumps(PAYLOAD, indent=1, ensure_ascii=False)
    given = task_message(Celery(), Kind.ORDERS, EVENT, payload_json=text)
    serialised = task_message(Celery(), Kind.ORDERS, EVENT)

    for message in (given, serialised):
        _, (args, kwargs, embed) = read(message.body)
        assert message.queue == "orders"
        assert args == []
        assert kwargs == {"event": EVENT.model_dump(mode="json")}
        assert embed == {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


def test_each_message_has_its_own_ids_and_describes_the_event_without_the_payload() -> None:
    first, _ = read(task_message(Celery(), Kind.ORDERS, EVENT).body)
    second, _ = read(task_message(Celery(), Kind.ORDERS, EVENT).body)

    for envelope in (first, second):
        headers, properties = envelope["headers"], envelope["properties"]
        assert headers["task"] == "shopspot.sync.orders"
        assert headers["root_id"] == headers["id"] == properties["correlation_id"]
        assert "820982911946154508" in headers["kwargsrepr"]
        assert "jon@example.com" not in json.dumps(envelope["headers"])
    assert first["headers"]["id"] != second["headers"]["id"]
    assert first["properties"]["delivery_tag"] != second["properties"]["delivery_tag"]
