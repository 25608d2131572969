from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from shopspot import logs
from shopspot.events import WebhookEvent


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_logs_are_one_object_per_line_without_payload_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.configure("json", "INFO")
    event = WebhookEvent(
        shop="a.myshopify.com",
        topic="orders/create",
        event_id="e-1",
        received_at=0,
        payload={"id": 820982911946154508, "email": "ada@example.com", "phone": "+44 1"},
    )
    logging.getLogger("shopspot.tasks").info(
        "handled", extra={"fields": {**event.describe(), "task_id": "t-1", "outcome": "queued"}}
    )

    (line,) = capsys.readouterr().err.strip().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "handled"
    assert (entry["shop"], entry["topic"], entry["event_id"]) == (
        "a.myshopify.com",
        "orders/create",
        "e-1",
    )
    assert (entry["object_id"], entry["task_id"], entry["outcome"]) == (
        "820982911946154508",
        "t-1",
        "queued",
    )
    assert "ada@example.com" not in line and "+44 1" not in line


def test_text_logs_put_the_fields_after_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("text", "INFO")
    logging.getLogger("shopspot.webapi").info(
        "queued", extra={"fields": {"shop": "a", "outcome": "queued"}}
    )

    assert capsys.readouterr().err.strip().endswith("queued shop=a outcome=queued")
