"""The simulator's clock: a configurable start that then runs in real time, and timestamp text."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone


class Clock:
    def __init__(self, start: datetime | None = None) -> None:
        self.start = int(start.timestamp()) if start is not None else int(time.time())
        self._started = time.monotonic()

    def now(self) -> float:
        return self.start + (time.monotonic() - self._started)

    def seconds(self) -> int:
        return int(self.now())


class TimeFormat:
    """Shopify writes REST/webhook timestamps in the shop's offset, GraphQL ones in UTC."""

    def __init__(self, utc_offset_minutes: int) -> None:
        self.zone = timezone(timedelta(minutes=utc_offset_minutes))

    def rest(self, epoch: int | None) -> str | None:
        if epoch is None:
            return None
        return datetime.fromtimestamp(epoch, self.zone).isoformat()

    @staticmethod
    def graphql(epoch: int | None) -> str | None:
        if epoch is None:
            return None
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def header_time(epoch: float) -> str:
    """`X-Shopify-Triggered-At`: UTC with microseconds."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(text: str) -> int | None:
    """Epoch seconds of an ISO-8601 date or date-time (UTC when it names no offset)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())
