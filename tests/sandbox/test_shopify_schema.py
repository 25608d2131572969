"""The simulator's schema is a true subset of Shopify's Admin schema, and every field in it
resolves (no missing resolver, no null where the schema promises a value)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    ast_from_value,
    build_client_schema,
    build_schema,
    get_named_type,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
    print_ast,
)

from sandbox.shopify import ThrottleSettings
from sandbox.shopify.sdl import BASE_SDL, schema_for
from sandbox.shopify.subscriptions import TOPICS
from tests.sandbox.shopify_fixtures import Running, running_simulator, small_config
from tests.support.reference import ADMIN_SCHEMA


def _default(value: object, type_: object) -> str | None:
    if value is Undefined:
        return None
    node = ast_from_value(value, type_)  # type: ignore[arg-type]
    return print_ast(node) if node else None


def _differences(mine: GraphQLSchema, shopify: GraphQLSchema) -> list[str]:
    problems: list[str] = []
    for name, ours in mine.type_map.items():
        if name.startswith("__"):
            continue
        theirs = shopify.type_map.get(name)
        if theirs is None or type(theirs) is not type(ours):
            problems.append(f"type {name} is not a {type(ours).__name__} in Shopify's schema")
            continue
        if isinstance(ours, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            assert isinstance(theirs, type(ours))
            problems += _field_differences(name, ours, theirs)
        if isinstance(ours, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(theirs, GraphQLObjectType | GraphQLInterfaceType)
            extra = {i.name for i in ours.interfaces} - {i.name for i in theirs.interfaces}
            problems += [f"{name} implements {i} only here" for i in sorted(extra)]
        if isinstance(ours, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            problems += [
                f"enum {name} has no {v}" for v in sorted(set(ours.values) - set(theirs.values))
            ]
        if isinstance(ours, GraphQLUnionType):
            assert isinstance(theirs, GraphQLUnionType)
            extra = {t.name for t in ours.types} - {t.name for t in theirs.types}
            problems += [f"union {name} has no {t}" for t in sorted(extra)]
    return problems


def _field_differences(name: str, ours: GraphQLNamedType, theirs: GraphQLNamedType) -> list[str]:
    problems = []
    our_fields, their_fields = ours.fields, theirs.fields  # type: ignore[attr-defined]
    for field_name, field in our_fields.items():
        other = their_fields.get(field_name)
        where = f"{name}.{field_name}"
        if other is None:
            problems.append(f"{where} does not exist")
            continue
        if str(other.type) != str(field.type):
            problems.append(f"{where} is {other.type}, not {field.type}")
        if isinstance(ours, GraphQLInputObjectType):
            continue
        if bool(field.deprecation_reason) != bool(other.deprecation_reason):
            problems.append(f"{where} deprecation differs")
        for arg_name, arg in field.args.items():
            their_arg = other.args.get(arg_name)
            if their_arg is None:
                problems.append(f"{where}({arg_name}) does not exist")
            elif str(their_arg.type) != str(arg.type):
                problems.append(f"{where}({arg_name}) is {their_arg.type}, not {arg.type}")
            elif _default(arg.default_value, arg.type) != _default(
                their_arg.default_value, arg.type
            ):
                problems.append(f"{where}({arg_name}) has another default")
        for arg_name, arg in other.args.items():
            if is_required_argument(arg) and arg_name not in field.args:
                problems.append(f"{where} lacks the required argument {arg_name}")
    if isinstance(ours, GraphQLInputObjectType):
        for field_name, field in their_fields.items():
            if is_required_input_field(field) and field_name not in our_fields:
                problems.append(f"{name} lacks the required input field {field_name}")
    return problems


@ADMIN_SCHEMA.mark
def test_the_sdl_matches_shopifys_published_schema() -> None:
    with gzip.open(ADMIN_SCHEMA.path) as raw:
        shopify = build_client_schema(json.load(raw)["data"])
    assert _differences(build_schema(BASE_SDL), shopify) == []


def test_the_comparison_notices_a_wrong_type() -> None:
    wrong = build_schema(BASE_SDL.replace("totalWeight: UnsignedInt64", "totalWeight: Int"))
    assert _differences(wrong, build_schema(BASE_SDL)) == [
        "Order.totalWeight is UnsignedInt64, not Int"
    ]


def test_newer_versions_add_bulk_operation_by_id() -> None:
    assert "bulkOperation" not in schema_for("2025-10").query_type.fields  # type: ignore[union-attr]
    assert "bulkOperation" in schema_for("2026-01").query_type.fields  # type: ignore[union-attr]


def test_every_topic_enum_value_has_a_topic_name() -> None:
    enum = schema_for("2025-01").type_map["WebhookSubscriptionTopic"]
    assert isinstance(enum, GraphQLEnumType)
    assert set(enum.values) == set(TOPICS)


def _selection(schema: GraphQLSchema, named: GraphQLNamedType, depth: int) -> str:
    """Every field of a type (arguments only where optional), objects to `depth` levels."""
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        parts = ["__typename"] + [
            f"... on {option.name} {{ {_selection(schema, option, depth)} }}"
            for option in schema.get_possible_types(named)
        ]
        return " ".join(parts)
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for field_name, field in named.fields.items():
        if any(is_required_argument(arg) for arg in field.args.values()):
            continue
        inner = get_named_type(field.type)
        args = "(first: 2)" if "first" in field.args else ""
        if is_leaf_type(inner):
            parts.append(field_name)
        elif depth > 0:
            parts.append(f"{field_name}{args} {{ {_selection(schema, inner, depth - 1)} }}")
    return " ".join(parts) or "__typename"


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    # Selecting every field is far beyond a single query's cost limit; lift it here.
    throttle = ThrottleSettings(maximum_available=1e9, restore_rate=1e9, max_query_cost=10**9)
    with running_simulator(small_config(orders=150, checkouts=40, throttle=throttle)) as simulator:
        yield simulator


@pytest.mark.parametrize(
    ("field_name", "query_filter"),
    [
        ("customers", ""),
        ("products", ""),
        ("orders", "refund"),
        ("orders", "cancelled"),
        ("abandonedCheckouts", ""),
        ("webhookSubscriptions", ""),
        ("themes", ""),
    ],
)
def test_every_field_resolves(running: Running, field_name: str, query_filter: str) -> None:
    schema = schema_for("2026-01")
    assert schema.query_type is not None
    connection_type = get_named_type(schema.query_type.fields[field_name].type)
    assert isinstance(connection_type, GraphQLObjectType)
    node_type = get_named_type(connection_type.fields["nodes"].type)
    query_arg = {
        "refund": ', query: "financial_status:partially_refunded"',
        "cancelled": ', query: "status:cancelled"',
        "": "",
    }[query_filter]
    if field_name == "webhookSubscriptions":
        running.data(
            "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: "
            '{callbackUrl: "https://example.com/hooks"}) { userErrors { message } } }'
        )
    fields = _selection(schema, node_type, 4)
    query = (
        f"{{ {field_name}(first: 3{query_arg}) {{ pageInfo {{ hasNextPage hasPreviousPage "
        f"startCursor endCursor }} edges {{ cursor node {{ {fields} }} }} }} }}"
    )
    data = running.data(query, version="2026-01")
    assert data[field_name]["edges"], "nothing to check"


def test_shop_and_singletons_resolve(running: Running) -> None:
    schema = schema_for("2026-01")
    shop = schema.type_map["Shop"]
    data = running.data(f"{{ shop {{ {_selection(schema, shop, 2)} }} }}", version="2026-01")
    assert data["shop"]["myshopifyDomain"] == "shopspot-simulator.myshopify.com"
