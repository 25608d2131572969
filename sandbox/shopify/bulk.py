"""Bulk query operations: validated like Shopify's, run in a background thread, results
written as JSONL (nested connection nodes on their own lines with `__parentId`, parents
first) and served at a signed URL that needs no access token."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)

from . import versions as v
from .cost import returned_nodes
from .ids import gid

log = logging.getLogger(__name__)
BULK_ROOTS = frozenset({"customers", "products", "orders", "abandonedCheckouts"})
MAX_CONNECTIONS = 5
MAX_DEPTH = 2
CHUNK = 250
URL_LIFETIME = 7 * 86400
ACTIVE = frozenset({"CREATED", "RUNNING", "CANCELING"})


@dataclass
class NodePlan:
    """Which response keys of a node are nested connections, and the plan of their nodes."""

    connections: dict[str, NodePlan] = field(default_factory=dict)
    id_key: str | None = None


@dataclass(frozen=True)
class BulkPlan:
    document: DocumentNode
    root: FieldNode
    root_key: str
    node: NodePlan


class BulkQueryError(Exception):
    pass


@dataclass
class BulkOperation:
    id: int
    query: str
    version: str
    created_at: int
    status: str = "CREATED"
    completed_at: int | None = None
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None
    signature: str = field(default_factory=lambda: secrets.token_hex(16))
    cancel_requested: bool = False


class Runner(Protocol):
    def root_ids(self, plan: BulkPlan, version: str) -> list[int]: ...

    def execute(self, plan: BulkPlan, version: str, ids: list[int]) -> dict[str, Any]: ...


# -- validation ----------------------------------------------------------------------------


def plan(document: DocumentNode, schema: GraphQLSchema) -> BulkPlan:
    """Checks Shopify's bulk rules (one top-level connection, at most five connections,
    nested at most two deep, parents of nested connections select `id`)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        raise BulkQueryError("Bulk operations must contain exactly one query operation.")
    operation = operations[0]
    if operation.variable_definitions:
        raise BulkQueryError("Bulk queries cannot use variables.")
    root_type = schema.query_type
    assert root_type is not None
    top = _fields(schema, root_type, operation.selection_set, fragments)
    if len(top) != 1:
        raise BulkQueryError("Bulk queries must select exactly one top-level field.")
    root, definition = top[0]
    connection = get_named_type(definition.type)
    if not _is_connection(connection):
        raise BulkQueryError("Bulk queries must contain at least one connection.")
    if root.name.value not in BULK_ROOTS:
        raise BulkQueryError(
            f"The simulator runs bulk queries on {', '.join(sorted(BULK_ROOTS))} only."
        )
    counter = [1]
    node = _node_plan(schema, connection, root, fragments, depth=1, counter=counter)
    key = root.alias.value if root.alias else root.name.value
    return BulkPlan(document, root, key, node)


def _is_connection(named: Any) -> bool:
    return isinstance(named, GraphQLObjectType) and named.name.endswith("Connection")


