"""Contacts, deduplicated by email (C1-C3, C7-C9), newest source wins property by property (W7),
one contact per customer whatever its email becomes (C10).

Every write comes from one Shopify object and carries that object's version: its own
`updated_at`, so a customer embedded in an order brings the customer's version, not the
order's. Shopspot remembers the version each contact property was last written from, and an
older write leaves that property alone: a retried orders/create carrying the customer as it
was hours ago cannot undo a later customers/update. One flush at a time writes a contact
(across buffers), so two writes cannot overtake each other between the check and HubSpot.

A contact follows its Shopify customer: Shopspot links each customer to the email of the contact
it writes, and a newer snapshot of the customer with another email gives that contact the new
email, where an older one (a late order) is written to the contact as linked. If another contact
already holds the new email, that one is written from then on and the old one is left as it is;
both outcomes are logged (ids only) and shown by `shopspot status`. Guests match by email.

Contacts Shopspot knows (it has their HubSpot id) are updated by id, which is how a contact
deleted in HubSpot shows itself: HubSpot no longer has the id. One that Shopspot created is
then never re-created (C7). Contacts Shopspot does not know yet are upserted by email, so a
contact that exists in HubSpot is updated rather than duplicated (C2, C3), and their origin is
recorded the first time Shopspot writes them (C8).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from shopspot.hubspot import crm
from shopspot.mapping.contacts import contact_email
from shopspot.mapping.values import timestamp_ms
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import ContactMemory, CustomerLink, IdentityEvent

log = logging.getLogger("shopspot.sync")

CONTACTS = "contacts"


@dataclass(frozen=True)
class ContactWrite:
    props: Mapping[str, str]  # with "email", the contact's key (C1)
    version: int  # Shopify's updated_at of the object the properties came from, in ms
    placed: int | None = None  # C9: when an order of the contact was placed, in ms
    customer: tuple[str, int] | None = None  # (shop, customer id): who it is about, guests none


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


def write_contacts(ctx: SyncContext, writes: Sequence[ContactWrite]) -> list[str | None]:
    """Write the contacts; returns the HubSpot id of each write's contact (None: no contact)."""
    customers = {write.customer for write in writes if write.customer}
    while True:
        links = ctx.memory.customer_links(customers)
        emails = {e for w in writes if (e := contact_email(w.props.get("email")))}
        emails |= {link.email for link in links.values()}
        if not emails:
            return [None] * len(writes)
        with ctx.memory.writing_contacts(emails):
            # Another flush may have linked a customer elsewhere before the hold: hold anew.
            if ctx.memory.customer_links(customers) == links:
                return _write_held(ctx, writes, links)


def _write_held(
    ctx: SyncContext, writes: Sequence[ContactWrite], links: dict[tuple[str, int], CustomerLink]
) -> list[str | None]:
    targets, changes = _route(writes, links)
    known = ctx.memory.contacts([*filter(None, targets), *(old for old, _ in changes.values())])
    for customer, (old, new) in changes.items():
        _follow(ctx, customer, old, new, known)
    routed = [
        replace(write, props={**write.props, "email": target})
        for write, target in zip(writes, targets, strict=True)
        if target
    ]
    merged = merge_by_email(routed)
    props = {email: _newer(email, entry, known[email]) for email, entry in merged.items()}
    ids = _write(ctx, props, {email: known[email] for email in merged})
    shops = {email: p.get("shopify_shop_domain") for email, p in props.items()}
    # C7: written by nobody, and no failure either: counted for `shopspot status`.
    ctx.memory.count_skipped(
        shops[email] or "" for email in merged if known[email].deleted and email not in ids
    )
    ctx.memory.remember_contacts(known, {e: s for e, s in shops.items() if s})
    ctx.memory.link_customers(links)
    return [ids.get(target) if target else None for target in targets]


def _route(
    writes: Sequence[ContactWrite], links: dict[tuple[str, int], CustomerLink]
) -> tuple[list[str | None], dict[tuple[str, int], tuple[str, str]]]:
    """The email each write goes to, and the customers whose email changed (old, new).

    A customer's writes go to its linked contact; only a newer snapshot than the one that
    linked it may move the link to another email (C10). `links` is updated in place.
    """
    changes: dict[tuple[str, int], tuple[str, str]] = {}
    for write in sorted(writes, key=lambda w: w.version):
        email, customer = contact_email(write.props.get("email")), write.customer
        if customer is None or email is None:
            continue
        link = links.get(customer)
        if link is None or (email == link.email and write.version > link.version):
            links[customer] = CustomerLink(email, write.version)
        elif email != link.email and write.version > link.version:
            changes[customer] = (changes.get(customer, (link.email, ""))[0], email)
            links[customer] = CustomerLink(email, write.version)
    targets = [
        links[w.customer].email if w.customer in links else contact_email(w.props.get("email"))
        for w in writes
    ]
    return targets, {c: (old, new) for c, (old, new) in changes.items() if old != new}


def _follow(
    ctx: SyncContext, customer: tuple[str, int], old: str, new: str, known: dict[str, ContactMemory]
) -> None:
    """The customer's email changed from `old` to `new`: its contact follows (C10)."""
    before, after = known[old], known[new]
    if after.id:
        outcome = "email_taken"  # Shopspot already writes a contact with the new email
    elif before.deleted:
        outcome = "email_changed"  # deleted in HubSpot (C7): it stays deleted, under the new email
    elif before.id:
        answer = crm.change_email(ctx.client, before.id, new)
        outcome = "email_taken" if answer == "taken" else "email_changed"
        if answer == "missing":
            # Gone from HubSpot: C7 keeps one Shopspot created deleted; another is found anew.
            before.deleted = before.created
            before.id = before.id if before.created else None
    else:
        return  # Shopspot never wrote a contact for the old email: nothing to follow
    if outcome == "email_changed":
        known[new], known[old] = before, ContactMemory()
    contact = before.id if outcome == "email_changed" else after.id
    shop, customer_id = customer
    ctx.memory.note_identity(IdentityEvent(shop, customer_id, contact, outcome, time.time()))
    log.info(
        "contact of a customer whose email changed: %s",
        outcome,
        extra={"fields": {"shop": shop, "customer_id": customer_id, "contact_id": contact}},
    )


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
