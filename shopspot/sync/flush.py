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
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

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
# 100: taking 400 orders at a time fills those batches instead of leaving a partial one. A
# flush of customers updates the contacts Shopspot knows by id apart from upserting the rest
# by email: taking 400 at a time leaves one partial batch of each per 400, not per 100.
BATCH_SIZES = {Buffer.DEALS: 400, Buffer.CONTACTS: 400}
# Flushes running side by side while draining: HubSpot calls overlap the Python work.
DRAIN_THREADS = 3
# A part batch waits this long for the items an import offers next before it is written.
PART_BATCH_WAIT = 0.5
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

    def flush(self, buffer: PendingBuffer, *, hold: float = 0.0) -> FlushResult:
        """Write one batch (a part batch only once it has waited `hold` seconds); a transient
        failure is raised after the batch is put back."""
        buffer.release_expired()
        result = FlushResult()
        size = batch_size(buffer)
        items = buffer.take(size, hold)
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
        with Draining(self, threads) as draining:
            draining.include([buffer])
            return draining.finish()

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


class Stopped(Exception):
    """The draining was left before it finished."""


class Draining:
    """Flushes buffers in background threads while the caller offers to them (the commands
    that run without a worker: an import offers its next chunk while this one is written).

    Until `finish`, a flush takes only a full batch: a part batch waits a moment for the items
    the caller offers next. `finish` writes the rest and returns once nothing waits or is being
    written; a flush that failed for good is raised there, or by `check`.
    """

    def __init__(self, flusher: Flusher, threads: int = DRAIN_THREADS) -> None:
        self._flusher = flusher
        self._threads = threads
        self._buffers: list[PendingBuffer] = []
        self._lock = threading.Lock()
        self._total = FlushResult()
        self._failure: BaseException | None = None
        self._finishing = threading.Event()
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(threads)
        self._runs: list[Future[None]] = []

    def __enter__(self) -> Draining:
        self._runs = [self._pool.submit(self._run) for _ in range(self._threads)]
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()  # left early: what was taken is written, what waits stays there
        self._pool.shutdown(wait=True)

    def include(self, buffers: Iterable[PendingBuffer]) -> None:
        with self._lock:
            self._buffers += [b for b in buffers if b.name not in {x.name for x in self._buffers}]

    def check(self) -> None:
        """Raise the failure that stopped a flush, if one did, or `Stopped` once the caller
        left (its other threads then stop waiting for what nobody writes)."""
        if self._failure is not None:
            raise self._failure
        if self._stop.is_set():
            raise Stopped("no longer draining")

    def finish(self) -> FlushResult:
        self._finishing.set()
        for run in self._runs:
            run.result()
        self.check()
        return self._total

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self._round():
                    if self._finishing.is_set() and self._empty():
                        return
                    time.sleep(0.05)  # what waits is held by another flush, or is not a batch yet
        except BaseException as exc:
            self._failure = exc
            self._stop.set()

    def _round(self) -> bool:
        """One flush of each buffer with a batch to write; whether any wrote something."""
        with self._lock:
            buffers = list(self._buffers)
        wrote = False
        for buffer in buffers:
            hold = 0.0 if self._finishing.is_set() else PART_BATCH_WAIT
            # A failed flush put its batch back: trying again is safe.
            result = retry.persevere(partial(self._flusher.flush, buffer, hold=hold))
            with self._lock:
                self._total.synced += result.synced
                self._total.dead_lettered += result.dead_lettered
            wrote = wrote or bool(result.synced or result.dead_lettered)
        return wrote

    def _empty(self) -> bool:
        with self._lock:
            buffers = list(self._buffers)
        return all(not b.waiting() and not b.in_flight() for b in buffers)