def _fields(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
) -> list[tuple[FieldNode, Any]]:
    found: list[tuple[FieldNode, Any]] = []
    if selection_set is None:
        return found
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if not selection.name.value.startswith("__"):
                found.append((selection, parent.fields[selection.name.value]))
        elif isinstance(selection, InlineFragmentNode):
            found.extend(_fields(schema, parent, selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            found.extend(_fields(schema, parent, fragment.selection_set, fragments))
    return found


def _node_plan(
    schema: GraphQLSchema,
    connection: GraphQLObjectType,
    field_node: FieldNode,
    fragments: dict[str, FragmentDefinitionNode],
    *,
    depth: int,
    counter: list[int],
) -> NodePlan:
    node_type = get_named_type(connection.fields["nodes"].type)
    assert isinstance(node_type, GraphQLObjectType)
    selected: list[tuple[FieldNode, Any]] = []
    for part, _ in _fields(schema, connection, field_node.selection_set, fragments):
        if part.name.value == "nodes":
            selected.extend(_fields(schema, node_type, part.selection_set, fragments))
        elif part.name.value == "edges":
            edge_type = get_named_type(connection.fields["edges"].type)
            assert isinstance(edge_type, GraphQLObjectType)
            for inner, _ in _fields(schema, edge_type, part.selection_set, fragments):
                if inner.name.value == "node":
                    selected.extend(_fields(schema, node_type, inner.selection_set, fragments))
    result = NodePlan()
    nested: list[str] = []
    for child, definition in selected:
        key = child.alias.value if child.alias else child.name.value
        named = get_named_type(definition.type)
        if child.name.value == "id":
            result.id_key = key
        if _is_connection(named):
            counter[0] += 1
            if counter[0] > MAX_CONNECTIONS:
                raise BulkQueryError(
                    f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
                )
            if depth + 1 > MAX_DEPTH:
                raise BulkQueryError(
                    f"Bulk queries cannot contain connections with a nesting depth greater than "
                    f"{MAX_DEPTH}."
                )
            nested.append(child.name.value)
            result.connections[key] = _node_plan(
                schema, named, child, fragments, depth=depth + 1, counter=counter
            )
        elif is_composite_type(named) and _has_connection(schema, named, child, fragments):
            raise BulkQueryError(
                f"Connections under '{child.name.value}' must be selected on a connection's node."
            )
    if nested and result.id_key is None:
        raise BulkQueryError(
            "The parent 'node' field for a nested connection must select the 'id' field. "
            f"Connection fields without 'id': {', '.join(nested)}."
        )
    return result


def _has_connection(
    schema: GraphQLSchema, named: Any, field_node: FieldNode, fragments: dict[str, Any]
) -> bool:
    if not isinstance(named, GraphQLObjectType):
        return False
    for child, definition in _fields(schema, named, field_node.selection_set, fragments):
        inner = get_named_type(definition.type)
        if _is_connection(inner) or _has_connection(schema, inner, child, fragments):
            return True
    return False


# -- output --------------------------------------------------------------------------------


def flatten(node: dict[str, Any], plan: NodePlan, parent: str | None, out: list[str]) -> None:
    line = {key: value for key, value in node.items() if key not in plan.connections}
    if parent is not None:
        line["__parentId"] = parent
    out.append(orjson.dumps(line).decode())
    own_id = node.get(plan.id_key) if plan.id_key else None
    for key, child_plan in plan.connections.items():
        for child in returned_nodes(node.get(key)):
            flatten(child, child_plan, own_id, out)


# -- running -------------------------------------------------------------------------------


class BulkOperations:
    def __init__(
        self,
        directory: Path,
        runner: Runner,
        now: Callable[[], int],
        min_seconds: float,
        finished: Callable[[BulkOperation], None],
    ) -> None:
        self._directory = directory
        self._runner = runner
        self._now = now
        self.min_seconds = min_seconds
        self._finished = finished
        self._lock = threading.Lock()
        self._operations: dict[int, BulkOperation] = {}
        self._threads: list[threading.Thread] = []
        self.fail_next = False

    def get(self, operation_id: int) -> BulkOperation | None:
        with self._lock:
            return self._operations.get(operation_id)

    def current(self) -> BulkOperation | None:
        with self._lock:
            return max(self._operations.values(), key=lambda op: op.id, default=None)

    def start(
        self, new_id: int, query: str, bulk_plan: BulkPlan, version: str, base_url: str
    ) -> tuple[BulkOperation | None, list[dict[str, Any]]]:
        limit = 5 if v.at_least(version, v.BULK_CONCURRENCY_FROM) else 1
        with self._lock:
            running = sorted(op.id for op in self._operations.values() if op.status in ACTIVE)
            if len(running) >= limit:
                message = (
                    "A bulk query operation for this app and shop is already in progress: "
                    f"{gid('BulkOperation', running[0])}."
                )
                return None, [{"field": None, "message": message, "code": "OPERATION_IN_PROGRESS"}]
            operation = BulkOperation(new_id, query, version, self._now())
            self._operations[new_id] = operation
            fail = self.fail_next
            self.fail_next = False
        thread = threading.Thread(
            target=self._run,
            args=(operation, bulk_plan, base_url, fail),
            name=f"shopify-bulk-{new_id}",
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()
        return operation, []

    def cancel(self, operation_id: int) -> tuple[BulkOperation | None, list[dict[str, Any]]]:
        with self._lock:
            operation = self._operations.get(operation_id)
            if operation is None:
                return None, [{"field": ["id"], "message": "Bulk operation does not exist"}]
            if operation.status not in ACTIVE:
                message = (
                    f"A bulk operation cannot be canceled when it is {operation.status.lower()}"
                )
                return operation, [{"field": ["id"], "message": message}]
            operation.cancel_requested = True
            operation.status = "CANCELING"
            return operation, []

    def result_file(self, operation_id: int, signature: str) -> Path | None:
        operation = self.get(operation_id)
        if operation is None or not secrets.compare_digest(operation.signature, signature):
            return None
        path = self._directory / f"{operation_id}.jsonl"
        return path if path.exists() else None

    def wait(self, timeout: float) -> None:
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(
        self, operation: BulkOperation, bulk_plan: BulkPlan, base_url: str, fail: bool
    ) -> None:
        started = time.monotonic()
        path = self._directory / f"{operation.id}.jsonl"
        outcome = "COMPLETED"
        try:
            # Waits for the store, which the request that started this run holds until it
            # has answered: so that answer still says CREATED.
            ids = self._runner.root_ids(bulk_plan, operation.version)
            with self._lock:
                if operation.status == "CREATED":
                    operation.status = "RUNNING"
            with path.open("w", encoding="utf-8") as out:
                for start in range(0, len(ids), CHUNK):
                    if operation.cancel_requested:
                        outcome = "CANCELED"
                        break
                    data = self._runner.execute(
                        bulk_plan, operation.version, ids[start : start + CHUNK]
                    )
                    lines: list[str] = []
                    for root in returned_nodes(data.get(bulk_plan.root_key)):
                        operation.root_object_count += 1
                        flatten(root, bulk_plan.node, None, lines)
                    if lines:
                        out.write("\n".join(lines) + "\n")
                    operation.object_count += len(lines)
                    if fail:
                        outcome = "FAILED"
                        break
            while outcome == "COMPLETED" and time.monotonic() - started < self.min_seconds:
                if operation.cancel_requested:
                    outcome = "CANCELED"
                    break
                time.sleep(0.02)
        except Exception:  # a crashed run is reported the way Shopify reports one
            log.exception("bulk operation %s failed", operation.id)
            outcome = "FAILED"
        self._finish(operation, outcome, path, base_url)

    def _finish(self, operation: BulkOperation, outcome: str, path: Path, base_url: str) -> None:
        now = self._now()
        size = path.stat().st_size if path.exists() else 0
        url = (
            f"{base_url}bulk-results/{operation.id}.jsonl"
            f"?Expires={now + URL_LIFETIME}&Signature={operation.signature}"
        )
        with self._lock:
            operation.status = outcome
            operation.completed_at = now
            if outcome == "COMPLETED":
                operation.file_size = size
                # Shopify gives no file at all for a query that matched nothing.
                operation.url = url if operation.object_count else None
            else:
                operation.partial_data_url = url if size else None
                if outcome == "FAILED":
                    operation.error_code = "INTERNAL_SERVER_ERROR"
        self._finished(operation)
