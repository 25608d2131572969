"""The message the receiver queues for a task, read back as kombu and Celery read it."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from celery import Celery

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from worker.config import BODY_ENCODING
from worker.enqueue import TaskMessages

PAYLOAD = {"id": 820982911946154508, "email": "jon@example.com", "note": 'a "quoted" ünïcode'}
EVENT = WebhookEvent(
    shop="a.myshopify.com",
    topic="orders/create",
    event_id="event-1",
    received_at=1_796_000_000.123,
    payload=PAYLOAD,
)


def read(body: str) -> tuple[dict[str, Any], list[Any]]:
    """The envelope and the task's body, decoded as kombu's virtual channel decodes them."""
    envelope = json.loads(body)
    encoding = envelope["properties"]["body_encoding"]
    if encoding == "base64":
        return envelope, json.loads(base64.b64decode(envelope["body"]))
    assert encoding == BODY_ENCODING
    return envelope, json.loads(envelope["body"])


@pytest.mark.parametrize("encoding", ["base64", BODY_ENCODING])
def test_the_event_arrives_whole_whether_its_payload_text_is_given_or_not(encoding: str) -> None:
    text = json.dumps(PAYLOAD, indent=1, ensure_ascii=False)
    messages = TaskMessages(Celery(), encoding)
    given = messages.message(Kind.ORDERS, EVENT, payload_json=text)
    serialised = messages.message(Kind.ORDERS, EVENT)

    for message in (given, serialised):
        assert read(message.body)[0]["properties"]["body_encoding"] == encoding
        _, (args, kwargs, embed) = read(message.body)
        assert message.queue == "orders"
        assert args == []
        assert kwargs == {"event": EVENT.model_dump(mode="json")}
        assert embed == {"callbacks": None, "errbacks": None, "chain": None, "chord": None}


def test_each_message_has_its_own_ids_and_describes_the_event_without_the_payload() -> None:
    messages = TaskMessages(Celery())
    first, _ = read(messages.message(Kind.ORDERS, EVENT).body)
    second, _ = read(messages.message(Kind.ORDERS, EVENT).body)

    for envelope in (first, second):
        headers, properties = envelope["headers"], envelope["properties"]
        assert headers["task"] == "shopspot.sync.orders"
        assert headers["root_id"] == headers["id"] == properties["correlation_id"]
        assert "820982911946154508" in headers["kwargsrepr"]
        assert "jon@example.com" not in json.dumps(envelope["headers"])
    assert first["headers"]["id"] != second["headers"]["id"]
    assert first["properties"]["delivery_tag"] != second["properties"]["delivery_tag"]


def test_the_headers_and_properties_are_celerys_own_for_the_messages_ids() -> None:
    app = Celery()
    envelope, _ = read(TaskMessages(app).message(Kind.CUSTOMERS, EVENT).body)
    headers, properties = envelope["headers"], envelope["properties"]

    own = app.amqp.as_task_v2(
        headers["id"],
        "shopspot.sync.customers",
        args=(),
        kwargs={},
        argsrepr="()",
        kwargsrepr=repr({"event": EVENT.describe()}),
    )
    assert headers == json.loads(json.dumps(own.headers))
    assert properties.pop("delivery_tag") not in (headers["id"], "")
    assert properties == {
        **own.properties,
        "delivery_mode": 2,
        "delivery_info": {"exchange": "", "routing_key": "customers"},
        "priority": 0,
        "body_encoding": BODY_ENCODING,
    }
