"""The last `shopspot verify` result per shop (counts only, no ids), for `shopspot status`."""

from __future__ import annotations

import json
from typing import Any, cast

import redis

_KEY = "shopspot:verify:last"


class VerifyLog:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    def record(self, shop: str, summary: dict[str, Any]) -> None:
        self._redis.hset(_KEY, shop, json.dumps(summary))

    def last(self) -> dict[str, dict[str, Any]]:
        raws = cast(dict[bytes, bytes], self._redis.hgetall(_KEY))
        return {shop.decode(): json.loads(raw) for shop, raw in raws.items()}

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5)."""
        return int(self._redis.hdel(_KEY, shop))
