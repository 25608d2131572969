"""Contacts, deduplicated by email (C1-C3, C7, C8).

Contacts Shopspot knows (it has their HubSpot id) are updated by id, which is how a
contact deleted in HubSpot shows itself: HubSpot no longer has the id. One that Shopspot
created is then never re-created (C7). Contacts Shopspot does not know yet are upserted by
email, so a contact that exists in HubSpot is updated rather than duplicated (C2, C3), and
their origin is recorded the first time Shopspot writes them (C8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shopspot.hubspot import crm
from shopspot.mapping.contacts import contact_email
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import ContactMemory

CONTACTS = "contacts"


def merge_by_email(writes: Sequence[Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """One property set per email (HubSpot refuses a batch naming an email twice); later
    writes win property by property. Writes without an email create nothing (C2)."""
    merged: dict[str, dict[str, str]] = {}
    for props in writes:
        email = contact_email(props.get("email"))
        if email:
            merged.setdefault(email, {}).update(props, email=email)
    return merged


def write_contacts(ctx: SyncContext, writes: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Write the contacts; returns the HubSpot id of each email that has a contact."""
    merged = merge_by_email(writes)
    known = ctx.memory.contacts(merged)
    ids: dict[str, str] = {}
    to_update = {memo.id: email for email, memo in known.items() if memo.id and not memo.deleted}
    to_upsert = [email for email, memo in known.items() if not memo.id]

    if to_update:
        updates = {
            record_id: _without_origin(merged[email]) for record_id, email in to_update.items()
        }
        _, gone = crm.batch_update(ctx.client, CONTACTS, updates)
        for record_id, email in to_update.items():
            if record_id not in gone:
                ids[email] = record_id
            elif known[email].created:
                known[email].deleted = True  # C7: deleted in HubSpot, stays deleted
            else:
                known[email] = ContactMemory()
                to_upsert.append(email)

    if to_upsert:
        records = [{**merged[email], "shopify_sync_origin": ctx.origin} for email in to_upsert]
        for result in crm.batch_upsert(ctx.client, CONTACTS, "email", records):
            written = contact_email(result["properties"].get("email"))
            if written in merged:
                ids[written] = str(result["id"])
                known[written] = ContactMemory(
                    id=str(result["id"]), created=bool(result.get("new"))
                )

    shops = {email: props.get("shopify_shop_domain") for email, props in merged.items()}
    ctx.memory.remember_contacts(known, {e: s for e, s in shops.items() if s})
    return ids


def _without_origin(props: Mapping[str, str]) -> dict[str, str]:
    # The origin says how Shopspot first met the contact; later writes keep it.
    return {name: value for name, value in props.items() if name != "shopify_sync_origin"}
