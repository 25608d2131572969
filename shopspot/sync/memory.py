"""What Shopspot remembers about the HubSpot records it wrote, in Redis.

HubSpot ids (so associations, archives and stage moves need no lookups), each deal's, order's
and cart's stage (a cart's status) and line items (so none moves back, D7, and removed lines
can be archived), which
contacts Shopspot created and which of those were deleted in HubSpot (C7), and the version
each contact property was last written from (W7). Emails are kept only as keyed hashes in
the contact memory.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import orjson
import redis

from shopspot.errors import TransientError
from shopspot.leases import renewed
from shopspot.mapping.values import key
from shopspot.redisconn import delete_matching, glob_escape

_P = "shopspot:mem:"

# The HubSpot records an order or checkout becomes (SPEC T1).
SaleRecord = Literal["deal", "order", "cart"]

# KEYS: one lock per contact. ARGV: owner, lease in ms. All of them or none: no flush ever
# holds some contacts while waiting for others, so two flushes cannot block each other.
_LOCK = """
for _, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder and holder ~= ARGV[1] then return 0 end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
return 1
"""
_RENEW = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 1
"""
_UNLOCK = """
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1
"""
# What happened to customers' contacts when their email changed (C10): the last ones, for status.
IDENTITY_EVENTS_KEPT = 1000
# A contact is locked while one flush writes it, the lock renewed while the flush lives; a
# holder that died frees it after this (W9).
CONTACT_LEASE_SECONDS = 15.0
CONTACT_WAIT_SECONDS = 10.0


class ContactsBusy(TransientError):
    """Other flushes kept writing these contacts: the batch waits for its next flush."""


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


@dataclass
class ContactMemory:
    id: str | None = None
    created: bool = False  # created by Shopspot (C7 applies only to those)
    deleted: bool = False  # deleted in HubSpot after Shopspot created it
    # C9: the span of the orders seen so far, in epoch ms; duplicates and replays are harmless.
    first_order: int | None = None
    last_order: int | None = None
    # W7: property → the version (Shopify's updated_at in ms) of what it was last written from.
    versions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CustomerLink:
    """The contact Shopspot writes for a Shopify customer (C10): its email, and the version of
    the customer snapshot that named it."""

    email: str
    version: int = 0


@dataclass(frozen=True)
class IdentityEvent:
    shop: str
    customer_id: int
    contact_id: str | None
    outcome: str  # "email_changed": the contact got the new email; "email_taken": another has it
    at: float


@dataclass
class DealMemory:
    """A deal's, or a HubSpot order's or cart's (whose `stage` is its status)."""

    id: str | None = None
    stage: str | None = None
    lines: dict[str, str] = field(default_factory=dict)  # line item key → HubSpot id


