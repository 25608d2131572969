"""The HubSpot records Shopspot writes for a Shopify object, as its memory has them, and
where a merchant finds each in HubSpot.

An order or a checkout is a deal (found by the deal key it was written to), a customer a
contact, a product one HubSpot product per variant. Each lookup is a few reads for any
number of objects, so a flush can name what it wrote at little cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from shopspot.sync.memory import ContactMemory, Memory
from shopspot.trace.store import Record, Subject, Traced

# HubSpot's object type ids, which its record pages are addressed by.
OBJECT_TYPE_IDS = {"contact": "0-1", "deal": "0-3", "product": "0-7"}


def record_url(ui_domain: str, portal_id: int, record: Record) -> str:
    """The record's page in HubSpot, on the portal's own domain (EU portals have theirs)."""
    kind = OBJECT_TYPE_IDS[record.type]
    return f"https://{ui_domain}/contacts/{portal_id}/record/{kind}/{record.id}"


def hubspot_records(
    memory: Memory, targets: Sequence[tuple[Subject, str | None]]
) -> list[tuple[Record, ...]]:
    """The records of each object; an order or checkout is given with its deal key (without
    one, or once the deal is archived, it has none)."""
    deals = memory.deals(deal for subject, deal in targets if deal and _is_sale(subject))
    customers = [(s.shop, int(s.ident)) for s, _ in targets if s.kind is Traced.CUSTOMER]
    links = memory.customer_links(customers)
    contacts = memory.contacts(link.email for link in links.values())
    products = _product_records(memory, [s for s, _ in targets if s.kind is Traced.PRODUCT])

    def records(subject: Subject, deal: str | None) -> tuple[Record, ...]:
        if _is_sale(subject):
            found = deals[deal].id if deal else None
            return (Record(type="deal", id=found),) if found else ()
        if subject.kind is Traced.CUSTOMER:
            link = links.get((subject.shop, int(subject.ident)))
            contact = contacts[link.email] if link else ContactMemory()
            # A contact deleted in HubSpot stays deleted (C7): nothing is written to it.
            if contact.id and not contact.deleted:
                return (Record(type="contact", id=contact.id),)
            return ()
        return products.get(subject, ())

    return [records(subject, deal) for subject, deal in targets]


def _is_sale(subject: Subject) -> bool:
    return subject.kind in (Traced.ORDER, Traced.CHECKOUT)


def _product_records(
    memory: Memory, subjects: Sequence[Subject]
) -> dict[Subject, tuple[Record, ...]]:
    by_shop: dict[str, list[Subject]] = defaultdict(list)
    for subject in subjects:
        by_shop[subject.shop].append(subject)
    variants: dict[Subject, list[str]] = {}
    for shop, mine in by_shop.items():
        found = memory.variant_keys_of(shop, (int(s.ident) for s in mine))
        variants |= {s: sorted(found[int(s.ident)]) for s in mine}
    ids = memory.product_ids(key for keys in variants.values() for key in keys)
    return {
        subject: tuple(Record(type="product", id=ids[key]) for key in keys if key in ids)
        for subject, keys in variants.items()
    }
