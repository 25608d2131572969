"""A flush's hold on its batch lasts as long as the flush lives, and not much longer (W9);
where an item is meanwhile."""

from __future__ import annotations

import time

import fakeredis
import pytest

from shopspot.pending import Item, PendingBuffer

LEASE = 0.3


@pytest.fixture
def buffer() -> PendingBuffer:
    buffer = PendingBuffer(fakeredis.FakeRedis(), "deals", lease_seconds=LEASE)
    buffer.offer_many([Item(f"order:s:{n}", f"deal:{n}", 1, {}) for n in range(3)])
    return buffer


def test_a_live_flush_keeps_its_batch_past_the_lease(buffer: PendingBuffer) -> None:
    items = buffer.take(10)
    with buffer.holding(items):
        time.sleep(LEASE * 3)
        assert buffer.release_expired() == 0
        assert buffer.in_flight() == 3
    buffer.done(items)

    time.sleep(LEASE * 1.5)  # a settled batch is not leased again by a late renewal
    assert (buffer.in_flight(), buffer.waiting(), buffer.release_expired()) == (0, 0, 0)


def test_a_dead_flush_gives_its_batch_back_after_one_lease(buffer: PendingBuffer) -> None:
    buffer.take(10)  # and never renewed: the holder died

    assert buffer.release_expired() == 0
    time.sleep(LEASE * 1.5)
    assert buffer.release_expired() == 3
    assert [item.key for item in buffer.take(10)] == [f"order:s:{n}" for n in range(3)]


def test_an_item_is_found_waiting_in_flight_both_or_nowhere(buffer: PendingBuffer) -> None:
    (taken,) = buffer.take(1)
    buffer.offer(Item(taken.key, taken.group, 2, {}))  # a newer version, while it is written

    assert buffer.whereabouts([taken.key, "order:s:1", "order:s:9"]) == {
        taken.key: ("waiting", "in_flight"),
        "order:s:1": ("waiting",),
    }
