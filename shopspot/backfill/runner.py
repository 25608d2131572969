"""The import (S2): every product, customer, order and open abandoned checkout of a store,
read through bulk operations and written through the same buffers as live sync.

Resumable: after each chunk is in HubSpot, the line where reading resumes is saved in
Redis with the bulk operation's id, so an import killed at any point continues where it
stopped (a re-written chunk changes nothing: every write is keyed). Live webhooks keep
flowing meanwhile: the buffers' `updated_at` guard lets the newest version win, whichever
path it came by.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from shopspot.backfill import convert, queries
from shopspot.backfill.bulk import BulkReader, Operation, Root
from shopspot.events import WebhookEvent
from shopspot.pending import Item
from shopspot.runtime import Runtime
from shopspot.settings import Store
from shopspot.shopify.admin import AdminError, ShopifyAdmin
from shopspot.shopify.models import ShopifyModel
from shopspot.sync.flush import Draining
from shopspot.sync.items import items_for
from shopspot.topics import Buffer, parse_payload

CHECKPOINT = "shopspot:import:"


@dataclass
class Chunk:
    kind: str
    parsed: list[tuple[WebhookEvent, ShopifyModel]] = field(default_factory=list)
    next_line: int = 0  # where reading resumes once this chunk is in HubSpot


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


# Products and customers first: orders then find their HubSpot ids in Shopspot's memory.
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


def filter_for(since: datetime | None) -> str | None:
    return None if since is None else f"updated_at:>='{since.isoformat()}'"


class Importer:
    def __init__(
        self,
        rt: Runtime,
        store: Store,
        progress: Progress,
        since: datetime | None = None,
        admin: ShopifyAdmin | None = None,
        poll_seconds: float = 2.0,
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
        self._reader = BulkReader(self._admin, poll_seconds)
        self._origin = origin
        self._key = f"{checkpoint}{store.domain}"
        self._written = written

    def run(self) -> ImportResult:
        result = ImportResult(shop=self._store.domain)
        calls_before = self._rt.hubspot.calls
        dead_before = self._rt.dead_letters.count()
        for kind, following in zip(KINDS, [*KINDS[1:], None], strict=True):
            result.kinds.append(self._import(kind, following))
        self._rt.redis.delete(self._key)  # the import is complete: the next one starts afresh
        result.hubspot_calls = self._rt.hubspot.calls - calls_before
        result.dead_letters = self._rt.dead_letters.count() - dead_before
        return result

    def _import(self, kind: Kind, following: Kind | None) -> KindResult:
        started = time.monotonic()
        saved = self._checkpoint(kind.name)
        result = KindResult(kind=kind.name, resumed_from=int(saved.get("next_line", 0)))
        if saved.get("done"):
            result.done = True
            result.total = result.read = int(saved.get("read", 0))
            self._progress.finished(self._store.domain, result)
            return result
        if kind.bulk is None:
            operation_id, roots = "", self._rest_checkouts(result.resumed_from)
        else:
            operation = self._operation(kind, kind.bulk, saved)
            operation_id, result.total = operation.id, operation.roots
            roots = self._reader.roots(operation.url, result.resumed_from)
            self._start_early(following)
        result.read = result.resumed_count = int(saved.get("read", 0))
        self._progress.started(self._store.domain, kind.name, result.total, result.resumed_from)
        for chunk in self._in_hubspot(ahead(self._prepared(kind, roots)), result):
            result.read += len(chunk.parsed)
            self._save(
                kind.name,
                {"operation": operation_id, "next_line": chunk.next_line, "read": result.read},
            )
            self._progress.advanced(self._store.domain, result)
        result.done = True
        result.seconds = time.monotonic() - started
        self._save(kind.name, {"operation": operation_id, "done": True, "read": result.read})
        self._progress.finished(self._store.domain, result)
        return result

    def _start_early(self, kind: Kind | None) -> None:
        """Shopify prepares the next kind's export while this one is written: only one bulk
        query may run at a time, and this one has completed."""
        if kind is None or kind.bulk is None or self._checkpoint(kind.name):
            return
        operation_id = self._reader.start(kind.bulk(filter_for(self._since)))
        self._save(kind.name, {"operation": operation_id, "next_line": 0, "read": 0})

    def _rest_checkouts(self, after_id: int) -> Iterator[Root]:
        """Open abandoned checkouts by ascending id; a resumed read starts after `after_id`."""
        params = {"status": "open", "limit": "250", "since_id": str(after_id)}
        if self._since is not None:
            params["updated_at_min"] = self._since.isoformat()
        for page in self._admin.rest_pages("checkouts", params):
            for checkout in page:
                yield Root(checkout, [], int(checkout["id"]))

    def _operation(
        self, kind: Kind, bulk: Callable[[str | None], str], saved: dict[str, Any]
    ) -> Operation:
        """The saved bulk operation when its result can still be read, else a new one."""
        if saved.get("operation"):
            operation = self._reader.wait(
                saved["operation"],
                lambda op: self._progress.waiting(self._store.domain, kind.name, op),
            )
            if operation.status == "COMPLETED":
                return operation
            saved.clear()  # expired or failed: read everything again (writes are keyed)
        operation_id = self._reader.start(bulk(filter_for(self._since)))
        self._save(kind.name, {"operation": operation_id, "next_line": 0, "read": 0})
        operation = self._reader.wait(
            operation_id, lambda op: self._progress.waiting(self._store.domain, kind.name, op)
        )
        if operation.status != "COMPLETED":
            raise AdminError(f"bulk operation for {kind.name} ended {operation.status}")
        return operation

    def _prepared(self, kind: Kind, roots: Iterator[Root]) -> Iterator[Chunk]:
        """Roots in chunks, converted and parsed: the CPU work, done ahead of the writes."""
        chunk = Chunk(kind.name)
        for root in roots:
            chunk.parsed.append(read_event(self._store.domain, kind.topic, root, "import"))
            chunk.next_line = root.next_line
            if len(chunk.parsed) >= self._rt.settings.import_chunk_size:
                yield chunk
                chunk = Chunk(kind.name)
        if chunk.parsed:
            yield chunk

    def _in_hubspot(self, chunks: Iterator[Chunk], result: KindResult) -> Iterator[Chunk]:
        """Each chunk, in order, once it is in HubSpot (or handed to `written`)."""
        if self._written is not None:
            for chunk in chunks:
                self._written(set(self._offer(chunk, result)))
                yield chunk
            return
        # A chunk is offered while the one before it is still being written, so the flushes
        # never wait for the next chunk; the one before is yielded once it is all written.
        previous: tuple[Chunk, dict[Buffer, list[str]]] | None = None
        with Draining(self._rt.flusher) as draining:
            for chunk in chunks:
                offered = self._offer(chunk, result)
                draining.include(self._rt.buffers[name] for name in offered)
                if previous is not None:
                    self._wait_written(previous[1], draining)
                    yield previous[0]
                previous = chunk, offered
            draining.finish()
        if previous is not None:
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
