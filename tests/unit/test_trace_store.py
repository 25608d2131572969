"""The trace store on fakeredis: stories in order, capped per object and in the number of
objects, expiring, merging runs of failed flushes, forgetting a customer or a shop (W5), and
holding no payload value."""

from __future__ import annotations

import time
from typing import Any

import fakeredis
import pytest
import redis

from shopspot.events import WebhookEvent
from shopspot.trace import store
from shopspot.trace.notes import about, subject_of
from shopspot.trace.store import Entry, Note, Record, Step, Subject, Traced, TraceStore
from tests.support.shopify import customer, order

SHOP = "a.myshopify.com"
OTHER = "b.myshopify.com"
DAYS = 14


@pytest.fixture
def client() -> fakeredis.FakeRedis:
    return fakeredis.FakeRedis()


@pytest.fixture
def traces(client: fakeredis.FakeRedis) -> TraceStore:
    return TraceStore(client, DAYS)


def note(
    subject: Subject,
    outcome: str = "accepted",
    at: float | None = None,
    step: Step = Step.RECEIVER,
    **details: Any,
) -> Note:
    entry = Entry(at=time.time() if at is None else at, step=step, outcome=outcome, **details)
    return Note(subject, entry)


def an_order(ident: int = 1, shop: str = SHOP) -> Subject:
    return Subject(shop, Traced.ORDER, str(ident))


def outcomes(traces: TraceStore, subject: Subject) -> list[str]:
    return [entry.outcome for entry in traces.entries(subject)]


def test_steps_are_told_in_the_order_they_happened(traces: TraceStore) -> None:
    # The receiver times its step by the delivery's arrival, after its task has recorded.
    traces.record([note(an_order(), "queued", at=1002.0, step=Step.TASK)])
    traces.record([note(an_order(), "accepted", at=1001.0), note(an_order(2), at=1003.0)])

    assert outcomes(traces, an_order()) == ["accepted", "queued"]
    assert outcomes(traces, an_order(2)) == ["accepted"]


def test_an_object_keeps_its_latest_steps_only(traces: TraceStore) -> None:
    traces.record(note(an_order(), f"step-{n}", at=1000.0 + n) for n in range(store.MAX_STEPS + 5))

    assert outcomes(traces, an_order()) == [f"step-{n}" for n in range(5, store.MAX_STEPS + 5)]


