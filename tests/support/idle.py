"""Whether Shopspot has finished its work: nothing queued, held, scheduled or buffered."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis

from shopspot.pending import PendingBuffer
from shopspot.topics import Buffer
from tests.support.processes import wait_for
from worker.routing import ALL_QUEUES


def busy(client: redis.Redis) -> dict[str, int]:
    """What is still to do, by where it waits (empty when Shopspot is idle)."""
    found = {queue: int(client.llen(queue)) for queue in ALL_QUEUES}
    found["unacknowledged"] = int(client.hlen("unacked"))
    found["flushes scheduled"] = sum(1 for _ in client.scan_iter("shopspot:flush-scheduled:*"))
    for name in Buffer:
        buffer = PendingBuffer(client, name)
        found[f"{name} writes"] = buffer.waiting() + buffer.in_flight()
    return {place: count for place, count in found.items() if count}


def idle(client: redis.Redis) -> bool:
    return not busy(client)


def settle(
    client: redis.Redis, timeout: float = 30.0, running: Callable[[], None] | None = None
) -> None:
    """Wait until Shopspot is idle, and still idle a moment later: a flush may be scheduled
    right after a check, and a message a worker has just popped is briefly in no queue.
    `running` raises when a process the work needs has stopped, which ends the wait then."""

    def finished() -> bool:
        if running is not None:
            running()
        return idle(client)

    for _ in range(3):
        wait_for(finished, timeout=timeout, message=f"Shopspot to finish ({busy(client)})")
        time.sleep(0.05)
