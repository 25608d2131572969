"""A part batch waits a while for the items that may fill it; a full batch never waits."""

from __future__ import annotations

import time

import fakeredis
import pytest

from shopspot.pending import Item, PendingBuffer


@pytest.fixture
def buffer() -> PendingBuffer:
    return PendingBuffer(fakeredis.FakeRedis(), "products")


def offer(buffer: PendingBuffer, *idents: int) -> None:
    buffer.offer_many([Item(f"product:s:{n}", f"product:s:{n}", 1, {}) for n in idents])


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + seconds)


def test_a_part_batch_is_held_until_its_oldest_item_has_waited(
    buffer: PendingBuffer, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer(buffer, 1, 2)
    assert buffer.take(3, hold=30) == []

    later(monkeypatch, 31)
    assert [item.key for item in buffer.take(3, hold=30)] == ["product:s:1", "product:s:2"]


def test_a_full_batch_is_taken_at_once(buffer: PendingBuffer) -> None:
    offer(buffer, 1, 2, 3, 4)
    assert len(buffer.take(3, hold=30)) == 3
    assert buffer.take(3, hold=30) == []  # the one left is a part batch again
    assert len(buffer.take(3)) == 1  # unless nothing is held


def test_the_wait_counts_from_the_oldest_item_not_the_newest(
    buffer: PendingBuffer, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer(buffer, 1)
    later(monkeypatch, 20)
    offer(buffer, 2)
    assert buffer.take(3, hold=30) == []

    later(monkeypatch, 31)
    assert len(buffer.take(3, hold=30)) == 2


def test_without_a_hold_an_item_from_a_clock_running_ahead_is_taken(
    buffer: PendingBuffer, monkeypatch: pytest.MonkeyPatch
) -> None:
    later(monkeypatch, 5)  # the host that offered it
    offer(buffer, 1)
    monkeypatch.undo()

    assert len(buffer.take(3)) == 1
