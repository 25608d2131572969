"""Events that could not be processed, kept with the reason until someone replays or drops them."""

from __future__ import annotations

import time
import uuid
from typing import cast

import redis
from pydantic import BaseModel, ConfigDict, Field

from shopspot.events import WebhookEvent

ITEMS_KEY = "shopspot:dlq:items"
INDEX_KEY = "shopspot:dlq:index"


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
            pipe.hset(ITEMS_KEY, letter.id, letter.model_dump_json())
            pipe.zadd(INDEX_KEY, {letter.id: letter.failed_at})
            pipe.execute()
        return letter

    def get(self, letter_id: str) -> DeadLetter | None:
        raw = self._redis.hget(ITEMS_KEY, letter_id)
        return None if raw is None else DeadLetter.model_validate_json(raw)

    def list(self, limit: int | None = None) -> list[DeadLetter]:
        """Oldest first, so a replay of everything keeps Shopify's order."""
        ids = cast(
            list[bytes], self._redis.zrange(INDEX_KEY, 0, -1 if limit is None else limit - 1)
        )
        if not ids:
            return []
        raws = self._redis.hmget(ITEMS_KEY, ids)
        return [DeadLetter.model_validate_json(raw) for raw in raws if raw is not None]

    def count(self) -> int:
        return int(self._redis.zcard(INDEX_KEY))

    def drop(self, letter_id: str) -> bool:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(ITEMS_KEY, letter_id)
            pipe.zrem(INDEX_KEY, letter_id)
            deleted, _ = pipe.execute()
        return bool(deleted)
