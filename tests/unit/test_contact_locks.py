"""A flush's hold on the contacts it writes lasts as long as the flush lives, and not much
longer (W9)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import fakeredis
import pytest

from shopspot.sync import memory as memory_module
from shopspot.sync.memory import ContactsBusy, Memory

LEASE = 0.3


@pytest.fixture
def memory() -> Memory:
    return Memory(fakeredis.FakeRedis(), contact_lease_seconds=LEASE)


def test_a_live_flush_keeps_its_contacts_past_the_lease(memory: Memory) -> None:
    with memory.writing_contacts(["ada@example.com"]):
        time.sleep(LEASE * 3)
        with pytest.raises(ContactsBusy), memory.writing_contacts(["ada@example.com"], 0.1):
            pass

    with memory.writing_contacts(["ada@example.com"], 0.1):
        pass  # released at once when the flush ends


def test_a_dead_flush_frees_its_contacts_after_one_lease(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextlib.contextmanager
    def never_renewed(*_: object) -> Iterator[None]:
        yield

    monkeypatch.setattr(memory_module, "renewed", never_renewed)
    held = memory.writing_contacts(["ada@example.com"])
    held.__enter__()  # and never left: the holder died
    monkeypatch.undo()

    started = time.monotonic()
    with memory.writing_contacts(["ada@example.com"], wait_seconds=LEASE * 5):
        waited = time.monotonic() - started
    assert LEASE * 0.5 < waited < LEASE * 2
