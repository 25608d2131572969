"""One flush of a pending buffer: take a batch, write it, settle every item.

Used by the workers' flush task, which first waits until a batch is worth its calls
(`shopspot.sync.pace`), and, inline, by the commands that sync without a worker (`shopspot
sweep`, `shopspot backfill`). A thin batch pays for its calls with time either way. A batch
HubSpot refuses is split in halves until the item at fault is alone; only that item becomes a
dead letter. A transient failure (as the retry policy counts them) puts the whole batch back
to wait for the next flush.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import redis

from shopspot import retry
from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from shopspot.pending import Item, PendingBuffer
from shopspot.reasons import describe
from shopspot.retry import TRANSIENT_ERRORS
from shopspot.sync import latency
from shopspot.sync.context import SyncContext
from shopspot.sync.items import apply, event_of
from shopspot.sync.pace import FlushPace
from shopspot.topics import Buffer, kind_of
from shopspot.trace.notes import about
from shopspot.trace.records import hubspot_records
from shopspot.trace.store import Note, Step, TraceStore

log = logging.getLogger("shopspot.sync")

BATCH_SIZE = 100
# A flush of orders writes deals, then their line items (about 2.5 an order) in batches of
# 100: taking 400 orders at a time fills those batches instead of leaving a partial one.
BATCH_SIZES = {Buffer.DEALS: 400}
# Flushes running side by side while draining: HubSpot calls overlap the Python work.
DRAIN_THREADS = 3
# Dead letters name the step that gave up on them.
FLUSH_STEP = "shopspot.flush"


@dataclass
class FlushResult:
    synced: int = 0
    dead_lettered: int = 0
    waiting: int = 0


def batch_size(buffer: PendingBuffer) -> int:
    return BATCH_SIZES.get(Buffer(buffer.name), BATCH_SIZE)


class Flusher:
    def __init__(
        self,
        ctx: SyncContext,
        dead_letters: DeadLetterStore,
        activity: ActivityLog,
        traces: TraceStore,
        client: redis.Redis,
        pace: FlushPace,
        transient: tuple[type[BaseException], ...] = TRANSIENT_ERRORS,
    ) -> None:
        # What puts the whole batch back for the next flush: never an item's fault.
        self._transient = transient
        self._redis = client
        self._ctx = ctx
        self._dead_letters = dead_letters
        self._activity = activity
        self._traces = traces
        self._pace = pace

    def wait(self, buffer: PendingBuffer) -> float:
        """Seconds until a flush of the buffer is worth its calls (0: now, or nothing waits)."""
        buffer.release_expired()
        waiting = buffer.waiting()
        return self._pace.wait(full=waiting >= batch_size(buffer)) if waiting else 0.0

    def flush(self, buffer: PendingBuffer) -> FlushResult:
        """Write one batch; a transient failure is raised after the batch is put back."""
        buffer.release_expired()
        result = FlushResult()
        size = batch_size(buffer)
        items = buffer.take(size)
        if items:
            calls_before = self._ctx.client.calls_by_this_thread()
            try:
                with buffer.holding(items):
                    self._write(buffer, items, result)
            finally:
                if len(items) < size:
                    self._pace.paid(self._ctx.client.calls_by_this_thread() - calls_before)
        result.waiting = buffer.waiting()
        return result

    def drain(self, buffer: PendingBuffer, threads: int = DRAIN_THREADS) -> FlushResult:
        """Flush until nothing waits (for the commands that run without a worker), with
        `threads` flushes at a time; a group is never in two of them (the buffer sees to it).
        """
        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(lambda _: self._drain_one(buffer), range(threads)))
        return FlushResult(
            synced=sum(part.synced for part in parts),
            dead_lettered=sum(part.dead_lettered for part in parts),
        )

    def _drain_one(self, buffer: PendingBuffer) -> FlushResult:
        total = FlushResult()
        while True:
            # A failed flush put its batch back: trying again is safe.
            result = retry.persevere(lambda: self.flush(buffer))
            total.synced += result.synced
            total.dead_lettered += result.dead_lettered
            if not result.waiting and not buffer.in_flight():
                return total
            if not result.synced and not result.dead_lettered:
                time.sleep(0.05)  # what waits is held by another flush: let it finish

    def _write(self, buffer: PendingBuffer, items: Sequence[Item], result: FlushResult) -> None:
        try:
            apply(self._ctx, Buffer(buffer.name), items)
        except self._transient as exc:
            self._put_back(buffer, items, exc)
            raise
        except Exception as exc:
            if len(items) > 1:
                middle = len(items) // 2
                try:
                    self._write(buffer, items[:middle], result)
                except self._transient as failure:
                    self._put_back(buffer, items[middle:], failure)
                    raise
                self._write(buffer, items[middle:], result)
                return
            self._give_up(buffer, items[0], exc)
            result.dead_lettered += 1
            return
        buffer.done(list(items))
        result.synced += len(items)
        self._trace_written(Buffer(buffer.name), items)
        # Imported objects did not come by webhook: their time says nothing about sync speed.
        live = [e for e in map(event_of, items) if e is not None and e.api_version != "import"]
        latency.record(self._redis, [event.received_at for event in live])

    def _put_back(self, buffer: PendingBuffer, items: Sequence[Item], exc: BaseException) -> None:
        """Not written for a reason that is no item's fault: the items wait for the next flush."""
        buffer.release(list(items))
        reason = describe(exc)
        self._traces.record(
            about(event, Step.FLUSH, "retry", version=item.version, reason=reason)
            for item in items
            if (event := event_of(item)) is not None
        )

    def _trace_written(self, buffer: Buffer, items: Sequence[Item]) -> None:
        """Each written item's step, naming the HubSpot records it is in (the sweep's stage
        moves belong to no event, so to no story)."""
        notes = [
            about(
                event,
                Step.FLUSH,
                "written",
                version=item.version,
                # The item of an order or a checkout is grouped by its deal's key.
                deal=item.group if buffer is Buffer.DEALS else None,
                origin=None if item.origin == "live" else item.origin,
            )
            for item in items
            if (event := event_of(item)) is not None
        ]
        traced = [note for note in notes if note is not None]
        try:
            records = hubspot_records(
                self._ctx.memory, [(note.subject, note.entry.deal) for note in traced]
            )
        except redis.RedisError as exc:
            # Written all the same: a trace never fails a flush.
            log.warning("written items not traced: %s", type(exc).__name__)
            return
        self._traces.record(
            Note(note.subject, note.entry.model_copy(update={"records": found}))
            for note, found in zip(traced, records, strict=True)
        )

    def _give_up(self, buffer: PendingBuffer, item: Item, exc: Exception) -> None:
        reason = describe(exc)
        event = event_of(item)
        if event is None:
            log.error("sweep item failed: %s", reason, extra={"fields": {"outcome": "failed"}})
        else:
            letter = self._dead_letters.put(
                task=FLUSH_STEP,
                event=event,
                reason=reason,
                error_type=type(exc).__name__,
                attempts=1,
            )
            self._activity.failed(event.shop, kind_of(event.topic) or "", reason)
            self._traces.record(
                [
                    about(
                        event,
                        Step.FLUSH,
                        "dead_letter",
                        version=item.version,
                        letter=letter.id,
                        reason=reason,
                    )
                ]
            )
            log.error(
                "dead-lettered: %s",
                reason,
                extra={"fields": {**event.describe(), "outcome": "dead_letter"}},
            )
        buffer.drop([item])
