"""The coalescing buffer between webhook tasks and HubSpot's batch endpoints.

A webhook task `offer`s its event under an item key (one per Shopify object and kind of
change); a newer version replaces an older one still waiting, and a version older than the
one already applied, waiting or being written is dropped (newest wins). A flush `take`s up
to a batch of items, writes them with HubSpot's batch calls, and marks them `done`, or
`release`s them back when HubSpot could not take them. Items of one group (one deal, one
product, one customer) are never in two flushes at once, so two versions of an object
cannot overtake each other.

Taken items are leased, and the lease is renewed while the flush holding them lives: a flush
that dies leaves them to come back within one short lease (W9), however long a live one takes.
Everything lives in Redis (AOF in production), so an offered event survives worker crashes
and restarts until it is applied or dead-lettered.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, cast

import orjson
import redis

from shopspot.leases import renewed

_KEY_PREFIX = "shopspot:pending:"

# How `whereabouts` names the places its script marks by bit.
_PLACES = {1: ("waiting",), 2: ("in_flight",), 3: ("waiting", "in_flight")}

# A version that no update can beat: deletions are final (Shopify never reuses an id).
FINAL = 2**62

# KEYS: items, order, applied, inflight items. ARGV: key, version, entry, now.
# → "queued" | "stale" | "duplicate"
_OFFER = """
local applied = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '-1')
local version = tonumber(ARGV[2])
if version < applied then return 'stale' end
if version == applied then return 'duplicate' end
-- A version waiting, or one a flush is writing now, that is as new or newer wins.
local waiting = redis.call('HGET', KEYS[1], ARGV[1])
local writing = redis.call('HGET', KEYS[4], ARGV[1])
for _, held in ipairs({waiting, writing}) do
  if held then
    local held_version = tonumber(cjson.decode(held)['version'])
    if version < held_version then return 'stale' end
    if version == held_version then return 'duplicate' end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], 'NX', ARGV[4], ARGV[1])
return 'queued'
"""

# KEYS: items, order, inflight items, inflight groups, leases.
# ARGV: limit, lease expiry, now, hold. Moves up to `limit` items whose group is not in
# flight; fewer than `limit` only once the oldest has waited `hold` seconds (with no hold,
# at once: an item offered by a host whose clock runs ahead is not held either).
_TAKE = """
if tonumber(ARGV[4]) > 0 and redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if not oldest[2] or tonumber(ARGV[3]) - tonumber(oldest[2]) < tonumber(ARGV[4]) then
    return {}
  end
end
local taken = {}
local groups = {}
local candidates = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[1]) * 4 - 1)
for _, key in ipairs(candidates) do
  if #taken >= tonumber(ARGV[1]) then break end
  local entry = redis.call('HGET', KEYS[1], key)
  if not entry then
    redis.call('ZREM', KEYS[2], key)
  else
    local group = cjson.decode(entry)['group']
    if redis.call('HEXISTS', KEYS[4], group) == 0 and not groups[group] then
      groups[group] = true
      redis.call('HDEL', KEYS[1], key)
      redis.call('ZREM', KEYS[2], key)
      redis.call('HSET', KEYS[3], key, entry)
      redis.call('HSET', KEYS[4], group, key)
      redis.call('ZADD', KEYS[5], ARGV[2], key)
      table.insert(taken, entry)
    end
  end
