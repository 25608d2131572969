"""Which webhook deliveries have been accepted, so that a duplicate has one effect.

Accepting a delivery is one script call: unless the delivery is already marked, it marks it
for the dedupe period and pushes its task's message onto the queue, both or neither, so a
delivery is never marked without being queued nor queued twice. The same call records the
delivery's step in its object's trace, when it names one.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Any

import redis

from shopspot.redisconn import delete_matching, glob_escape
from shopspot.settings import Settings
from shopspot.trace.store import RECORD_STEPS, Recording, not_recorded

_KEY_PREFIX = "shopspot:delivery:"


class Acceptance(StrEnum):
    QUEUED = "queued"  # first delivery: its message is on the queue
    DUPLICATE = "duplicate"  # already queued once: nothing was queued again


# KEYS: the delivery's mark, the queue, then the recording's keys. ARGV: the dedupe period in
# seconds, the message, then the recording's args, whose step says "accepted" (a duplicate's
# says "duplicate" instead). The trace is best effort: its failure is reported, never raised,
# so it cannot undo or refuse an accepted delivery. Returns the acceptance and 1 when the
# step was recorded (or there was none), 0 when it was not.
_ACCEPT = (
    RECORD_STEPS
    + """
local acceptance = 'duplicate'
if redis.call('SET', KEYS[1], 'accepted', 'NX', 'EX', ARGV[1]) then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  acceptance = 'queued'
end
if #KEYS == 2 then
  return {acceptance, 1}
end
local keys, steps = {}, {}
for i = 4, #KEYS do
  keys[i - 3], steps[i - 3] = KEYS[i], ARGV[i + 3]
end
local recorded = pcall(function()
  if acceptance == 'duplicate' then
    for i = 1, #steps do
      local step = cjson.decode(steps[i])
      step['outcome'] = 'duplicate'
      steps[i] = cjson.encode(step)
    end
  end
  record_steps(KEYS[3], keys, steps, tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]),
    tonumber(ARGV[6]))
end)
return {acceptance, recorded and 1 or 0}
"""
)


class DeliveryLedger:
    def __init__(self, client: redis.Redis, *, dedupe_seconds: int) -> None:
        self._redis = client
        self._dedupe_seconds = dedupe_seconds
        self._accept = client.register_script(_ACCEPT)
        # Each thread keeps one connection of its own rather than taking one from the pool
        # for each call: the pool's check of a connection it hands out (a poll of the
        # socket) and the client's command machinery cost a receiver as much as Redis's
        # own work on the call.
        self._connections = threading.local()

    @classmethod
    def from_settings(cls, client: redis.Redis, settings: Settings) -> DeliveryLedger:
        return cls(client, dedupe_seconds=settings.webhook_dedupe_seconds)

    def accept(
        self, delivery_key: str, queue: str, message: str, trace: Recording | None
    ) -> Acceptance:
        """Queue `message` on the Redis list `queue` unless the delivery was accepted before,
        and record the trace's step either way. Raises `redis.RedisError` when Redis cannot
        be reached or refuses the script: then either both happened (an answer lost to a
        timeout; the delivery's retry is a duplicate) or neither."""
        keys = [_KEY_PREFIX + delivery_key, queue, *(trace.keys if trace else ())]
        args = [self._dedupe_seconds, message, *(trace.args if trace else ())]
        try:
            answer = self._call(keys, args)
        except (redis.ConnectionError, redis.TimeoutError):
            # A connection Redis closed while it sat idle (a restart, a fail-over) fails the
            # first call on it; the call on a new one is safe, as the script marks the
            # delivery and queues it both or neither: a duplicate's answer means queued.
            answer = self._call(keys, args)
        acceptance, recorded = answer[0], answer[1]
        if not recorded:
            not_recorded(len(keys) - 3, "the script failed")
        return Acceptance(acceptance.decode() if isinstance(acceptance, bytes) else acceptance)

    def _call(self, keys: list[str], args: list[Any]) -> Any:
        pool = self._redis.connection_pool
        connection = getattr(self._connections, "held", None)
        if connection is None:
            connection = self._connections.held = pool.get_connection()
        try:
            try:
                connection.send_command("EVALSHA", self._accept.sha, len(keys), *keys, *args)
                return connection.read_response()
            except redis.exceptions.NoScriptError:
                # A Redis restarted or promoted without the script: EVAL loads it.
                connection.send_command("EVAL", _ACCEPT, len(keys), *keys, *args)
                return connection.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            # Back to the pool, disconnected: the pool connects the connection it hands out
            # next, which asks a Sentinel group for its master (a connection reconnecting by
            # itself would go back to the old one).
            self._connections.held = None
            pool.release(connection)
            raise

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): the shop's deliveries (a delivery key starts with the shop,
        see `WebhookEvent.delivery_key`); returns how many were erased."""
        return delete_matching(self._redis, f"{_KEY_PREFIX}{glob_escape(shop)}|*")
