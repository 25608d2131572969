"""Shopify bulk operations: start one, wait for it, and read its JSONL result as objects
with their children."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from shopspot.backfill.queries import CURRENT_OPERATION_QUERY, OPERATION_QUERY, RUN_MUTATION
from shopspot.shopify.admin import AdminError, AdminUnavailable, ShopifyAdmin

RUNNING = {"CREATED", "RUNNING", "CANCELING"}


@dataclass(frozen=True)
class Operation:
    id: str
    status: str
    url: str | None
    objects: int  # every line: roots and their children
    roots: int


@dataclass(frozen=True)
class Root:
    node: dict[str, Any]
    children: list[dict[str, Any]]
    next_line: int  # where reading resumes once this root is written


# The longest pause between two looks at a running export. An import waits on each part's
# export, and a status query costs a point of the shop's GraphQL budget, which restores at 50
# or more a second: an export found ready a second late costs more than the looks.
POLL_SECONDS = 0.5


class BulkReader:
    def __init__(self, admin: ShopifyAdmin, poll_seconds: float = POLL_SECONDS) -> None:
        self._admin = admin
        self._poll = poll_seconds

    def start(self, query: str) -> str:
        """The id of a new bulk operation running `query`.

        Starting one is not repeated blindly: a second start while the first runs would be
        refused (or, where Shopify runs several at once, export everything twice). After a
        reply lost to a 5xx or a dropped connection, an operation of `query` that was not
        there before is the one this start began.
        """
        before = self._current().get("id")
        try:
            answer = self._admin.graphql(RUN_MUTATION, {"query": query})["bulkOperationRunQuery"]
        except AdminUnavailable:
            current = self._current()
            if current.get("id") == before or current.get("query") != query:
                raise
            return str(current["id"])
        if answer["userErrors"]:
            messages = "; ".join(error["message"] for error in answer["userErrors"])
            raise AdminError(f"bulk operation refused: {messages}")
        return str(answer["bulkOperation"]["id"])

    def _current(self) -> dict[str, Any]:
        current = self._admin.graphql(CURRENT_OPERATION_QUERY)["currentBulkOperation"]
        return dict(current or {})

    def status(self, operation_id: str) -> Operation:
        node = self._admin.graphql(OPERATION_QUERY, {"id": operation_id})["node"]
        if node is None:
            return Operation(operation_id, "EXPIRED", None, 0, 0)
        return Operation(
            id=operation_id,
            status=str(node["status"]),
            url=node.get("url"),
            objects=int(node.get("objectCount") or 0),
            roots=int(node.get("rootObjectCount") or 0),
        )

    def wait(self, operation_id: str, on_poll: Callable[[Operation], None]) -> Operation:
        # Small exports finish in moments, large ones take minutes: poll soon, then less.
        pause = min(0.1, self._poll)
        while True:
            operation = self.status(operation_id)
            on_poll(operation)
            if operation.status not in RUNNING:
                return operation
            time.sleep(pause)
            pause = min(self._poll, pause * 1.5)

    def roots(self, url: str | None, skip: int = 0) -> Iterator[Root]:
        """Root objects with their children; children follow their parent in Shopify's
        output, so a root is complete when the next root (or the end) arrives."""
        if url is None:  # a completed operation that matched nothing has no file
            return
        current: dict[str, Any] | None = None
        children: list[dict[str, Any]] = []
        number = skip
        try:
            for number, line in enumerate(self._admin.lines(url, skip), start=skip):
                item = orjson.loads(line)
                if "__parentId" in item:
                    children.append(item)
                    continue
                if current is not None:
                    yield Root(current, children, number)
                current, children = item, []
        except (OSError, ValueError) as exc:
            raise AdminUnavailable(f"reading the bulk result failed: {type(exc).__name__}") from exc
        if current is not None:
            yield Root(current, children, number + 1)
