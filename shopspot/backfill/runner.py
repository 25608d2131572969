"""The import (S2): every product, customer, order and open abandoned checkout of a store,
read through bulk operations and written through the same buffers as live sync.

Each kind is exported in parts by id (`shopspot.backfill.exports`), so writing starts once
the first, small part is ready. Products are written first, so that the lines of orders and
checkouts find their products; the other kinds are then written side by side, so that the
Python work of one (customers cost CPU, not calls) is done while another waits for HubSpot's
budget.

Resumable: after each chunk is in HubSpot, the part and line where reading resumes are saved
in Redis with the part's bulk operation, so an import killed at any point continues where it
stopped (a re-written chunk changes nothing: every write is keyed). Live webhooks keep
flowing meanwhile: the buffers' `updated_at` guard lets the newest version win, whichever
path it came by.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, cast

from shopspot.backfill import convert, queries
from shopspot.backfill.bulk import BulkReader, Operation, Root
from shopspot.backfill.exports import Exports, IdRange, Part, id_ranges, id_terms
from shopspot.events import WebhookEvent
from shopspot.pending import Item
from shopspot.runtime import Runtime
from shopspot.settings import Store
from shopspot.shopify.admin import ShopifyAdmin
from shopspot.shopify.models import ShopifyModel
from shopspot.sync.flush import Draining
from shopspot.sync.items import items_for
from shopspot.topics import Buffer, parse_payload

CHECKPOINT = "shopspot:import:"
# A kind is exported in parts when it holds more than this many chunks.
SPLIT_ABOVE = 1


@dataclass
class Chunk:
    kind: str
    part: int = 0  # which part of the kind's export it is read from
    operation: str = ""  # that part's bulk operation
    parsed: list[tuple[WebhookEvent, ShopifyModel]] = field(default_factory=list)
    next_line: int = 0  # where reading resumes once this chunk is in HubSpot


@dataclass(frozen=True)
class Read:
    """A root read from one part's export."""

    part: int
    operation: str
    root: Root


