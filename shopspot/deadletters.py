"""Events that could not be processed, kept with the reason until someone replays or drops them."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from typing import cast

import redis
from pydantic import BaseModel, ConfigDict, Field

from shopspot.events import WebhookEvent

_ITEMS_KEY = "shopspot:dlq:items"
_INDEX_KEY = "shopspot:dlq:index"


class DeadLetter(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    task: str
    event: WebhookEvent
    reason: str
    error_type: str
    attempts: int = Field(ge=1)
    failed_at: float


class DeadLetterStore:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def put(
        self, *, task: str, event: WebhookEvent, reason: str, error_type: str, attempts: int
    ) -> DeadLetter:
        letter = DeadLetter(
            id=uuid.uuid4().hex[:12],
            task=task,
            event=event,
            reason=reason,
            error_type=error_type,
            attempts=attempts,
            failed_at=time.time(),
        )
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(_ITEMS_KEY, letter.id, letter.model_dump_json())
            pipe.zadd(_INDEX_KEY, {letter.id: letter.failed_at})
            pipe.execute()
        return letter

    def get(self, letter_id: str) -> DeadLetter | None:
        raw = self._redis.hget(_ITEMS_KEY, letter_id)
        return None if raw is None else DeadLetter.model_validate_json(raw)

    def list(self, limit: int | None = None) -> list[DeadLetter]:
        """Oldest first, so a replay of everything keeps Shopify's order."""
        ids = cast(
            list[bytes], self._redis.zrange(_INDEX_KEY, 0, -1 if limit is None else limit - 1)
        )
        if not ids:
            return []
        raws = self._redis.hmget(_ITEMS_KEY, ids)
        return [DeadLetter.model_validate_json(raw) for raw in raws if raw is not None]

    def count(self) -> int:
        return int(self._redis.zcard(_INDEX_KEY))

    def drop(self, letter_id: str) -> bool:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(_ITEMS_KEY, letter_id)
            pipe.zrem(_INDEX_KEY, letter_id)
            deleted, _ = pipe.execute()
        return bool(deleted)

    def forget_customer(self, shop: str, shopify_ids: Iterable[int], email: str | None) -> int:
        """Privacy erasure (W5): the shop's letters naming one of these customer or order ids,
        or holding the email; returns how many were dropped."""
        wanted = {str(ident) for ident in shopify_ids}

        def names_them(letter: DeadLetter) -> bool:
            text = json.dumps(letter.event.payload).lower()
            ids = {str(value) for value in _ids(letter.event.payload)}
            return bool(ids & wanted or (email and email in text))

        return self._drop_where(shop, names_them)

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): every letter of the shop; returns how many were dropped."""
        return self._drop_where(shop, lambda _letter: True)

    def _drop_where(self, shop: str, chosen: Callable[[DeadLetter], bool]) -> int:
        return sum(
            self.drop(letter.id)
            for letter in self.list()
            if letter.event.shop == shop and chosen(letter)
        )


def _ids(payload: object) -> list[object]:
    """Every `id`, `customer_id` and `order_id` value anywhere in a payload."""
    found: list[object] = []
    if isinstance(payload, dict):
        for name, value in payload.items():
            if name in ("id", "customer_id", "order_id", "customerId"):
                found.append(value)
            found += _ids(value)
    elif isinstance(payload, list):
        for value in payload:
            found += _ids(value)
    return found
