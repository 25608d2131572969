"""A task that ends after its worker lost Redis acknowledges through a channel kombu has
detached from its connection; the request logs that instead of killing the worker."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest
from kombu import Message

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


def request() -> DetachedSafeRequest:
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
    # As the worker's strategy makes it: acknowledging goes through the message.
    return DetachedSafeRequest(
        message,
        on_ack=message.ack_log_error,
        on_reject=message.reject_log_error,
        app=app,
        task=app.tasks["shopspot.sync.customers"],
    )


def _task_message() -> tuple[dict[str, Any], None, Any, None]:
    sent = app.amqp.as_task_v2("task-1", "shopspot.sync.customers", args=(), kwargs={})
    return sent.headers, None, sent.body, None


def test_acknowledging_through_a_detached_channel_leaves_the_message_for_redelivery(
    caplog: pytest.LogCaptureFixture,
) -> None:
    found = request()

    found.acknowledge()

    assert not found.acknowledged
    assert "delivers it again after the visibility timeout" in caplog.text


def test_rejecting_through_a_detached_channel_is_logged_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request().reject(requeue=True)

    assert "delivers it again after the visibility timeout" in caplog.text


def test_every_task_makes_such_requests() -> None:
    mine = [task for name, task in app.tasks.items() if name.startswith("shopspot.")]
    assert len(mine) > 5
    assert {task.Request for task in mine} == {"worker.requests:DetachedSafeRequest"}
