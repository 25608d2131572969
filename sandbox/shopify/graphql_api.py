"""The Admin GraphQL endpoint: authentication, parsing and validation with Shopify's error
shapes, cost and throttling, execution against the store, and the bulk-operation runner."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    execute_sync,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values

from . import versions
from .bulk import BulkPlan
from .cost import Bucket, Costing
from .gqlerrors import coded, syntax_error, validation_error, variable_error
from .graphcontext import Context
from .mutations import MutationRoot
from .rootquery import QueryRoot, bulk_root_ids
from .sdl import schema_for

if TYPE_CHECKING:
    from .simulation import Simulation

INVALID_TOKEN = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}
THROTTLED_DOCS = "https://shopify.dev/api/usage/rate-limits"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


class _Documents:
    """Parsed and validated documents by text: clients send the same few queries over and over."""

    def __init__(self, size: int = 256) -> None:
        self._entries: OrderedDict[tuple[int, str], tuple[DocumentNode, list[GraphQLError]]] = (
            OrderedDict()
        )
        self._size = size

    def get(self, schema: GraphQLSchema, text: str) -> tuple[DocumentNode, list[GraphQLError]]:
        key = (id(schema), text)
        entry = self._entries.get(key)
        if entry is None:
            document = parse(text)
            entry = (document, validate(schema, document))
            self._entries[key] = entry
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry


class GraphQLApi:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._documents = _Documents()
        self._buckets: dict[str, Bucket] = {}

    def bucket(self, token: str) -> Bucket:
        bucket = self._buckets.get(token)
        if bucket is None:
            bucket = self._buckets.setdefault(token, Bucket(self.sim.config.throttle))
        return bucket

    def handle(
        self,
        requested_version: str,
        token: str | None,
        body: bytes,
        content_type: str,
        base_url: str,
    ) -> Answer:
        version = versions.resolve(requested_version)
        if version is None:
            return Answer(404, {"errors": "Not Found"}, {})
        headers = {"X-Shopify-API-Version": version}
        if token != self.sim.config.access_token:
            return Answer(401, INVALID_TOKEN, headers)
        self.sim.stats.add("graphql_requests")
        request = _read_request(body, content_type)
        if request is None:
            missing = {"errors": {"query": "Required parameter missing or invalid"}}
            return Answer(400, missing, headers)
        query, variables, operation_name = request
        schema = schema_for(version)
        bucket = self.bucket(str(token))
        try:
            document, errors = self._documents.get(schema, query)
        except GraphQLSyntaxError as exc:
            return Answer(200, {"errors": [syntax_error(exc)], **self._cost(bucket, 0, 0)}, headers)
        if errors:
            shaped = [validation_error(error, document) for error in errors]
            return Answer(200, {"errors": shaped, **self._cost(bucket, 0, 0)}, headers)
        operation = _operation(document, operation_name)
        if operation is None:
            message = (
                f'No operation named "{operation_name}"'
                if operation_name
                else "An operation name is required"
            )
            return Answer(
                200, {"errors": [{"message": message}], **self._cost(bucket, 0, 0)}, headers
            )
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            shaped = [variable_error(error, variables) for error in coerced]
            return Answer(200, {"errors": shaped, **self._cost(bucket, 0, 0)}, headers)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        costing = Costing(schema, fragments, coerced)
        requested = costing.operation(operation)
        limit = self.sim.config.throttle.max_query_cost
        if requested > limit:
            self.sim.stats.add("graphql_max_cost_exceeded")
            message = (
                f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({limit})."
            )
            error = coded(message, "MAX_COST_EXCEEDED", cost=requested, maxCost=limit)
            return Answer(200, {"errors": [error], **self._cost(bucket, requested, None)}, headers)
        if not bucket.take(requested):
            self.sim.stats.add("graphql_throttled")
            error = coded("Throttled", "THROTTLED", documentation=THROTTLED_DOCS)
            return Answer(200, {"errors": [error], **self._cost(bucket, requested, None)}, headers)
        ctx = Context(self.sim, version, base_url)
        root: Any = (
            MutationRoot(ctx) if operation.operation == OperationType.MUTATION else QueryRoot(ctx)
        )
        with self.sim.store.lock:
            result = execute_sync(
                schema,
                document,
                root_value=root,
                context_value=ctx,
                variable_values=variables,
                operation_name=operation_name,
            )
            actual = costing.operation(operation, result.data or {}) if result.data else 0
        bucket.give_back(max(requested - actual, 0))
        answer: dict[str, Any] = {}
        if result.errors:
            answer["errors"] = [error.formatted for error in result.errors]
        answer["data"] = result.data
        answer.update(self._cost(bucket, requested, actual))
        if ctx.search_reports:
            answer["extensions"]["search"] = ctx.search_reports
        return Answer(200, answer, headers)

    @staticmethod
    def _cost(bucket: Bucket, requested: int, actual: int | None) -> dict[str, Any]:
        return {
            "extensions": {
                "cost": {
                    "requestedQueryCost": requested,
                    "actualQueryCost": actual,
                    "throttleStatus": bucket.status(),
                }
            }
        }

    # -- the bulk runner --------------------------------------------------------------------

    def root_ids(self, plan: BulkPlan, version: str) -> list[int]:
        schema = schema_for(version)
        root_type = schema.query_type
        assert root_type is not None
        definition = root_type.fields[plan.root.name.value]
        args = get_argument_values(definition, plan.root, {})
        with self.sim.store.lock:
            ctx = Context(self.sim, version, "")
            return bulk_root_ids(ctx, plan.root.name.value, args)

    def execute(self, plan: BulkPlan, version: str, ids: list[int]) -> dict[str, Any]:
        with self.sim.store.lock:
            ctx = Context(self.sim, version, "", bulk_ids=ids)
            result = execute_sync(
                schema_for(version), plan.document, root_value=QueryRoot(ctx), context_value=ctx
            )
        if result.errors:
            raise RuntimeError(result.errors[0].message)
        return result.data or {}


def _read_request(body: bytes, content_type: str) -> tuple[str, dict[str, Any], str | None] | None:
    """Shopify takes `application/json` ({"query", "variables", "operationName"}) or a raw
    `application/graphql` document."""
    if content_type.split(";")[0].strip().lower() == "application/graphql":
        text = body.decode("utf-8", "replace")
        return (text, {}, None) if text.strip() else None
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return None
    variables = payload.get("variables") or {}
    name = payload.get("operationName")
    if not isinstance(variables, dict) or (name is not None and not isinstance(name, str)):
        return None
    return payload["query"], variables, name


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        return next((op for op in operations if op.name and op.name.value == name), None)
    return operations[0] if len(operations) == 1 else None
