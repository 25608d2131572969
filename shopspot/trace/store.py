"""Each traced object's story in Redis: one capped list of steps per object, kept for
`TRACE_DAYS` after its last step, and a bound on how many objects are traced at once.

Recording is one script call for any number of steps, and it is best effort: a step lost to
a Redis error never costs a delivery or a write. Steps hold ids, topics, times, outcomes and
reasons (which carry no payload values, see `shopspot.reasons`), never a payload value.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

import redis
from pydantic import BaseModel, ConfigDict

from shopspot.redisconn import glob_escape

log = logging.getLogger("shopspot.trace")

_KEY_PREFIX = "shopspot:trace:"
# Every traced object's list by the time of its last step: what bounds and ages them.
_INDEX_KEY = "shopspot:trace:index"

# The steps kept per object, newest last. An order's usual story takes about ten: each
# delivery's answer and queueing, and each flush (a run of failed flushes is one step, see
# `_RECORD`). An object changed more often than that keeps its latest steps.
MAX_STEPS = 16
# A product is one HubSpot record per variant, up to 2,048: a step names the first few.
MAX_RECORDS = 3
MAX_REASON = 200
# Objects traced at once; past it, those whose last step is oldest are forgotten first (in
# batches: up to a 64th more are kept between two cuts, see RECORD_STEPS). An object takes
# about 3 KB of Redis for a usual story and 7 KB at most (measured on Redis 7): 40,000
# objects, two weeks of a store taking 700 orders a day with their checkouts and customers,
# hold about 120 MB, and never more than 275 MB whatever the load. A busier store keeps less
# than TRACE_DAYS of stories rather than more memory.
MAX_OBJECTS = 40_000

# record_steps(index, keys, steps, now, ttl, max_steps, max_objects): add each step (JSON) to
# its object's list. A failed flush right after another of the same step is merged into it,
# counting the failures and keeping when the first happened. A script that changes state and
# records its step in the same call includes this function (see shopspot/deliveries.py).
#
# It runs with every delivery the receiver accepts, so it does the least it can each time: a
# step is decoded only if it may be a failed flush ('retry' is in it), a list is trimmed only
# once it is too long, and the index is cut back to max_objects (the objects whose last step
# is oldest go first) only once it has grown past it by a 64th. A story past its time to live
# expires by itself: its name may stay in the index until a cut, which erases it then.
RECORD_STEPS = """
local function record_steps(index, keys, steps, now, ttl, max_steps, max_objects)
  for i = 1, #keys do
    local key, step = keys[i], steps[i]
    local new = string.find(step, 'retry', 1, true) and cjson.decode(step)
    local last = new and new['outcome'] == 'retry' and redis.call('LINDEX', key, -1)
    local old = last and cjson.decode(last)
    if old and old['outcome'] == 'retry' and old['step'] == new['step'] then
      new['retries'] = (old['retries'] or 1) + 1
      new['since'] = old['since'] or old['at']
      redis.call('LSET', key, -1, cjson.encode(new))
    elseif redis.call('RPUSH', key, step) > max_steps then
      redis.call('LTRIM', key, -max_steps, -1)
    end
    redis.call('PEXPIRE', key, ttl)
    redis.call('ZADD', index, now, key)
  end
  local excess = redis.call('ZCARD', index) - max_objects
  if excess > math.floor(max_objects / 64) then
    local oldest = redis.call('ZPOPMIN', index, excess)
    for i = 1, #oldest, 2 do redis.call('DEL', oldest[i]) end
  end
end
"""

# KEYS and ARGV as a `Recording` lays them out.
_RECORD = (
    RECORD_STEPS
    + """
local keys, steps = {}, {}
for i = 2, #KEYS do
  keys[i - 1], steps[i - 1] = KEYS[i], ARGV[i + 3]