def ahead(chunks: Iterator[Chunk], depth: int = 1) -> Iterator[Chunk]:
    """Prepare the next chunk in a thread while the current one is written to HubSpot."""
    done = object()
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)

    def produce() -> None:
        try:
            for chunk in chunks:
                ready.put(chunk)
        except BaseException as exc:  # handed to the consumer, which raises it
            ready.put(exc)
        ready.put(done)

    threading.Thread(target=produce, daemon=True).start()
    while (item := ready.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item


@dataclass(frozen=True)
class Kind:
    name: str
    topic: str
    bulk: Callable[[str | None], str] | None
    convert: Callable[[dict[str, Any], list[dict[str, Any]]], dict[str, Any]]


def _as_is(node: dict[str, Any], _: list[dict[str, Any]]) -> dict[str, Any]:
    return node


# Products first (see the module's docstring); the rest at the same time.
KINDS = (
    Kind("products", "products/update", queries.products_bulk, convert.product),
    Kind("customers", "customers/update", queries.customers_bulk, lambda n, _: convert.customer(n)),
    # GraphQL's orders include every status unless filtered (REST's needed status=any).
    Kind("orders", "orders/updated", queries.orders_bulk, convert.order),
    # Open abandoned checkouts come from the REST resource: GraphQL's lack the token and the
    # email a guest typed in, and a checkout's contact is the point of importing it.
    Kind("checkouts", "checkouts/update", None, _as_is),
)


@dataclass
class KindResult:
    kind: str
    total: int = 0
    read: int = 0
    queued: int = 0
    unchanged: int = 0
    resumed_from: int = 0
    resumed_count: int = 0  # objects read before this run resumed
    seconds: float = 0.0
    done: bool = False


@dataclass
class ImportResult:
    shop: str
    kinds: list[KindResult] = field(default_factory=list)
    hubspot_calls: int = 0
    dead_letters: int = 0


class Progress:
    """What the import reports as it goes; the command line draws it."""

    def started(self, shop: str, kind: str, total: int, resumed_from: int) -> None: ...
    def advanced(self, shop: str, result: KindResult) -> None: ...
    def finished(self, shop: str, result: KindResult) -> None: ...
    def waiting(self, shop: str, kind: str, operation: Operation) -> None: ...


def read_event(shop: str, topic: str, root: Root, how: str) -> tuple[WebhookEvent, ShopifyModel]:
    """An object Shopspot read from Shopify itself (`how`: "import" or "verify"), in the
    envelope and model a webhook of `topic` would have brought."""
    convert = next(kind.convert for kind in KINDS if kind.topic == topic)
    payload = convert(root.node, root.children)
    event = WebhookEvent(
        shop=shop,
        topic=topic,
        event_id=f"{how}:{root.node['id']}",
        # Not a webhook: its time says nothing about sync speed (see the flusher).
        api_version="import",
        received_at=time.time(),
        payload=payload,
    )
    return event, parse_payload(topic, payload)


def filter_for(since: datetime | None, ids: IdRange = (None, None)) -> str | None:
    since_terms = [] if since is None else [f"updated_at:>='{since.isoformat()}'"]
    return " AND ".join([*since_terms, *id_terms(ids)]) or None


def export_order(parts: dict[str, list[Part]]) -> list[Part]:
    """The order the parts are exported in: the first kind's, then the others' taken in turn,
    as the kinds written side by side need them."""
    first, *rest = parts.values()
    turns = itertools.zip_longest(*rest)
    return [*first, *(part for turn in turns for part in turn if part is not None)]


def side_by_side(imports: Sequence[Callable[[], KindResult]]) -> list[KindResult]:
    """Run the imports at the same time; their results in the same order. The first failure
    is raised once every import has stopped: a failed write stops the others' writes too (the
    flushes are shared), and a failed read stops only its own kind."""
    with ThreadPoolExecutor(len(imports), thread_name_prefix="import") as pool:
        running = [pool.submit(run) for run in imports]
    return [run.result() for run in running]


class Importer:
    def __init__(
        self,
        rt: Runtime,
        store: Store,
        progress: Progress,
        since: datetime | None = None,
        admin: ShopifyAdmin | None = None,
        *,
        origin: str = "initial_import",
        checkpoint: str = CHECKPOINT,
        written: Callable[[set[Buffer]], None] | None = None,
    ) -> None:
        """`written(buffers)` is told which buffers a chunk filled; by default the import
        writes each chunk to HubSpot itself, and its checkpoint moves past a chunk only once
        the chunk is written."""
        self._rt = rt
        self._store = store
        self._progress = progress
        self._since = since
        self._admin = admin or ShopifyAdmin(store)
        self._reader = BulkReader(self._admin)
        self._origin = origin
        self._key = f"{checkpoint}{store.domain}"
        self._written = written
        self._telling = threading.Lock()  # `written` is told by one kind at a time

    def run(self) -> ImportResult:
        result = ImportResult(shop=self._store.domain)
        calls_before = self._rt.hubspot.calls
        dead_before = self._rt.dead_letters.count()
        parts = {kind.name: self._parts(kind) for kind in KINDS if kind.bulk is not None}
        with (
            Exports(
                self._reader, export_order(parts), self._saved_export, self._save_export
            ) as exports,
            self._writing() as draining,
        ):
            imports = [partial(self._import, kind, parts.get(kind.name, []), exports, draining)
                       for kind in KINDS]  # fmt: skip
            result.kinds.append(imports[0]())
            result.kinds += side_by_side(imports[1:])
            if draining is not None:
                draining.finish()
        self._rt.redis.delete(self._key)  # the import is complete: the next one starts afresh
        result.hubspot_calls = self._rt.hubspot.calls - calls_before
        result.dead_letters = self._rt.dead_letters.count() - dead_before
        return result

    @contextmanager
    def _writing(self) -> Iterator[Draining | None]:
        """The flushes that write what every kind offers, unless `written` is told instead."""
        if self._written is not None:
            yield None
            return
        with Draining(self._rt.flusher) as draining:
            yield draining

    def _parts(self, kind: Kind) -> list[Part]:
        """The parts of the kind's export still to write, planned once per import."""
        assert kind.bulk is not None
        saved = self._checkpoint(kind.name)
        if saved.get("done"):
            return []
        if "ranges" not in saved:
            # A catch-up since a time exports few objects: one part, as does an import saved
            # by a version that exported whole kinds. An import of the whole store splits its
            # export by id.
            whole = self._since is not None or saved.get("operation")
            ranges = [(None, None)] if whole else self._id_ranges(kind)
            if saved.get("operation"):
                self._save_export(f"{kind.name}#0", saved["operation"])
            saved = {**saved, "ranges": ranges, "part": 0}
            self._save(kind.name, saved)
        return [
            Part(kind.name, index, kind.bulk(filter_for(self._since, (low, high))))
            for index, (low, high) in enumerate(saved["ranges"])
            if index >= int(saved["part"])
        ]

    def _id_ranges(self, kind: Kind) -> list[IdRange]:
        found = self._admin.graphql(queries.id_bounds(kind.name))
        oldest, newest = (found[end]["nodes"] for end in ("oldest", "newest"))
        count = int((found.get(f"{kind.name}Count") or {}).get("count") or 0)
        # A kind of one chunk is exported in moments: parts would only add waits.
        if not oldest or not newest or count <= SPLIT_ABOVE * self._rt.settings.import_chunk_size:
            return [(None, None)]
        return id_ranges(*(convert.legacy_id(ends[0]["id"]) or 0 for ends in (oldest, newest)))

    def _import(
        self, kind: Kind, parts: list[Part], exports: Exports, draining: Draining | None
    ) -> KindResult:
        started = time.monotonic()
        saved = self._checkpoint(kind.name)
        result = KindResult(kind=kind.name, resumed_from=int(saved.get("next_line", 0)))
        if saved.get("done"):
            result.done = True
            result.total = result.read = int(saved.get("read", 0))
            self._progress.finished(self._store.domain, result)
            return result
        result.read = result.resumed_count = int(saved.get("read", 0))
        reads: Iterator[Read]
        if kind.bulk is None:
            reads = (Read(0, "", root) for root in self._rest_checkouts(result.resumed_from))
        else:
            reads = self._exported(parts, saved, exports, result)
            # The first part's export, for its count before anything is read.
            first = next(reads, None)
            reads = itertools.chain([first] if first else [], reads)
        self._progress.started(self._store.domain, kind.name, result.total, result.resumed_from)
        for chunk in self._in_hubspot(ahead(self._prepared(kind, reads)), result, draining):
            result.read += len(chunk.parsed)
            state = {"part": chunk.part, "operation": chunk.operation,
                     "next_line": chunk.next_line, "read": result.read}  # fmt: skip
            self._save(kind.name, {**saved, **state})
            self._progress.advanced(self._store.domain, result)
        result.done = True
        result.seconds = time.monotonic() - started
        self._save(kind.name, {"done": True, "read": result.read})
        self._progress.finished(self._store.domain, result)
        return result

    def _exported(
        self, parts: list[Part], saved: dict[str, Any], exports: Exports, result: KindResult
    ) -> Iterator[Read]:
        """The roots of the parts' exports in order, from where the saved state says."""
        for part in parts:
            told = partial(self._progress.waiting, self._store.domain, part.kind)
            operation = exports.completed(part, told)
            result.total += operation.roots
            # The saved line is a line of the saved operation's file; a part exported again
            # (its file expired) is read from its start.
            same = part.index == saved.get("part") and operation.id == saved.get("operation")
            skip = int(saved.get("next_line", 0)) if same else 0
            for root in self._reader.roots(operation.url, skip):
                yield Read(part.index, operation.id, root)

    def _saved_export(self, key: str) -> str | None:
        raw = cast(bytes | None, self._rt.redis.hget(self._key, key))
        return None if raw is None else raw.decode()

    def _save_export(self, key: str, operation_id: str) -> None:
        self._rt.redis.hset(self._key, key, operation_id)

    def _rest_checkouts(self, after_id: int) -> Iterator[Root]:
        """Open abandoned checkouts by ascending id; a resumed read starts after `after_id`."""
        params = {"status": "open", "limit": "250", "since_id": str(after_id)}
        if self._since is not None:
            params["updated_at_min"] = self._since.isoformat()
        for page in self._admin.rest_pages("checkouts", params):
            for checkout in page:
                yield Root(checkout, [], int(checkout["id"]))

    def _prepared(self, kind: Kind, reads: Iterator[Read]) -> Iterator[Chunk]:
        """Roots in chunks, converted and parsed: the CPU work, done ahead of the writes. A
        chunk holds roots of one part, so that its next line is a line of that part."""
        chunk = Chunk(kind.name)
        for read in reads:
            if chunk.parsed and read.part != chunk.part:
                yield chunk
                chunk = Chunk(kind.name)
            chunk.part, chunk.operation = read.part, read.operation
            chunk.parsed.append(read_event(self._store.domain, kind.topic, read.root, "import"))
            chunk.next_line = read.root.next_line
            if len(chunk.parsed) >= self._rt.settings.import_chunk_size:
                yield chunk
                chunk = Chunk(kind.name)
        if chunk.parsed:
            yield chunk

    def _in_hubspot(
        self, chunks: Iterator[Chunk], result: KindResult, draining: Draining | None
    ) -> Iterator[Chunk]:
        """Each chunk, in order, once it is in HubSpot (or handed to `written`)."""
        if draining is None:
            assert self._written is not None
            for chunk in chunks:
                offered = self._offer(chunk, result)
                with self._telling:
                    self._written(set(offered))
                yield chunk
            return
        # A chunk is offered while the one before it is still being written, so the flushes
        # never wait for the next chunk; the one before is yielded once it is all written.
        previous: tuple[Chunk, dict[Buffer, list[str]]] | None = None
        for chunk in chunks:
            offered = self._offer(chunk, result)
            draining.include(self._rt.buffers[name] for name in offered)
            if previous is not None:
                self._wait_written(previous[1], draining)
                yield previous[0]
            previous = chunk, offered
        if previous is not None:
            self._wait_written(previous[1], draining)
            yield previous[0]

    def _offer(self, chunk: Chunk, result: KindResult) -> dict[Buffer, list[str]]:
        """Offer the chunk's items to their buffers; the keys offered, by buffer."""
        by_buffer: dict[Buffer, list[Item]] = {}
        for target in items_for(chunk.parsed, self._rt.memory):
            if target is not None:
                name, item = target
                by_buffer.setdefault(name, []).append(item.with_origin(self._origin))
        for name, items in by_buffer.items():
            outcomes = self._rt.buffers[name].offer_many(items)
            result.queued += outcomes.count("queued")
            result.unchanged += len(outcomes) - outcomes.count("queued")
        return {name: [item.key for item in items] for name, items in by_buffer.items()}

    def _wait_written(self, offered: dict[Buffer, list[str]], draining: Draining) -> None:
        """Until none of these items waits or is being written (a newer version of one,
        offered by a webhook meanwhile, is waited for too)."""
        while offered:
            draining.check()
            offered = {
                name: list(found)
                for name, keys in offered.items()
                if (found := self._rt.buffers[name].whereabouts(keys))
            }
            if offered:
                time.sleep(0.1)

    def _checkpoint(self, kind: str) -> dict[str, Any]:
        raw = cast(bytes | None, self._rt.redis.hget(self._key, kind))
        return {} if raw is None else dict(json.loads(raw))

    def _save(self, kind: str, state: dict[str, Any]) -> None:
        self._rt.redis.hset(self._key, kind, json.dumps(state))
