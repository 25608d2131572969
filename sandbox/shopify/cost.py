"""Shopify's calculated query cost and the per-token leaky bucket it is charged to.

Cost, as Shopify documents it: scalars and enums 0, objects 1, interfaces and unions the
most expensive of their possible selections, connections 2 plus the page size times the cost
of one node, mutations 10. The requested cost (from page sizes) must be in the bucket before
a query runs; afterwards only the actual cost (from the nodes returned) is kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.values import get_argument_values

from .config import ThrottleSettings

MUTATION_COST = 10


@dataclass(frozen=True)
class Costing:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]

    def operation(self, operation: OperationDefinitionNode, data: Any = None) -> int:
        """The requested cost (data None) or the actual cost of what `data` holds."""
        actual = data is not None
        if operation.operation == OperationType.MUTATION:
            return MUTATION_COST * len(operation.selection_set.selections)
        root = self.schema.query_type
        assert root is not None
        return self._selection(root, operation.selection_set, data if actual else None, actual)

    def _fields(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> list[tuple[FieldNode, GraphQLField]]:
        found = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                definition = parent.fields.get(selection.name.value)
                if definition is not None:
                    found.append((selection, definition))
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    continue
                condition, inner = fragment.type_condition, fragment.selection_set
            elif isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            else:
                continue
            if condition is not None:
                target = self.schema.get_type(condition.name.value)
                applies = target is parent or (
                    target is not None
                    and is_abstract_type(target)
                    and self.schema.is_sub_type(target, parent)  # type: ignore[arg-type]
                )
                if not applies:
                    continue
            found.extend(self._fields(parent, inner))
        return found

    def _selection(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode, data: Any, actual: bool
    ) -> int:
        total = 0
        for node, definition in self._fields(parent, selection_set):
            key = node.alias.value if node.alias else node.name.value
            value = data.get(key) if isinstance(data, dict) else None
            total += self._field(node, definition, value, actual)
        return total

    def _field(self, node: FieldNode, definition: GraphQLField, value: Any, actual: bool) -> int:
        named = get_named_type(definition.type)
        if is_leaf_type(named) or node.selection_set is None:
            return 0
        if actual and value is None:
            return 0
        if named.name.endswith("Connection") and isinstance(named, GraphQLObjectType):
            return self._connection(node, definition, named, value, actual)
        field_type = definition.type
        if is_non_null_type(field_type):
            field_type = field_type.of_type  # type: ignore[union-attr]
        if is_list_type(field_type):
            if actual:
                return sum(self._object(named, node.selection_set, item, actual) for item in value)
            size = self._arguments(node, definition).get("first") or 1
            return size * self._object(named, node.selection_set, None, actual)
        return self._object(named, node.selection_set, value, actual)

    def _object(self, named: Any, selection_set: SelectionSetNode, value: Any, actual: bool) -> int:
        if is_abstract_type(named):
            options = self.schema.get_possible_types(named)
            return 1 + max(
                (self._selection(option, selection_set, value, actual) for option in options),
                default=0,
            )
        return 1 + self._selection(named, selection_set, value, actual)

    def _connection(
        self,
        node: FieldNode,
        definition: GraphQLField,
        connection: GraphQLObjectType,
        value: Any,
        actual: bool,
    ) -> int:
        node_type = get_named_type(connection.fields["nodes"].type)
        node_selections: list[SelectionSetNode] = []
        assert node.selection_set is not None
        for part, _ in self._fields(connection, node.selection_set):
            if part.selection_set is None:
                continue
            if part.name.value == "nodes":
                node_selections.append(part.selection_set)
            elif part.name.value == "edges":
                edge_type = get_named_type(connection.fields["edges"].type)
                assert isinstance(edge_type, GraphQLObjectType)
                for inner, _ in self._fields(edge_type, part.selection_set):
                    if inner.name.value == "node" and inner.selection_set is not None:
                        node_selections.append(inner.selection_set)
        merged = SelectionSetNode(
            selections=tuple(sel for group in node_selections for sel in group.selections)
        )
        if not actual:
            args = self._arguments(node, definition)
            size = args.get("first") or args.get("last") or 0
            per_node = self._object(node_type, merged, None, False) if node_selections else 0
            return 2 + size * per_node
        return 2 + sum(
            self._object(node_type, merged, item, True) if node_selections else 0
            for item in returned_nodes(value)
        )

    def _arguments(self, node: FieldNode, definition: GraphQLField) -> dict[str, Any]:
        try:
            return get_argument_values(definition, node, dict(self.variables))
        except GraphQLError:  # execution reports invalid arguments itself
            return {}


def returned_nodes(value: Any) -> list[dict[str, Any]]:
    """The nodes a connection returned, merging `edges.node` and `nodes` by position."""
    if not isinstance(value, dict):
        return []
    edges = [edge.get("node") or {} for edge in value.get("edges") or [] if isinstance(edge, dict)]
    nodes = [item for item in value.get("nodes") or [] if isinstance(item, dict)]
    merged = []
    for index in range(max(len(edges), len(nodes))):
        item: dict[str, Any] = {}
        if index < len(edges):
            item.update(edges[index])
        if index < len(nodes):
            item.update(nodes[index])
        merged.append(item)
    return merged


class Bucket:
    """A leaky bucket of cost points: `restore_rate` points come back per second."""

    def __init__(self, settings: ThrottleSettings) -> None:
        self.settings = settings
        self._available = settings.maximum_available
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = time.monotonic()
        restored = (now - self._at) * self.settings.restore_rate
        self._available = min(self.settings.maximum_available, self._available + restored)
        self._at = now

    def take(self, cost: int) -> bool:
        with self._lock:
            self._refill()
            if cost > self._available:
                return False
            self._available -= cost
            return True

    def give_back(self, points: int) -> None:
        with self._lock:
            self._refill()
            self._available = min(self.settings.maximum_available, self._available + points)

    def status(self) -> dict[str, float]:
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": float(self.settings.maximum_available),
                "currentlyAvailable": int(self._available),
                "restoreRate": float(self.settings.restore_rate),
            }
