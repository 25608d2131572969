"""GraphQL objects of the shop itself and of the app's own resources: bulk operations,
webhook subscriptions, themes and their files."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, ClassVar

from .graphcontext import Connection, Context, Info, list_connection
from .ids import gid
from .money import PRESENTMENT_CURRENCIES
from .subscriptions import Subscription
from .themes import Theme, ThemeFile

if TYPE_CHECKING:
    from .bulk import BulkOperation


def shop(ctx: Context) -> dict[str, Any]:
    info = ctx.store.shop
    offset = info.utc_offset_minutes
    hours, minutes = divmod(abs(offset), 60)
    sign = "-" if offset < 0 else "+"
    zone = "Etc/UTC" if offset == 0 else f"Etc/GMT{'+' if offset < 0 else '-'}{hours}"
    return {
        "id": gid("Shop", info.id),
        "name": info.name,
        "email": f"owner@{info.domain.split('.')[0]}.example.com",
        "contactEmail": f"support@{info.domain.split('.')[0]}.example.com",
        "myshopifyDomain": info.domain,
        "url": f"https://{info.domain}",
        "primaryDomain": {
            "id": gid("Domain", info.id),
            "host": info.domain,
            "url": f"https://{info.domain}",
        },
        "currencyCode": info.currency,
        "enabledPresentmentCurrencies": list(PRESENTMENT_CURRENCIES),
        "ianaTimezone": zone if minutes == 0 else "Etc/UTC",
        "timezoneOffset": f"{sign}{hours:02d}{minutes:02d}",
        "timezoneOffsetMinutes": offset,
    }


class BulkOperationNode:
    typename: ClassVar[str] = "BulkOperation"

    def __init__(self, ctx: Context, record: BulkOperation) -> None:
        self.ctx = ctx
        self.record = record

    def id(self, info: Info) -> str:
        return gid("BulkOperation", self.record.id)

    def status(self, info: Info) -> str:
        return self.record.status

    def type(self, info: Info) -> str:
        return "QUERY"

    def query(self, info: Info) -> str:
        return self.record.query

    def errorCode(self, info: Info) -> str | None:
        return self.record.error_code

    def objectCount(self, info: Info) -> str:
        return str(self.record.object_count)

    def rootObjectCount(self, info: Info) -> str:
        return str(self.record.root_object_count)

    def fileSize(self, info: Info) -> str | None:
        size = self.record.file_size
        return str(size) if size is not None else None

    def url(self, info: Info) -> str | None:
        return self.record.url

    def partialDataUrl(self, info: Info) -> str | None:
        return self.record.partial_data_url

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def completedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.completed_at)


class SubscriptionNode:
    typename: ClassVar[str] = "WebhookSubscription"

    def __init__(self, ctx: Context, record: Subscription) -> None:
        self.ctx = ctx
        self.record = record

    def id(self, info: Info) -> str:
        return gid("WebhookSubscription", self.record.id)

    def legacyResourceId(self, info: Info) -> str:
        return str(self.record.id)

    def topic(self, info: Info) -> str:
        return self.record.topic

    def format(self, info: Info) -> str:
        return self.record.format

    def endpoint(self, info: Info) -> dict[str, Any]:
        return {"__typename": "WebhookHttpEndpoint", "callbackUrl": self.record.callback_url}

    def callbackUrl(self, info: Info) -> str:
        return self.record.callback_url

    def includeFields(self, info: Info) -> list[str]:
        return list(self.record.include_fields)

    def apiVersion(self, info: Info) -> dict[str, Any]:
        version = self.record.api_version
        return {"handle": version, "displayName": version, "supported": True}

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)


def theme_file(ctx: Context, record: ThemeFile) -> dict[str, Any]:
    text = record.text
    body: dict[str, Any] = (
        {"__typename": "OnlineStoreThemeFileBodyText", "content": text}
        if text is not None
        else {
            "__typename": "OnlineStoreThemeFileBodyBase64",
            "contentBase64": base64.b64encode(record.data).decode("ascii"),
        }
    )
    return {
        "filename": record.filename,
        "body": body,
        "checksumMd5": record.checksum,
        "contentType": record.content_type,
        "size": str(len(record.data)),
        "createdAt": ctx.time(record.created_at),
        "updatedAt": ctx.time(record.updated_at),
    }


class ThemeFileConnection(Connection):
    def __init__(self, inner: Connection, missing: list[str]) -> None:
        super().__init__(inner.items, inner.page)
        self._missing = missing

    def userErrors(self, info: Info) -> list[dict[str, str]]:
        return [{"code": "NOT_FOUND", "filename": name} for name in self._missing]


class ThemeNode:
    typename: ClassVar[str] = "OnlineStoreTheme"

    def __init__(self, ctx: Context, record: Theme) -> None:
        self.ctx = ctx
        self.record = record

    def id(self, info: Info) -> str:
        return gid("OnlineStoreTheme", self.record.id)

    def name(self, info: Info) -> str:
        return self.record.name

    def role(self, info: Info) -> str:
        return self.record.role

    def prefix(self, info: Info) -> str:
        return f"/t/{self.record.id % 1000}"

    def processing(self, info: Info) -> bool:
        return False

    def processingFailed(self, info: Info) -> bool:
        return False

    def themeStoreId(self, info: Info) -> int:
        return 887

    def createdAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.created_at)

    def updatedAt(self, info: Info) -> str | None:
        return self.ctx.time(self.record.updated_at)

    def files(
        self, info: Info, filenames: list[str] | None = None, **args: Any
    ) -> ThemeFileConnection:
        found, missing = self.ctx.sim.themes.read(self.record, filenames)
        numbered = list(enumerate(found))

        def make(entry: tuple[int, ThemeFile]) -> dict[str, Any]:
            return theme_file(self.ctx, entry[1])

        inner = list_connection(self.ctx, info, numbered, lambda entry: entry[0], make, args)
        return ThemeFileConnection(inner, missing)
