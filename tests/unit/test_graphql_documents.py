"""Every GraphQL document Shopspot sends to Shopify validates against the Admin schema, so a
misspelt field or a wrong argument type fails here, not in a store: against the schema the
Shopify simulator serves at Shopspot's API version, always (it is a true subset of Shopify's,
see tests/sandbox/test_shopify_schema.py), and against Shopify's published Admin schema
(2025-01) where that is beside the checkout.

Documents are the module-level string constants named `*_QUERY`, `*_MUTATION` or `*_BULK` (the
inner query of a bulk operation, validated as a query of its own), and the import's bulk queries
as it builds them, with and without reconciliation's filter.
"""

from __future__ import annotations

import gzip
import importlib
import json
from collections.abc import Callable
from functools import cache

import pytest
from graphql import GraphQLEnumType, GraphQLSchema, build_client_schema, parse, validate

from sandbox.shopify.sdl import schema_for
from shopspot.backfill import queries
from shopspot.settings import DEFAULT_API_VERSION
from shopspot.topics import TOPICS
from tests.support.reference import ADMIN_SCHEMA

DOCUMENT_MODULES = ["shopspot.shopify.setup", "shopspot.backfill.queries"]
SUFFIXES = ("_QUERY", "_MUTATION", "_BULK")


def _simulator_schema() -> GraphQLSchema:
    return schema_for(DEFAULT_API_VERSION)


@cache
def _published_schema() -> GraphQLSchema:
    with gzip.open(ADMIN_SCHEMA.path) as file:
        schema = build_client_schema(json.load(file)["data"])
    # Shopify's schema has deprecation mismatches that graphql-core's schema check refuses;
    # documents validate against it all the same.
    schema._validation_errors = []
    return schema


@pytest.fixture(
    params=[
        pytest.param(_simulator_schema, id="simulator"),
        ADMIN_SCHEMA.param(_published_schema, id="shopify"),
    ]
)
def schema(request: pytest.FixtureRequest) -> GraphQLSchema:
    load: Callable[[], GraphQLSchema] = request.param
    return load()


def _documents() -> list[tuple[str, str]]:
    found = []
    for module_name in DOCUMENT_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if name.endswith(SUFFIXES) and isinstance(value, str):
                found.append((f"{module_name}.{name}", value))
    for build in (queries.products_bulk, queries.customers_bulk, queries.orders_bulk):
        for search in (None, "updated_at:>'2026-01-01T00:00:00Z'"):
            found.append((f"{build.__name__}({search or ''})", build(search)))
    for root in ("products", "customers", "orders"):
        found.append((f"id_bounds({root})", queries.id_bounds(root)))
    return found


DOCUMENTS = _documents()


def _problems(schema: GraphQLSchema, document: str) -> list[str]:
    return [error.message for error in validate(schema, parse(document))]


def test_every_module_has_documents() -> None:
    for module_name in DOCUMENT_MODULES:
        assert any(name.startswith(f"{module_name}.") for name, _ in DOCUMENTS), module_name


@pytest.mark.parametrize(("name", "document"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_document_is_valid_against_shopify_schema(
    schema: GraphQLSchema, name: str, document: str
) -> None:
    assert _problems(schema, document) == []


def test_a_document_with_an_unknown_field_is_refused(schema: GraphQLSchema) -> None:
    from shopspot.shopify.setup import MAIN_THEME_QUERY

    wrong = MAIN_THEME_QUERY.replace("nodes { id name }", "nodes { id name colour }")
    assert wrong != MAIN_THEME_QUERY
    problems = _problems(schema, wrong)
    assert any("colour" in problem for problem in problems), problems


def test_a_document_with_a_wrong_argument_is_refused(schema: GraphQLSchema) -> None:
    from shopspot.shopify.setup import MAIN_THEME_QUERY

    wrong = MAIN_THEME_QUERY.replace("roles: [MAIN]", "roles: [PUBLISHED]")
    assert wrong != MAIN_THEME_QUERY
    assert _problems(schema, wrong) != []


def test_webhook_topics_exist_in_shopify_schema(schema: GraphQLSchema) -> None:
    from shopspot.shopify.setup import WEBHOOK_TOPICS

    enum = schema.type_map["WebhookSubscriptionTopic"]
    assert isinstance(enum, GraphQLEnumType)
    assert sorted(set(WEBHOOK_TOPICS) - set(enum.values)) == []


def test_every_handled_topic_is_subscribed_or_configured_by_the_app() -> None:
    from shopspot.shopify.setup import COMPLIANCE_TOPICS, WEBHOOK_TOPICS

    def enum_name(topic: str) -> str:  # orders/create → ORDERS_CREATE, customer.tags_added → …
        return topic.upper().replace("/", "_").replace(".", "_")

    unsubscribed = {topic for topic in TOPICS if enum_name(topic) not in WEBHOOK_TOPICS}
    assert unsubscribed == set(COMPLIANCE_TOPICS)
    assert len(WEBHOOK_TOPICS) == len(set(WEBHOOK_TOPICS)) == len(TOPICS) - 3


def test_privacy_topics_cannot_be_subscribed_through_the_api(schema: GraphQLSchema) -> None:
    from shopspot.shopify.setup import COMPLIANCE_TOPICS

    enum = schema.type_map["WebhookSubscriptionTopic"]
    assert isinstance(enum, GraphQLEnumType)
    names = {topic.upper().replace("/", "_") for topic in COMPLIANCE_TOPICS}
    assert names & set(enum.values) == set()
