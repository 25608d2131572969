"""The Mutation fields: bulk queries, webhook subscriptions, theme files and script tags."""

from __future__ import annotations

import uuid
from typing import Any

from graphql import GraphQLSyntaxError, parse, validate

from .bulk import BulkQueryError, plan
from .gqlerrors import syntax_error, validation_error
from .graphcontext import Context, Info
from .ids import parse_gid
from .nodes_admin import BulkOperationNode, SubscriptionNode
from .sdl import schema_for

SCRIPT_TAGS_ENDED = (
    "Script tags can no longer be created or updated (since October 1, 2026). "
    "Use a theme app extension or a web pixel instead."
)


class MutationRoot:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _id(self, value: str, kind: str) -> int | None:
        parsed = parse_gid(value)
        return parsed[1] if parsed is not None and parsed[0] == kind else None

    # -- bulk operations --------------------------------------------------------------------

    def bulkOperationRunQuery(self, info: Info, query: str) -> dict[str, Any]:
        ctx = self.ctx

        def invalid(message: str) -> dict[str, Any]:
            error = {
                "field": ["query"],
                "message": f"Invalid bulk query: {message}",
                "code": "INVALID",
            }
            return {"bulkOperation": None, "userErrors": [error]}

        schema = schema_for(ctx.version)
        try:
            document = parse(query)
        except GraphQLSyntaxError as exc:
            return invalid(syntax_error(exc)["message"])
        errors = validate(schema, document)
        if errors:
            return invalid(validation_error(errors[0], document)["message"])
        try:
            bulk_plan = plan(document, schema)
        except BulkQueryError as exc:
            return invalid(str(exc))
        new_id = ctx.store.ids.take("BulkOperation", 3)
        operation, problems = ctx.sim.bulk.start(
            new_id, query, bulk_plan, ctx.version, ctx.base_url
        )
        if operation is None:
            return {"bulkOperation": None, "userErrors": problems}
        ctx.sim.stats.add("bulk_operations")
        return {"bulkOperation": BulkOperationNode(ctx, operation), "userErrors": []}

    def bulkOperationCancel(self, info: Info, id: str) -> dict[str, Any]:
        number = self._id(id, "BulkOperation")
        if number is None:
            return {
                "bulkOperation": None,
                "userErrors": [{"field": ["id"], "message": "Bulk operation does not exist"}],
            }
        operation, errors = self.ctx.sim.bulk.cancel(number)
        node = BulkOperationNode(self.ctx, operation) if operation else None
        return {"bulkOperation": node, "userErrors": errors}

    # -- webhook subscriptions --------------------------------------------------------------

    def webhookSubscriptionCreate(
        self, info: Info, topic: str, webhookSubscription: dict[str, Any]
    ) -> dict[str, Any]:
        ctx = self.ctx
        new_id = ctx.store.ids.take("WebhookSubscription", 7)
        subscription, errors = ctx.sim.subscriptions.create(
            new_id, topic, webhookSubscription, ctx.version, ctx.sim.clock.seconds()
        )
        node = SubscriptionNode(ctx, subscription) if subscription else None
        return {"webhookSubscription": node, "userErrors": errors}

    def webhookSubscriptionUpdate(
        self, info: Info, id: str, webhookSubscription: dict[str, Any]
    ) -> dict[str, Any]:
        number = self._id(id, "WebhookSubscription")
        if number is None:
            errors = [{"field": ["id"], "message": "Webhook subscription does not exist"}]
            return {"webhookSubscription": None, "userErrors": errors}
        subscription, errors = self.ctx.sim.subscriptions.update(
            number, webhookSubscription, self.ctx.sim.clock.seconds()
        )
        node = SubscriptionNode(self.ctx, subscription) if subscription else None
        return {"webhookSubscription": node, "userErrors": errors}

    def webhookSubscriptionDelete(self, info: Info, id: str) -> dict[str, Any]:
        number = self._id(id, "WebhookSubscription")
        if number is None or not self.ctx.sim.subscriptions.delete(number):
            errors = [{"field": ["id"], "message": "Webhook subscription does not exist"}]
            return {"deletedWebhookSubscriptionId": None, "userErrors": errors}
        return {"deletedWebhookSubscriptionId": id, "userErrors": []}

    # -- storefront code --------------------------------------------------------------------

    def themeFilesUpsert(
        self, info: Info, themeId: str, files: list[dict[str, Any]]
    ) -> dict[str, Any]:
        ctx = self.ctx
        number = self._id(themeId, "OnlineStoreTheme")
        theme = ctx.sim.themes.get(number) if number is not None else None
        if theme is None:
            error = {
                "field": ["themeId"],
                "filename": None,
                "code": "NOT_FOUND",
                "message": "Theme does not exist",
            }
            return {"job": None, "upsertedThemeFiles": None, "userErrors": [error]}
        written, errors = ctx.sim.themes.upsert(theme, files, ctx.sim.clock.seconds())
        if errors:
            return {"job": None, "upsertedThemeFiles": [], "userErrors": errors}
        return {
            "job": {"id": f"gid://shopify/Job/{uuid.uuid4()}", "done": True},
            "upsertedThemeFiles": [{"filename": name} for name in written],
            "userErrors": [],
        }

    def scriptTagCreate(self, info: Info, input: dict[str, Any]) -> dict[str, Any]:
        return {"scriptTag": None, "userErrors": [{"field": None, "message": SCRIPT_TAGS_ENDED}]}
