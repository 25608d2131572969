"""The abandoned-checkout sweep at scale.

Its cost grows with the checkouts due, not with those still pending.

One sweep of a real Redis holding 1,000,000 pending checkouts of which 10,000 are due, beside
the same sweep where only the 10,000 due ones are held; each is run three times on a fresh
copy and the best taken. Run `python -m bench sweep` (or `make bench` for all).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import redis

from shopspot.localredis import LocalRedis
from shopspot.pending import PendingBuffer
from shopspot.sync.due import CheckoutsDue
from shopspot.sync.sweep import queue_due_checkouts
from shopspot.topics import Buffer

NOW = 1_800_000_000.0
DUE = 10_000
PENDING = 1_000_000
ROUNDS = 3
FILL_BATCH = 50_000


def _fill(client: redis.Redis, pending: int) -> None:
    client.flushdb()
    due = CheckoutsDue(client)
    for start in range(0, DUE, FILL_BATCH):
        due.schedule(
            {f"bench:due{n}": NOW - 1 - n for n in range(start, min(DUE, start + FILL_BATCH))}
        )
    for start in range(0, pending, FILL_BATCH):
        stop = min(pending, start + FILL_BATCH)
        due.schedule({f"bench:later{n}": NOW + 3600 + n for n in range(start, stop)})


def _sweep_seconds(client: redis.Redis, pending: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        _fill(client, pending)
        started = time.perf_counter()
        queued = queue_due_checkouts(
            client, CheckoutsDue(client), PendingBuffer(client, Buffer.DEALS), NOW
        )
        best = min(best, time.perf_counter() - started)
        assert queued == DUE, queued
    return best


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, LocalRedis(Path(folder)) as server:
        client = redis.Redis.from_url(server.url)
        only_due = _sweep_seconds(client, 0)
        with_pending = _sweep_seconds(client, PENDING)
    return {
        "due checkouts": DUE,
        "pending checkouts behind them": PENDING,
        "one sweep with 1,000,000 pending (s)": round(with_pending, 3),
        "one sweep with none pending (s)": round(only_due, 3),
        "ratio (1,000,000 pending / none)": round(with_pending / only_due, 2),
    }
