"""Contacts, deduplicated by email (C1-C3, C7-C9), newest source wins property by property (W7).

Every write comes from one Shopify object and carries that object's version: its own
`updated_at`, so a customer embedded in an order brings the customer's version, not the
order's. Shopspot remembers the version each contact property was last written from, and an
older write leaves that property alone: a retried orders/create carrying the customer as it
was hours ago cannot undo a later customers/update. One flush at a time writes a contact
(across buffers), so two writes cannot overtake each other between the check and HubSpot.

Contacts Shopspot knows (it has their HubSpot id) are updated by id, which is how a contact
deleted in HubSpot shows itself: HubSpot no longer has the id. One that Shopspot created is
then never re-created (C7). Contacts Shopspot does not know yet are upserted by email, so a
contact that exists in HubSpot is updated rather than duplicated (C2, C3), and their origin is
recorded the first time Shopspot writes them (C8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shopspot.hubspot import crm
from shopspot.mapping.contacts import contact_email
from shopspot.mapping.values import timestamp_ms
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import ContactMemory

CONTACTS = "contacts"


@dataclass(frozen=True)
class ContactWrite:
    props: Mapping[str, str]  # with "email", the contact's key (C1)
    version: int  # Shopify's updated_at of the object the properties came from, in ms
    placed: int | None = None  # C9: when an order of the contact was placed, in ms


@dataclass
class _Merged:
    values: dict[str, tuple[str, int]] = field(default_factory=dict)  # property → (value, version)
    placed: list[int] = field(default_factory=list)


def merge_by_email(writes: Sequence[ContactWrite]) -> dict[str, _Merged]:
    """One property set per email (HubSpot refuses a batch naming an email twice): the newest
    version of each property, the later write on a tie. Writes without an email create
    nothing (C2)."""
    merged: dict[str, _Merged] = {}
    for write in writes:
        email = contact_email(write.props.get("email"))
        if not email:
            continue
        entry = merged.setdefault(email, _Merged())
        for name, value in write.props.items():
            held = entry.values.get(name)
            if name != "email" and (held is None or write.version >= held[1]):
                entry.values[name] = (value, write.version)
        if write.placed is not None:
            entry.placed.append(write.placed)
    return merged


def write_contacts(ctx: SyncContext, writes: Sequence[ContactWrite]) -> dict[str, str]:
    """Write the contacts; returns the HubSpot id of each email that has a contact."""
    merged = merge_by_email(writes)
    if not merged:
        return {}
    with ctx.memory.writing_contacts(merged):
        known = ctx.memory.contacts(merged)
        props = {email: _newer(email, entry, known[email]) for email, entry in merged.items()}
        ids = _write(ctx, props, known)
        shops = {email: p.get("shopify_shop_domain") for email, p in props.items()}
        ctx.memory.remember_contacts(known, {e: s for e, s in shops.items() if s})
    return ids


def _newer(email: str, entry: _Merged, memo: ContactMemory) -> dict[str, str]:
    """The properties this write may set, and the memory of what it sets (W7, C9).

    The memory is updated before HubSpot answers: a write that then fails is retried with the
    same versions, which still pass, while anything older stays out either way.
    """
    props = {"email": email}
    for name, (value, version) in entry.values.items():
        if version >= memo.versions.get(name, -1):
            props[name] = value
            memo.versions[name] = version
    if entry.placed:
        # First and last order date widen with each order, so replays and any order of
        # arrival end the same (C9); counts and totals come from Shopify's own figures.
        memo.first_order = min([*entry.placed, *filter(None, [memo.first_order])])
        memo.last_order = max([*entry.placed, *filter(None, [memo.last_order])])
        props["shopify_first_order_date"] = timestamp_ms(memo.first_order)
        props["shopify_last_order_date"] = timestamp_ms(memo.last_order)
    return props


def _write(
    ctx: SyncContext, props: Mapping[str, dict[str, str]], known: dict[str, ContactMemory]
) -> dict[str, str]:
    ids: dict[str, str] = {}
    to_update = {memo.id: email for email, memo in known.items() if memo.id and not memo.deleted}
    to_upsert = [email for email, memo in known.items() if not memo.id]

    if to_update:
        updates = {
            record_id: _without_origin(props[email]) for record_id, email in to_update.items()
        }
        _, gone = crm.batch_update(ctx.client, CONTACTS, updates)
        for record_id, email in to_update.items():
            if record_id not in gone:
                ids[email] = record_id
            elif known[email].created:
                known[email].deleted = True  # C7: deleted in HubSpot, stays deleted
            else:
                known[email].id = None  # deleted by someone else's hand: found or made anew
                to_upsert.append(email)

    if to_upsert:
        records = [{**props[email], "shopify_sync_origin": ctx.origin} for email in to_upsert]
        for result in crm.batch_upsert(ctx.client, CONTACTS, "email", records):
            written = contact_email(result["properties"].get("email"))
            if written in known:
                ids[written] = str(result["id"])
                known[written].id = str(result["id"])
                known[written].created = bool(result.get("new"))
    return ids


def _without_origin(props: Mapping[str, str]) -> dict[str, str]:
    # The origin says how Shopspot first met the contact; later writes keep it.
    return {name: value for name, value in props.items() if name != "shopify_sync_origin"}
