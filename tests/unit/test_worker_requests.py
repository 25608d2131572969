"""A task that ends after its worker lost Redis acknowledges through a channel kombu has
detached from its connection; the request logs that instead of killing the worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from kombu import Message
from vine import promise

import tasks.flush
import tasks.sync  # noqa: F401  (registers the tasks)
from worker.app import app
from worker.requests import DetachedSafeRequest


class _DetachedChannel:
    """What kombu's Redis channel does once Celery has collected its connection: building a
    client for the ack reads `connection.client.hostname`, and the client is None."""

    no_ack_consumers: ClassVar[set[str]] = set()

    def basic_ack(self, delivery_tag: str, multiple: bool = False) -> None:
        raise AttributeError("'NoneType' object has no attribute 'hostname'")

    def basic_reject(self, delivery_tag: str, requeue: bool = False) -> None:
        self.basic_ack(delivery_tag)


@pytest.fixture(autouse=True)
def _settings(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)  # Celery reads its configuration from them


class _Hub:
    """What the worker's event loop does with an acknowledgement: runs it later."""

    def __init__(self) -> None:
        self.ready: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> None:
        self.ready.append((callback, args))

    def run(self) -> None:
        while self.ready:
            callback, args = self.ready.pop(0)
            callback(*args)


def request(hub: _Hub) -> tuple[DetachedSafeRequest, Message]:
    headers, _, body, _ = _task_message()
    message = Message(
        body=json.dumps(body),
        channel=_DetachedChannel(),
        headers=headers,
        content_type="application/json",
        content_encoding="utf-8",
        delivery_info={"exchange": "", "routing_key": "customers"},
        delivery_tag="tag-1",
    )
    # As Celery's consumer makes it: acknowledging queues the message's ack on the hub.
    made = DetachedSafeRequest(
        message,
        on_ack=promise(hub.call_soon, (message.ack_log_error,)),
        on_reject=promise(hub.call_soon, (message.reject_log_error,)),
        app=app,
        task=app.tasks["shopspot.sync.customers"],
    )
    return made, message


def _task_message() -> tuple[dict[str, Any], None, Any, None]:
    sent = app.amqp.as_task_v2("task-1", "shopspot.sync.customers", args=(), kwargs={})
    return sent.headers, None, sent.body, None


def test_acknowledging_through_a_detached_channel_leaves_the_message_for_redelivery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = _Hub()
    found, message = request(hub)

    found.acknowledge()
    hub.run()

    assert not message.acknowledged
    assert "Couldn't ack" in caplog.text


def test_rejecting_through_a_detached_channel_is_logged_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = _Hub()
    found, message = request(hub)

    found.reject(requeue=True)
    hub.run()

    assert not message.acknowledged
    assert "Couldn't reject" in caplog.text


def test_every_task_makes_such_requests() -> None:
    mine = [task for name, task in app.tasks.items() if name.startswith("shopspot.")]
    assert len(mine) > 5
    assert {task.Request for task in mine} == {"worker.requests:DetachedSafeRequest"}