end
record_steps(KEYS[1], keys, steps, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4]))
return 1
"""
)


class Traced(StrEnum):
    """The kinds of object `shopspot trace` tells the story of."""

    ORDER = "order"
    CHECKOUT = "checkout"
    CUSTOMER = "customer"
    PRODUCT = "product"


@dataclass(frozen=True)
class Subject:
    """One Shopify object: a checkout by its token (its id where Shopify sends no token, as in
    checkouts/delete), anything else by its id."""

    shop: str
    kind: Traced
    ident: str


class Step(StrEnum):
    RECEIVER = "receiver"  # how the receiver answered the delivery
    TASK = "task"  # what the kind's task made of the event: queued it for a flush, or not
    FLUSH = "flush"  # what a flush did with it: written to HubSpot, put back, dead-lettered


class Record(BaseModel):
    """A HubSpot record a flush wrote: its type ("contact", "deal" or "product") and id."""

    model_config = ConfigDict(frozen=True)

    type: str
    id: str


class Entry(BaseModel):
    """One step of an object's story; what does not apply is left out."""

    model_config = ConfigDict(frozen=True)

    at: float
    step: Step
    outcome: str
    topic: str | None = None
    event_id: str | None = None
    version: int | None = None  # Shopify's updated_at (or the event's time) in epoch ms
    buffer: str | None = None  # where the write waits for its flush, and under which item
    item: str | None = None
    deal: str | None = None  # the deal key an order or checkout was written to
    records: tuple[Record, ...] | None = None
    more_records: int | None = None  # records written beyond those named
    origin: str | None = None  # "initial_import" for what the import wrote
    reason: str | None = None
    letter: str | None = None  # the dead letter's id
    retries: int | None = None  # failed flushes in a row, merged into this step
    since: float | None = None  # when the first of them failed


@dataclass(frozen=True)
class Note:
    subject: Subject
    entry: Entry


@dataclass(frozen=True)
class Recording:
    """Steps as a script records them: `keys` are the index, then one object's list per
    step; `args` are now, the time to live in ms, MAX_STEPS, MAX_OBJECTS, then the steps."""

    keys: list[str]
    args: list[Any]


class TraceStore:
    def __init__(self, client: redis.Redis, days: int) -> None:
        self._redis = client
        self._ttl_ms = days * 86_400_000
        self._record = client.register_script(_RECORD)

    def record(self, notes: Iterable[Note | None]) -> None:
        """Add each note's step to its object's story (None: the event names no object)."""
        recording = self.recording(notes)
        if recording is None:
            return
        try:
            self._record(keys=recording.keys, args=recording.args)
        except redis.RedisError as exc:
            not_recorded(len(recording.keys) - 1, type(exc).__name__)

    def recording(self, notes: Iterable[Note | None]) -> Recording | None:
        """What a script needs to record the notes' steps; None when none names an object."""
        chosen = [note for note in notes if note is not None]
        if not chosen:
            return None
        keys = [_INDEX_KEY, *(_key(note.subject) for note in chosen)]
        steps = [_capped(note.entry).model_dump_json(exclude_none=True) for note in chosen]
        return Recording(keys, [time.time(), self._ttl_ms, MAX_STEPS, MAX_OBJECTS, *steps])

    def entries(self, subject: Subject) -> list[Entry]:
        """The object's steps in the order they happened."""
        raws = cast(list[bytes], self._redis.lrange(_key(subject), 0, -1))
        found = [Entry.model_validate_json(raw) for raw in raws]
        return sorted(found, key=lambda entry: entry.at)

    def forget_customer(self, shop: str, customer_id: int | None, order_ids: Iterable[int]) -> int:
        """Privacy erasure (W5): the stories of the customer and of these orders; returns how
        many were erased."""
        subjects = [Subject(shop, Traced.ORDER, str(order_id)) for order_id in order_ids]
        if customer_id is not None:
            subjects.append(Subject(shop, Traced.CUSTOMER, str(customer_id)))
        return self._forget([_key(subject) for subject in subjects])

    def forget_shop(self, shop: str) -> int:
        """Privacy erasure (W5): every story of the shop; returns how many were erased."""
        # Every story is in the index until it is deleted or expires: the index finds them all.
        members = self._redis.zscan_iter(
            _INDEX_KEY, match=f"{_KEY_PREFIX}{glob_escape(shop)}|*", count=1000
        )
        return self._forget([cast(bytes, name).decode() for name, _ in members])

    def _forget(self, keys: Sequence[str]) -> int:
        # One small command per story in one round trip: a shop may have thousands.
        with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.delete(key)
                pipe.zrem(_INDEX_KEY, key)
            answers = pipe.execute()
        return sum(int(erased) for erased in answers[::2])


def not_recorded(steps: int, cause: str) -> None:
    log.warning("%d trace steps not recorded: %s", steps, cause)


def _capped(entry: Entry) -> Entry:
    records, reason = entry.records or (), entry.reason or ""
    if len(records) <= MAX_RECORDS and len(reason) <= MAX_REASON:
        return entry
    update: dict[str, Any] = {"reason": reason[:MAX_REASON] or None}
    if len(records) > MAX_RECORDS:
        update |= {"records": records[:MAX_RECORDS], "more_records": len(records) - MAX_RECORDS}
    return entry.model_copy(update=update)


def _key(subject: Subject) -> str:
    return f"{_KEY_PREFIX}{subject.shop}|{subject.kind}|{subject.ident}"
