"""What the workers last did per store and kind of object, for `shopspot status` and tests."""

from __future__ import annotations

import time
from typing import cast

import redis
from pydantic import BaseModel

from shopspot.redisconn import delete_matching, glob_escape

_KEY_PREFIX = "shopspot:activity:"
_INDEX_KEY = "shopspot:activity:index"


class KindActivity(BaseModel):
    shop: str
    kind: str
    succeeded: int = 0
    failed: int = 0
    last_success_at: float | None = None
    last_event_id: str | None = None
    last_error: str | None = None
    last_error_at: float | None = None


class ActivityLog:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def succeeded(self, shop: str, kind: str, event_id: str | None) -> None:
        key = self._key(shop, kind)
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(_INDEX_KEY, f"{shop}|{kind}")
            pipe.hincrby(key, "succeeded", 1)
            pipe.hset(
                key, mapping={"last_success_at": time.time(), "last_event_id": event_id or ""}
            )
            pipe.execute()

    def failed(self, shop: str, kind: str, reason: str) -> None:
        key = self._key(shop, kind)
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.sadd(_INDEX_KEY, f"{shop}|{kind}")
            pipe.hincrby(key, "failed", 1)
            pipe.hset(key, mapping={"last_error_at": time.time(), "last_error": reason})
            pipe.execute()

    def get(self, shop: str, kind: str) -> KindActivity:
        stored = cast(dict[bytes, bytes], self._redis.hgetall(self._key(shop, kind)))
        values = {key.decode(): value.decode() or None for key, value in stored.items()}
        return KindActivity.model_validate({"shop": shop, "kind": kind, **values})

    def all(self) -> list[KindActivity]:
        members = cast(set[bytes], self._redis.smembers(_INDEX_KEY))
        pairs = sorted(member.decode() for member in members)
        return [self.get(*pair.split("|", 1)) for pair in pairs]

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): the shop's counts; returns how many kinds were erased."""
        erased = delete_matching(self._redis, self._key(glob_escape(shop), "*"))
        members = cast(set[bytes], self._redis.smembers(_INDEX_KEY))
        stale = [m for m in members if m.decode().startswith(f"{shop}|")]
        if stale:
            self._redis.srem(_INDEX_KEY, *stale)
        return erased

    @staticmethod
    def _key(shop: str, kind: str) -> str:
        return f"{_KEY_PREFIX}{shop}|{kind}"
