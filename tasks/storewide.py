"""What beat runs over every store at once (reconciliation, verification): one run at a time
across all workers, for each store with an Admin API token."""

from __future__ import annotations

from collections.abc import Callable

from shopspot.settings import Store
from shopspot.topics import Buffer
from tasks.base import runtime
from tasks.queueing import schedule_flush

# Reading a store waits on Shopify's bulk exports: longer than a sync task may take.
TIME_LIMIT = 600


def each_store(lock: str, work: Callable[[Store], int]) -> int:
    """The sum of `work` over the stores, or 0 when another run holds `lock`."""
    rt = runtime()
    if not rt.redis.set(lock, b"1", nx=True, ex=TIME_LIMIT):
        return 0
    try:
        return sum(work(store) for store in rt.settings.stores.values() if store.access_token)
    finally:
        rt.redis.delete(lock)


def flush_soon(buffers: set[Buffer]) -> None:
    """The workers' flushes write what a run queued, as they write webhooks."""
    for name in buffers:
        schedule_flush(name)
