"""The sweep (D8) queues every checkout that is due, however many pages they fill, and none
that is still pending."""

from __future__ import annotations

import fakeredis

from shopspot.pending import PendingBuffer
from shopspot.sync import sweep
from shopspot.sync.due import CheckoutsDue
from shopspot.topics import Buffer

NOW = 1_800_000_000.0


def test_every_due_checkout_is_queued_across_pages_and_none_still_pending() -> None:
    client = fakeredis.FakeRedis()
    due, deals = CheckoutsDue(client), PendingBuffer(client, Buffer.DEALS)
    due.schedule({f"shop:due{n}": NOW - n for n in range(sweep.PAGE * 2 + 7)})
    due.schedule({f"shop:later{n}": NOW + 1 + n for n in range(500)})

    queued = sweep.queue_due_checkouts(client, due, deals, NOW)

    assert queued == deals.waiting() == sweep.PAGE * 2 + 7
    assert due.last_swept() == NOW
    # A second sweep before the moves are written changes nothing.
    assert sweep.queue_due_checkouts(client, due, deals, NOW) == 0