end
return taken
"""

# KEYS: items, order, inflight items, inflight groups, leases, applied.
# ARGV: now, then pairs of (key, action): an applied version, 'back' to put it back, or
# 'drop' to let it go without recording a version (a dead letter, replayable as is).
_SETTLE = """
for i = 2, #ARGV, 2 do
  local key = ARGV[i]
  local action = ARGV[i + 1]
  local entry = redis.call('HGET', KEYS[3], key)
  if entry then
    local decoded = cjson.decode(entry)
    redis.call('HDEL', KEYS[3], key)
    redis.call('HDEL', KEYS[4], decoded['group'])
    redis.call('ZREM', KEYS[5], key)
    if action == 'drop' then
    elseif action ~= 'back' then
      local previous = tonumber(redis.call('HGET', KEYS[6], key) or '-1')
      if tonumber(action) > previous then redis.call('HSET', KEYS[6], key, action) end
    else
      local waiting = redis.call('HGET', KEYS[1], key)
      local newer = waiting and tonumber(cjson.decode(waiting)['version'])
      if not newer or newer < tonumber(decoded['version']) then
        redis.call('HSET', KEYS[1], key, entry)
      end
      redis.call('ZADD', KEYS[2], 'NX', ARGV[1], key)
    end
  end
end
return 1
"""

# KEYS: items, inflight items. ARGV: item keys. → pairs of (index in ARGV, where) for the
# items found: where is 1 waiting, 2 being written, 3 both. Found in Redis, so that a caller
# polling for thousands of items is handed back only the few left.
_WHEREABOUTS = """
local found = {}
for i, key in ipairs(ARGV) do
  local where = redis.call('HEXISTS', KEYS[1], key) + 2 * redis.call('HEXISTS', KEYS[2], key)
  if where > 0 then
    table.insert(found, i - 1)
    table.insert(found, where)
  end
