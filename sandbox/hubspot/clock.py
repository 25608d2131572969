"""Timestamps in the exact textual shapes HubSpot reads and writes."""

from __future__ import annotations

import functools
import re
import time
from datetime import UTC, date, datetime, timedelta

_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH_MS = re.compile(r"^-?\d{1,15}$")
_DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@functools.lru_cache(maxsize=4096)
def iso_ms(ms: int) -> str:
    """`2024-03-27T18:04:11.823Z`: always milliseconds and a `Z`, as HubSpot sends them.

    Cached: a batch stamps all its records with one instant, and reads repeat them."""
    seconds, millis = divmod(ms, 1000)
    stamp = datetime.fromtimestamp(seconds, UTC)
    return f"{stamp:%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


def parse_datetime_ms(text: str) -> int | None:
    """Epoch milliseconds, or an ISO-8601 instant that names its offset; anything else is None.

    A zone-less or date-only text is refused: HubSpot would have to guess the zone, and a
    client that relies on the guess writes the wrong instant.
    """
    if _EPOCH_MS.match(text):
        return int(text)
    if not _ISO_DATETIME.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed - _EPOCH) // _ONE_MS


def parse_date(text: str) -> str | None:
    """A calendar date as `YYYY-MM-DD`, from that text or from midnight-UTC epoch ms."""
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if _EPOCH_MS.match(text):
        ms = int(text)
        if ms % _DAY_MS:
            return None
        return datetime.fromtimestamp(ms // 1000, UTC).date().isoformat()
    return None


def date_ms(text: str) -> int:
    """Midnight UTC of a stored `YYYY-MM-DD`, for range comparisons in search."""
    day = date.fromisoformat(text)
    return (datetime(day.year, day.month, day.day, tzinfo=UTC) - _EPOCH) // _ONE_MS


def time_of_day(ms: int) -> str:
    """`H:M:S.ms` of an epoch-ms instant, as HubSpot words a date that is not at midnight."""
    stamp = datetime.fromtimestamp(ms // 1000, UTC)
    return f"{stamp.hour}:{stamp.minute}:{stamp.second}.{ms % 1000}"
