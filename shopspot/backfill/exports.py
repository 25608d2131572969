"""The import's bulk exports, in parts by id, run one after another ahead of the writes.

A bulk export is ready only once Shopify has written every object of it: for a large store,
minutes with nothing to write. In parts by id range, the first ones small, the first part is
ready soon and each next one is exported while the one before is written. One at a time: what
every API version allows, and the order in which the import needs them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from types import TracebackType

from shopspot.backfill.bulk import BulkReader, Operation
from shopspot.shopify.admin import AdminError

# Where the parts of an id span end, as shares of it: each part no larger than all before
# it, so that it is exported while they are written, and none larger than a quarter, so that
# the import does not end waiting for Shopify to export half the store.
PART_ENDS = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4)

IdRange = tuple[int | None, int | None]  # [from, to); None: open
# How often an import waiting for an export says so.
WAITING_EVERY = 2.0


def id_ranges(oldest: int, newest: int) -> list[IdRange]:
    """Ranges of ids from `oldest` to `newest`, smallest first. The first is open below and
    the last above, so that together they hold every id, one created meanwhile included."""
    span = newest - oldest + 1
    ends = sorted({oldest + int(span * share) for share in PART_ENDS} - {oldest})
    bounds: list[int | None] = [None, *ends, None]
    return list(pairwise(bounds))


def id_terms(ids: IdRange) -> list[str]:
    """The search terms (Shopify's query syntax) of an id range."""
    low, high = ids
    return [
        *([f"id:>={low}"] if low is not None else []),
        *([f"id:<{high}"] if high is not None else []),
    ]


@dataclass(frozen=True)
class Part:
    kind: str
    index: int
    query: str  # the bulk query of this part

    @property
    def key(self) -> str:
        return f"{self.kind}#{self.index}"


class Stopped(Exception):
    """The import no longer needs the exports."""


class Exports:
    """Runs the parts' exports in a thread, in order; `completed(part)` waits for one.

    `saved(key)` and `save(key, operation_id)` keep each part's operation, so that an import
    run again reads what a killed one had exported, or waits for it.
    """

    def __init__(
        self,
        reader: BulkReader,
        parts: Sequence[Part],
        saved: Callable[[str], str | None],
        save: Callable[[str, str], None],
    ) -> None:
        self._reader = reader
        self._parts = list(parts)
        self._saved = saved
        self._save = save
        self._ready: dict[str, Operation] = {}
        self._polled: dict[str, Operation] = {}
        self._failure: BaseException | None = None
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shopify-exports", daemon=True)

    def __enter__(self) -> Exports:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()

    def completed(self, part: Part, waiting: Callable[[Operation], None]) -> Operation:
        """The part's completed export, once Shopify has it ready; told to `waiting` now and
        then until it is."""
        with self._changed:
            while part.key not in self._ready:
                if self._failure is not None:
                    raise self._failure
                if self._stop.is_set():
                    raise Stopped
                if not self._changed.wait(WAITING_EVERY) and part.key in self._polled:
                    waiting(self._polled[part.key])
            return self._ready[part.key]

    def _run(self) -> None:
        try:
            for part in self._parts:
                operation = self._export(part)
                with self._changed:
                    self._ready[part.key] = operation
                    self._changed.notify_all()
        except Stopped:
            return
        except BaseException as exc:  # handed to the import, which raises it
            with self._changed:
                self._failure = exc
                self._changed.notify_all()

    def _export(self, part: Part) -> Operation:
        """The saved operation when its result can still be read, else a new one."""
        saved = self._saved(part.key)
        if saved:
            operation = self._reader.wait(saved, lambda op: self._poll(part, op))
            if operation.status == "COMPLETED":
                return operation
        operation_id = self._reader.start(part.query)
        self._save(part.key, operation_id)
        operation = self._reader.wait(operation_id, lambda op: self._poll(part, op))
        if operation.status != "COMPLETED":
            raise AdminError(f"bulk operation for {part.kind} ended {operation.status}")
        return operation

    def _poll(self, part: Part, operation: Operation) -> None:
        if self._stop.is_set():
            raise Stopped
        with self._changed:
            self._polled[part.key] = operation
