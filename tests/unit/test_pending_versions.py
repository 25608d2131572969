"""W2 in the buffer: an older version of an object never overwrites a newer one, even while
the newer one is being written."""

from __future__ import annotations

import fakeredis
import pytest

from shopspot.pending import Item, PendingBuffer


@pytest.fixture
def buffer() -> PendingBuffer:
    return PendingBuffer(fakeredis.FakeRedis(), "products")


def item(version: int) -> Item:
    return Item("product:s:1", "product:s:1", version, {"version": version})


def test_an_older_version_offered_while_a_newer_one_is_written_is_stale(
    buffer: PendingBuffer,
) -> None:
    buffer.offer(item(2))
    writing = buffer.take(10)

    assert buffer.offer(item(1)) == "stale"
    assert buffer.offer(item(2)) == "duplicate"
    buffer.done(writing)
    assert buffer.take(10) == []


def test_a_newer_version_offered_while_an_older_one_is_written_waits_its_turn(
    buffer: PendingBuffer,
) -> None:
    buffer.offer(item(1))
    writing = buffer.take(10)

    assert buffer.offer(item(2)) == "queued"
    assert buffer.take(10) == []  # one object is never in two flushes
    buffer.done(writing)
    assert [taken.version for taken in buffer.take(10)] == [2]