def test_the_objects_whose_last_step_is_oldest_are_forgotten_past_the_bound(
    traces: TraceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_OBJECTS", 3)
    for ident in range(1, 5):
        traces.record([note(an_order(ident))])
        time.sleep(0.01)
    traces.record([note(an_order(1), "duplicate")])  # the first is touched again: kept
    traces.record([note(an_order(5))])

    kept = [ident for ident in range(1, 6) if traces.entries(an_order(ident))]
    assert kept == [1, 4, 5]


def test_the_bound_is_kept_in_batches_of_a_64th(
    traces: TraceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_OBJECTS", 128)
    traces.record(note(an_order(ident)) for ident in range(1, 4))
    time.sleep(0.01)
    traces.record(note(an_order(ident)) for ident in range(4, 131))

    assert all(traces.entries(an_order(ident)) for ident in range(1, 131))
    time.sleep(0.01)
    traces.record([note(an_order(131))])

    kept = [ident for ident in range(1, 132) if traces.entries(an_order(ident))]
    assert kept == list(range(4, 132))


def test_a_step_names_a_few_records_and_counts_the_others(traces: TraceStore) -> None:
    variants = tuple(Record(type="product", id=str(n)) for n in range(store.MAX_RECORDS + 4))
    reason = "HubSpot 400 VALIDATION_ERROR: " + "x" * 1000
    traces.record([note(an_order(), "written", records=variants, reason=reason)])

    (entry,) = traces.entries(an_order())
    assert entry.records == variants[: store.MAX_RECORDS]
    assert entry.more_records == 4
    assert entry.reason == reason[: store.MAX_REASON]


def test_a_story_expires_after_its_last_step(
    traces: TraceStore, client: fakeredis.FakeRedis
) -> None:
    traces.record([note(an_order())])
    (key,) = client.keys("shopspot:trace:*|*")
    client.pexpire(key, 1000)

    traces.record([note(an_order(), "queued", step=Step.TASK)])

    assert (DAYS * 86400) - 5 < client.ttl(key) <= DAYS * 86400
    client.pexpire(key, 1)
    time.sleep(0.01)
    assert traces.entries(an_order()) == []


def test_failed_flushes_in_a_row_are_one_step_that_counts_them(traces: TraceStore) -> None:
    subject = an_order()
    for n in range(3):
        traces.record([note(subject, "retry", at=1000.0 + n, step=Step.FLUSH, reason=f"r{n}")])
    traces.record([note(subject, "accepted", at=1003.0)])
    traces.record([note(subject, "retry", at=1004.0, step=Step.FLUSH, reason="r4")])
    traces.record([note(subject, "written", at=1005.0, step=Step.FLUSH)])

    first, delivery, second, written = traces.entries(subject)
    assert (first.retries, first.since, first.at, first.reason) == (3, 1000.0, 1002.0, "r2")
    assert delivery.outcome == "accepted"
    assert (second.retries, second.since, second.reason) == (None, None, "r4")
    assert written.outcome == "written"


def test_a_customer_and_their_orders_are_forgotten(traces: TraceStore) -> None:
    kept = [
        an_order(71),
        an_order(70, shop=OTHER),
        Subject(SHOP, Traced.CUSTOMER, "8"),
        Subject(SHOP, Traced.PRODUCT, "7"),
    ]
    erased = [an_order(70), Subject(SHOP, Traced.CUSTOMER, "7")]
    traces.record(note(subject) for subject in [*kept, *erased])

    assert traces.forget_customer(SHOP, 7, [70]) == 2
    assert [bool(traces.entries(s)) for s in [*kept, *erased]] == [True] * 4 + [False] * 2
    assert traces.forget_customer(SHOP, None, []) == 0


def test_a_shop_is_forgotten_everywhere_and_another_kept(
    traces: TraceStore, client: fakeredis.FakeRedis
) -> None:
    mine = [
        an_order(1),
        Subject(SHOP, Traced.CHECKOUT, "c0ffee"),
        Subject(SHOP, Traced.PRODUCT, "1"),
    ]
    traces.record(note(subject) for subject in [*mine, an_order(1, shop=OTHER)])

    assert traces.forget_shop(SHOP) == 3
    assert [traces.entries(s) for s in mine] == [[], [], []]
    assert outcomes(traces, an_order(1, shop=OTHER)) == ["accepted"]
    names = [key.decode() for key in client.keys("*")]
    members = [
        m.decode()
        for key in names
        if client.type(key) == b"zset"
        for m in client.zrange(key, 0, -1)
    ]
    assert not [name for name in [*names, *members] if SHOP in name]


def test_a_trace_holds_ids_topics_times_and_outcomes_and_no_payload_value(
    traces: TraceStore, client: fakeredis.FakeRedis
) -> None:
    payload = customer(email="ada@example.com", first_name="Ada", note="Prefers email")
    event = WebhookEvent(shop=SHOP, topic="customers/update", event_id="e1",
                         received_at=time.time(), payload=payload)  # fmt: skip
    traces.record([about(event, Step.RECEIVER, "accepted")])

    (key,) = client.keys("shopspot:trace:*|*")
    (raw,) = client.lrange(key, 0, -1)
    assert key.decode() == f"shopspot:trace:{SHOP}|customer|{payload['id']}"
    for value in ("ada@example.com", "Ada", "Lovelace", "Prefers email", "London", "+44"):
        assert value not in raw.decode()
    (entry,) = traces.entries(Subject(SHOP, Traced.CUSTOMER, str(payload["id"])))
    assert (entry.topic, entry.event_id) == ("customers/update", "e1")
    assert entry.version is not None


def test_a_trace_lost_to_redis_costs_nothing_else() -> None:
    unreachable = redis.Redis(port=1, socket_connect_timeout=0.2)

    TraceStore(unreachable, DAYS).record([note(an_order())])  # no exception


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("orders/updated", order(order_id=70), (Traced.ORDER, "70")),
        ("orders/delete", {"id": "70"}, (Traced.ORDER, "70")),
        ("checkouts/update", {"token": "00c0ffee", "id": 5}, (Traced.CHECKOUT, "00c0ffee")),
        ("checkouts/delete", {"id": 5, "cart_token": "cart-1"}, (Traced.CHECKOUT, "5")),
        ("customers/update", customer(customer_id=7), (Traced.CUSTOMER, "7")),
        ("customer.tags_added", {"customerId": "gid://shopify/Customer/7"}, (Traced.CUSTOMER, "7")),
        ("customers_email_marketing_consent/update", {"customer_id": 7}, (Traced.CUSTOMER, "7")),
        ("products/delete", {"id": 9}, (Traced.PRODUCT, "9")),
        ("customers/redact", {"customer": {"id": 7}}, None),
        ("orders/create", {"id": "ada@example.com"}, None),
        ("orders/create", {"id": 1.5}, None),
    ],
)
def test_an_event_names_its_object_by_id_or_checkout_token(
    topic: str, payload: dict[str, Any], expected: tuple[Traced, str] | None
) -> None:
    found = subject_of(SHOP, topic, payload)

    assert found == (None if expected is None else Subject(SHOP, *expected))
