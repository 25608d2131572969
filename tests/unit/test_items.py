"""Pending items carry what was decided when their event was queued: the buffer, the group
(a sale's deal), the version and the parsed model, which loads back unchanged."""

from __future__ import annotations

import json
import time
from typing import Any

import fakeredis
import pytest

from shopspot.events import WebhookEvent
from shopspot.pending import Item
from shopspot.sync.items import abandon_item, event_of, item_for, model_of
from shopspot.sync.memory import Memory
from shopspot.topics import TOPICS, Buffer, parse_payload
from tests.support.reference import topic_of
from tests.support.topic_payloads import FIXTURES, own_payload

SHOP = "kiln-and-co.myshopify.com"


def envelope(topic: str, payload: dict[str, Any]) -> WebhookEvent:
    return WebhookEvent(
        shop=SHOP,
        topic=topic,
        event_id="e-1",
        api_version="2024-10",
        received_at=time.time(),
        payload=payload,
    )


@pytest.fixture
def memory() -> Memory:
    return Memory(fakeredis.FakeRedis())


def stored(item: Item) -> Item:
    return Item.load(item.dump())


WRITTEN_TOPICS = [name for name, topic in TOPICS.items() if topic.buffer is not None]
OLDER_FIXTURES = sorted(FIXTURES.glob("2024-*/*.json"))


def written_payloads() -> list[Any]:
    """Every topic that writes to HubSpot, in the simulator's payloads, and the older shapes."""
    own = [pytest.param(t, own_payload(t), id=f"own:{t}") for t in WRITTEN_TOPICS]
    older = [
        pytest.param(topic_of(p), json.loads(p.read_text()), id=f"{p.parent.name}/{p.name}")
        for p in OLDER_FIXTURES
    ]
    return own + older


@pytest.mark.parametrize(("topic", "payload"), written_payloads())
def test_the_queued_model_loads_back_as_parsed(
    topic: str, payload: dict[str, Any], memory: Memory
) -> None:
    event = envelope(topic, payload)
    model = parse_payload(topic, event.payload)

    buffer, item = item_for(event, model, memory) or (None, None)
    assert buffer is TOPICS[topic].buffer and item is not None

    loaded = stored(item)
    again = event_of(loaded)
    assert again is not None
    assert model_of(loaded, again) == model
    # The dead letter names the same object (by its field name where Shopify used an alias).
    named, raw = again.describe(), event.describe()
    assert named == raw | {
        "object_id": named["object_id"] if raw["object_id"] is None else raw["object_id"]
    }


def test_a_sale_is_grouped_by_the_deal_it_was_queued_for(memory: Memory) -> None:
    order = {"id": 7, "checkout_token": "tok123", "updated_at": "2024-10-02T10:00:00Z"}
    checkout = {"token": "tok123", "updated_at": "2024-10-01T10:00:00Z"}

    found = [
        item_for(envelope(topic, payload), parse_payload(topic, payload), memory)
        for topic, payload in (("orders/updated", order), ("checkouts/update", checkout))
    ]

    (order_buffer, order_item), (checkout_buffer, checkout_item) = [f for f in found if f]
    assert order_buffer is checkout_buffer is Buffer.DEALS
    assert order_item.group == checkout_item.group  # one deal: never in two flushes at once
    assert order_item.version == 1727863200000


def test_an_imported_order_keeps_its_deal_when_its_webhook_names_the_token(
    memory: Memory,
) -> None:
    memory.remember_deal_keys({f"{SHOP}:order:7": f"{SHOP}:order:7"})
    payload = {"id": 7, "checkout_token": "tok123"}

    event = envelope("orders/paid", payload)
    _, item = item_for(event, parse_payload(event.topic, payload), memory) or (None, None)

    assert item is not None and item.group == f"{SHOP}:order:7"


def test_customers_delete_writes_nothing(memory: Memory) -> None:
    payload = {"id": 1}
    event = envelope("customers/delete", payload)

    assert item_for(event, parse_payload("customers/delete", payload), memory) is None


def test_the_sweeps_items_come_from_no_event() -> None:
    item = stored(abandon_item(f"{SHOP}:tok123", now=1_700_000_000.0))

    assert event_of(item) is None
    assert item.group == f"{SHOP}:tok123"
