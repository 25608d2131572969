"""The abandoned-checkout sweep (D8), run by beat every SWEEP_INTERVAL_SECONDS."""

from __future__ import annotations

from shopspot.sync.sweep import queue_due_checkouts
from shopspot.topics import Buffer
from tasks.base import runtime
from tasks.queueing import schedule_flush
from worker.app import app
from worker.routing import SWEEP_TASK


@app.task(name=SWEEP_TASK, acks_late=True)
def sweep() -> int:
    rt = runtime()
    queued = queue_due_checkouts(rt.redis, rt.due, rt.buffers[Buffer.DEALS], rt.context.clock())
    if queued:
        schedule_flush(Buffer.DEALS)
    return queued