class Memory:
    def __init__(
        self, client: redis.Redis, contact_lease_seconds: float = CONTACT_LEASE_SECONDS
    ) -> None:
        self._redis = client
        self._contact_lease = contact_lease_seconds
        self._lock = client.register_script(_LOCK)
        self._renew = client.register_script(_RENEW)
        self._unlock = client.register_script(_UNLOCK)

    @contextmanager
    def writing_contacts(
        self, emails: Iterable[str], wait_seconds: float = CONTACT_WAIT_SECONDS
    ) -> Iterator[None]:
        """Hold these contacts while one flush reads their memory, writes them to HubSpot and
        records what it wrote, so that writes from different buffers (an order's buyer, a
        customer update) reach HubSpot in the order their versions were checked."""
        keys = [f"{_P}contact-lock:{_email_hash(email)}" for email in sorted(set(emails))]
        owner = uuid.uuid4().hex
        lease = int(self._contact_lease * 1000)
        deadline = time.monotonic() + wait_seconds
        while not self._lock(keys=keys, args=[owner, lease]):
            if time.monotonic() > deadline:
                raise ContactsBusy(f"{len(keys)} contacts held by other flushes")
            time.sleep(random.uniform(0.01, 0.05))

        def renew() -> None:
            self._renew(keys=keys, args=[owner, lease])

        try:
            with renewed(renew, self._contact_lease, "contacts"):
                yield
        finally:
            self._unlock(keys=keys, args=[owner])

    # contacts, by email
    def contacts(self, emails: Iterable[str]) -> dict[str, ContactMemory]:
        emails = list(dict.fromkeys(emails))
        raws = self._hmget_json([f"{_P}contact:{_email_hash(email)}" for email in emails])
        return {
            email: ContactMemory(**raw) if raw else ContactMemory()
            for email, raw in zip(emails, raws, strict=True)
        }

    def remember_contacts(
        self, contacts: Mapping[str, ContactMemory], shops: Mapping[str, str] | None = None
    ) -> None:
        """`shops` names the shop each email was written for, so shop/redact finds them."""
        self._set_json(
            {f"{_P}contact:{_email_hash(email)}": vars(memo) for email, memo in contacts.items()}
        )
        by_shop: dict[str, list[str]] = {}
        for email, shop in (shops or {}).items():
            by_shop.setdefault(shop, []).append(_email_hash(email))
        for shop, hashes in by_shop.items():
            self._redis.sadd(f"{_P}shop-contacts:{shop}", *hashes)

    # customers: the contact each customer is written to (C10), by its email
    def customer_links(
        self, customers: Iterable[tuple[str, int]]
    ) -> dict[tuple[str, int], CustomerLink]:
        wanted = list(dict.fromkeys(customers))
        raws = self._hmget_json([f"{_P}customer:{shop}:{cid}" for shop, cid in wanted])
        return {pair: CustomerLink(**raw) for pair, raw in zip(wanted, raws, strict=True) if raw}

    def link_customers(self, links: Mapping[tuple[str, int], CustomerLink]) -> None:
        self._set_json({f"{_P}customer:{s}:{cid}": vars(link) for (s, cid), link in links.items()})

    def customer_emails(self, shop: str, customer_ids: Iterable[int]) -> dict[int, str]:
        """The email behind each customer id, for events that carry only the id."""
        links = self.customer_links((shop, cid) for cid in customer_ids)
        return {cid: link.email for (_, cid), link in links.items()}

    def count_skipped(self, shops: Iterable[str]) -> None:
        """One write per shop named was skipped: its contact was deleted in HubSpot (C7)."""
        for shop in shops:
            self._redis.hincrby(f"{_P}skipped-deleted", shop, 1)

    def skipped(self) -> dict[str, int]:
        """Writes skipped per shop because their contact was deleted in HubSpot (C7)."""
        counts = cast(dict[bytes, bytes], self._redis.hgetall(f"{_P}skipped-deleted"))
        return {shop.decode(): int(count) for shop, count in counts.items()}

    def note_identity(self, event: IdentityEvent) -> None:
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.lpush(f"{_P}identity-events", orjson.dumps(vars(event)))
            pipe.ltrim(f"{_P}identity-events", 0, IDENTITY_EVENTS_KEPT - 1)
            pipe.execute()

    def identity_events(self) -> list[IdentityEvent]:
        """Newest first."""
        raws = cast(list[bytes], self._redis.lrange(f"{_P}identity-events", 0, -1))
        return [IdentityEvent(**orjson.loads(raw)) for raw in raws]

    # products: HubSpot id per product key, and the variants each product had
    def product_ids(self, keys: Iterable[str]) -> dict[str, str]:
        return self._strings("product:", keys)

    def remember_products(self, ids: Mapping[str, str]) -> None:
        self._set_strings("product:", ids)

    def forget_products(self, keys: Iterable[str]) -> None:
        names = [f"{_P}product:{k}" for k in keys]
        if names:
            self._redis.delete(*names)

    def variant_keys(self, shop: str, product_id: int) -> set[str]:
        return self.variant_keys_of(shop, [product_id])[product_id]

    def variant_keys_of(self, shop: str, product_ids: Iterable[int]) -> dict[int, set[str]]:
        """`variant_keys` of many products in one round trip to Redis."""
        ids = list(dict.fromkeys(product_ids))
        with self._redis.pipeline(transaction=False) as pipe:
            for product_id in ids:
                pipe.smembers(f"{_P}variants:{shop}:{product_id}")
            found = cast(list[set[bytes]], pipe.execute())
        return {
            product_id: {member.decode() for member in members}
            for product_id, members in zip(ids, found, strict=True)
        }

    def deleted(self, shop: str, names: Iterable[str]) -> set[str]:
        """Which of these products ("product:<id>") or variants (their product key) were
        deleted in Shopify: ids never come back, so neither may their HubSpot products."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return set()
        flags = cast(list[int], self._redis.smismember(f"{_P}deleted:{shop}", wanted))
        return {name for name, flag in zip(wanted, flags, strict=True) if flag}

    def remember_deleted(self, shop: str, names: Iterable[str]) -> None:
        members = list(names)
        if members:
            self._redis.sadd(f"{_P}deleted:{shop}", *members)

    def known_product_ids(self, shop: str) -> set[int]:
        """Every Shopify product of the shop that Shopspot has written variants of."""
        prefix = f"{_P}variants:{shop}:"
        names = cast(
            Iterable[bytes], self._redis.scan_iter(match=glob_escape(prefix) + "*", count=1000)
        )
        return {int(name.decode()[len(prefix) :]) for name in names}

    def add_variant_keys(self, shop: str, keys: Mapping[int, Iterable[str]]) -> None:
        """Add to what `variant_keys` answers, by product id."""
        self._change_variant_keys(shop, keys, add=True)

    def drop_variant_keys(self, shop: str, keys: Mapping[int, Iterable[str]]) -> None:
        """Take from what `variant_keys` answers, by product id; other keys stay."""
        self._change_variant_keys(shop, keys, add=False)

    def _change_variant_keys(
        self, shop: str, keys: Mapping[int, Iterable[str]], *, add: bool
    ) -> None:
        with self._redis.pipeline(transaction=False) as pipe:
            change = pipe.sadd if add else pipe.srem
            for product_id, values in keys.items():
                members = list(values)
                if members:
                    change(f"{_P}variants:{shop}:{product_id}", *members)
            pipe.execute()

    def product_bodies(self, shop: str, product_ids: Iterable[int]) -> dict[int, str]:
        found = self._strings(f"body:{shop}:", map(str, product_ids))
        return {int(pid): body for pid, body in found.items()}

    def remember_product_bodies(self, shop: str, bodies: Mapping[int, str]) -> None:
        self._set_strings(f"body:{shop}:", {str(pid): body for pid, body in bodies.items()})

    # deals by deal key, HubSpot orders by order key, carts by cart key
    def deals(self, keys: Iterable[str], kind: SaleRecord = "deal") -> dict[str, DealMemory]:
        keys = list(dict.fromkeys(keys))
        raws = self._hmget_json([f"{_P}{kind}:{k}" for k in keys])
        return {
            k: DealMemory(**raw) if raw else DealMemory() for k, raw in zip(keys, raws, strict=True)
        }

    def remember_deals(self, deals: Mapping[str, DealMemory], kind: SaleRecord = "deal") -> None:
        self._set_json({f"{_P}{kind}:{k}": vars(memo) for k, memo in deals.items()})

    def forget_deals(self, keys: Iterable[str], kind: SaleRecord = "deal") -> None:
        names = [f"{_P}{kind}:{k}" for k in keys]
        if names:
            self._redis.delete(*names)

    # which deal an order id, or a checkout's cart token or id, belongs to (deletes carry no token)
    def deal_keys(self, aliases: Iterable[str]) -> dict[str, str]:
        return self._strings("alias:", aliases)

    def remember_deal_keys(self, aliases: Mapping[str, str]) -> None:
        self._set_strings("alias:", aliases)

    # privacy erasure (W5); each returns how many keys it erased
    def forget_customer(
        self, shop: str, customer_id: int | None, email: str | None, order_ids: Iterable[int]
    ) -> int:
        """The email behind the customer id, the contact of the email, and which deals the
        orders belong to."""
        names = [f"{_P}alias:{key(shop, 'order', oid)}" for oid in order_ids]
        if customer_id is not None:
            names.append(f"{_P}customer:{shop}:{customer_id}")
        if email:
            names.append(f"{_P}contact:{_email_hash(email)}")
            self._redis.srem(f"{_P}shop-contacts:{shop}", _email_hash(email))
        return int(self._redis.delete(*names)) if names else 0

    def forget_shop(self, shop: str) -> int:
        """Everything remembered for the shop, the contacts written for it included."""
        contacts = f"{_P}shop-contacts:{shop}"
        hashes = cast(set[bytes], self._redis.smembers(contacts))
        names = [f"{_P}contact:{h.decode()}" for h in hashes]
        # The pattern finds only names that go on after the shop; these two end with it.
        own = [contacts, f"{_P}deleted:{shop}"]
        erased = delete_matching(self._redis, f"{_P}*:{glob_escape(shop)}:*", [*names, *own])
        erased += int(self._redis.hdel(f"{_P}skipped-deleted", shop))
        for raw in cast(list[bytes], self._redis.lrange(f"{_P}identity-events", 0, -1)):
            if orjson.loads(raw)["shop"] == shop:
                erased += int(self._redis.lrem(f"{_P}identity-events", 0, raw.decode()))
        return erased

    def _strings(self, kind: str, names: Iterable[str]) -> dict[str, str]:
        """The values kept under `kind` for these names (those with none left out)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return {}
        values = cast(list[bytes | None], self._redis.mget([f"{_P}{kind}{n}" for n in wanted]))
        return {n: v.decode() for n, v in zip(wanted, values, strict=True) if v is not None}

    def _set_strings(self, kind: str, values: Mapping[str, str]) -> None:
        if values:
            self._redis.mset({f"{_P}{kind}{name}": value for name, value in values.items()})

    def _hmget_json(self, names: list[str]) -> list[dict[str, Any] | None]:
        if not names:
            return []
        values = cast(list[bytes | None], self._redis.mget(names))
        return [None if v is None else orjson.loads(v) for v in values]

    def _set_json(self, values: Mapping[str, Any]) -> None:
        if values:
            # orjson: every flush reads and writes the memory of each record it writes.
            self._redis.mset({name: orjson.dumps(value) for name, value in values.items()})
