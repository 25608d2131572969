"""Whether Shopspot has finished its work: nothing queued, held, scheduled or buffered."""

from __future__ import annotations

import redis

from shopspot.pending import PendingBuffer
from shopspot.sync.items import BUFFERS
from tests.support.processes import wait_for
from worker.routing import ALL_QUEUES


def idle(client: redis.Redis) -> bool:
    busy = sum(int(client.llen(queue)) for queue in ALL_QUEUES)
    busy += int(client.hlen("unacked"))
    busy += sum(1 for _ in client.scan_iter(match="shopspot:flush-scheduled:*"))
    for name in BUFFERS:
        buffer = PendingBuffer(client, name)
        busy += buffer.waiting() + buffer.in_flight()
    return busy == 0


def settle(client: redis.Redis) -> None:
    """Wait until Shopspot is idle, twice: a flush may be scheduled right after a check."""
    wait_for(lambda: idle(client), timeout=30, message="Shopspot to finish its work")
    wait_for(lambda: idle(client), timeout=30, message="Shopspot to stay idle")
