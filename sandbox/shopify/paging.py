"""Cursor paging over records kept in sort order, the way Shopify's connections page."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

MAX_PAGE_SIZE = 250
Key = Any  # an int (id order) or a (value, id) tuple


@dataclass(frozen=True)
class SortedIds:
    """Record ids in ascending sort order, with the sort key of each."""

    keys: Sequence[Key]
    ids: Sequence[int]


@dataclass(frozen=True)
class Window:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    reverse: bool = False


@dataclass(frozen=True)
class Page:
    ids: list[int]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def encode_cursor(key: Key) -> str:
    if isinstance(key, tuple):
        body = {"last_id": key[1], "last_value": key[0]}
    else:
        body = {"last_id": key, "last_value": key}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, by_id: bool) -> Key:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        body = json.loads(base64.urlsafe_b64decode(padded.encode()))
        last_id, last_value = int(body["last_id"]), body["last_value"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise GraphQLError("Invalid cursor for current pagination sort.") from exc
    return last_id if by_id else (last_value, last_id)


def check_window(window: Window, field: str, *, required: bool = True) -> None:
    """Shopify's rules for first/last: one of them, within 0..250."""
    if window.first is None and window.last is None:
        if required:
            raise GraphQLError(
                "you must provide one of first or last", extensions={"code": "BAD_REQUEST"}
            )
        return
    if window.first is not None and window.last is not None:
        raise GraphQLError(
            "providing both first and last is not supported", extensions={"code": "BAD_REQUEST"}
        )
    for name in ("first", "last"):
        size = getattr(window, name)
        if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
            raise GraphQLError(
                f"Argument '{name}' on Field '{field}' has an invalid value ({size}). "
                f"Expected a page size from 0 to {MAX_PAGE_SIZE}.",
                extensions={"code": "argumentLiteralsIncompatible"},
            )


def paginate(
    index: SortedIds,
    window: Window,
    accept: Callable[[int], bool],
    *,
    by_id: bool,
) -> Page:
    """The page of ids `window` selects among those `accept` lets through.

    Scans from the cursor only as far as the page (plus one, to know whether more follow),
    so paging a large table with a filter costs the rows scanned, not the table.
    """
    keys, ids = index.keys, index.ids
    low, high = 0, len(ids)
    after = decode_cursor(window.after, by_id) if window.after else None
    before = decode_cursor(window.before, by_id) if window.before else None
    # In reverse order "after" means further down the list.
    if window.reverse:
        if after is not None:
            high = bisect.bisect_left(keys, after)
        if before is not None:
            low = bisect.bisect_right(keys, before)
        positions: range = range(high - 1, low - 1, -1)
    else:
        if after is not None:
            low = bisect.bisect_right(keys, after)
        if before is not None:
            high = bisect.bisect_left(keys, before)
        positions = range(low, high)
    from_end = window.first is None and window.last is not None
    if from_end:
        positions = positions[::-1]
    size = window.first if window.first is not None else window.last
    limit = len(ids) if size is None else size
    chosen: list[int] = []
    more = False
    for position in positions:
        if not accept(ids[position]):
            continue
        if len(chosen) == limit:
            more = True
            break
        chosen.append(position)
    if from_end:
        chosen.reverse()
    beyond_after = after is not None and (high < len(ids) if window.reverse else low > 0)
    beyond_before = before is not None and (low > 0 if window.reverse else high < len(ids))
    return Page(
        ids=[ids[position] for position in chosen],
        cursors=[encode_cursor(keys[position]) for position in chosen],
        has_next=more if not from_end else beyond_before,
        has_previous=more if from_end else beyond_after,
    )