end
return found
"""


@dataclass(frozen=True)
class Item:
    key: str  # what coalesces: one object and kind of change
    group: str  # what must not be written twice at once: one HubSpot record family
    version: int  # Shopify's updated_at in ms, or FINAL for a deletion
    data: dict[str, Any]
    origin: str = "live"  # how Shopspot came to know it: "live" or "initial_import" (C8)

    def with_origin(self, origin: str) -> Item:
        return replace(self, origin=origin)

    def dump(self) -> bytes:
        # orjson: every item an import or a webhook writes is dumped once and loaded once.
        return orjson.dumps(
            {
                "key": self.key,
                "group": self.group,
                "version": self.version,
                "data": self.data,
                "origin": self.origin,
            },
            option=orjson.OPT_NON_STR_KEYS,
        )

    @classmethod
    def load(cls, raw: bytes | str) -> Item:
        entry = orjson.loads(raw)
        return cls(
            entry["key"],
            entry["group"],
            int(entry["version"]),
            entry["data"],
            entry.get("origin", "live"),
        )


class PendingBuffer:
    def __init__(self, client: redis.Redis, name: str, lease_seconds: float = 15.0) -> None:
        self.name = name
        self._redis = client
        self._lease = lease_seconds
        base = f"{_KEY_PREFIX}{name}:"
        self._items, self._order = base + "items", base + "order"
        self._inflight, self._groups, self._leases = (
            base + "inflight",
            base + "groups",
            base + "leases",
        )
        self._applied = base + "applied"
        self._offer = client.register_script(_OFFER)
        self._take = client.register_script(_TAKE)
        self._settle = client.register_script(_SETTLE)
        self._whereabouts = client.register_script(_WHEREABOUTS)

    def offer(self, item: Item) -> str:
        """Queue the item: "queued", or "stale"/"duplicate" when it changes nothing."""
        (answer,) = self.offer_many([item])
        return answer

    def offer_many(self, items: Sequence[Item]) -> list[str]:
        """`offer` for many items in one round trip to Redis."""
        now = time.time()
        with self._redis.pipeline(transaction=False) as pipe:
            for item in items:
                self._offer(
                    keys=[self._items, self._order, self._applied, self._inflight],
                    args=[item.key, item.version, item.dump(), now],
                    client=pipe,
                )
            answers = pipe.execute()
        return [a.decode() if isinstance(a, bytes) else str(a) for a in answers]

    def redo(self, items: Sequence[Item]) -> list[str]:
        """Offer items again though their versions were applied: HubSpot lost what they wrote
        (someone changed or deleted it there), and Shopify still says the same."""
        if items:
            self._redis.hdel(self._applied, *{item.key for item in items})
        return self.offer_many(items)

    def take(self, limit: int, hold: float = 0.0) -> list[Item]:
        """Up to `limit` waiting items, leased to the caller. A part batch is held back until
        its oldest item has waited `hold` seconds, for the items that may come to fill it."""
        now = time.time()
        raws = cast(
            list[bytes],
            self._take(
                keys=[self._items, self._order, self._inflight, self._groups, self._leases],
                args=[limit, now + self._lease, now, hold],
            ),
        )
        return [Item.load(raw) for raw in raws]

    def holding(self, items: Sequence[Item]) -> AbstractContextManager[None]:
        """Renew the items' lease while the block runs, so that only a holder that died lets
        its lease run out."""
        return renewed(lambda: self._renew(items), self._lease, self.name)

    def _renew(self, items: Sequence[Item]) -> None:
        # XX: an item settled meanwhile is no longer leased, and must not be again.
        expiry = time.time() + self._lease
        self._redis.zadd(self._leases, {item.key: expiry for item in items}, xx=True)

    def done(self, items: list[Item]) -> None:
        """Applied: their versions become the ones later offers must beat."""
        self._settle_items([(item.key, str(item.version)) for item in items])

    def release(self, items: list[Item]) -> None:
        """Not applied: back to waiting, unless a newer version arrived meanwhile."""
        self._settle_items([(item.key, "back") for item in items])

    def drop(self, items: list[Item]) -> None:
        """Given up (dead-lettered): no version is recorded, so a replay is applied."""
        self._settle_items([(item.key, "drop") for item in items])

    def release_expired(self) -> int:
        """Put back the items of flushes that died holding them."""
        expired = cast(list[bytes], self._redis.zrangebyscore(self._leases, "-inf", time.time()))
        self._settle_items([(key.decode(), "back") for key in expired])
        return len(expired)

    def waiting(self) -> int:
        return int(self._redis.zcard(self._order))

    def in_flight(self) -> int:
        return int(self._redis.zcard(self._leases))

    def whereabouts(self, keys: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Where each of these items is: "waiting" and/or "in_flight" (a newer version may
        wait while an older one is written); items in neither are left out."""
        if not keys:
            return {}
        found = cast(
            list[int], self._whereabouts(keys=[self._items, self._inflight], args=list(keys))
        )
        return {keys[i]: _PLACES[where] for i, where in zip(found[::2], found[1::2], strict=True)}

    def forget_customer(self, shop: str, shopify_ids: Iterable[int]) -> int:
        """Privacy erasure (W5): the waiting items of these customers and orders of the shop
        and their applied versions; returns how many items were forgotten."""
        return self._forget(shop, {str(ident) for ident in shopify_ids})

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): every waiting item of the shop and its applied version."""
        return self._forget(shop, None)

    def _forget(self, shop: str, shopify_ids: set[str] | None) -> int:
        # The sync names items `<kind>:<shop>:[...:]<Shopify id or token>` (shopspot.sync.items).
        keys = [
            k
            for k in (raw.decode() for raw in cast(list[bytes], self._redis.hkeys(self._items)))
            if f":{shop}:" in k and (shopify_ids is None or k.rsplit(":", 1)[-1] in shopify_ids)
        ]
        if keys:
            self._redis.hdel(self._applied, *keys)
            self._redis.hdel(self._items, *keys)
            self._redis.zrem(self._order, *keys)
        return len(keys)

    def _settle_items(self, pairs: list[tuple[str, str]]) -> None:
        if not pairs:
            return
        args: list[Any] = [time.time()]
        for key, applied in pairs:
            args += [key, applied]
        self._settle(
            keys=[
                self._items,
                self._order,
                self._inflight,
                self._groups,
                self._leases,
                self._applied,
            ],
            args=args,
        )
