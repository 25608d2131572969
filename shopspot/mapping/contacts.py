"""Shopify customers and buyers -> HubSpot contact properties (C1-C9), keyed by lower-cased email.

A result without ``email`` means the person has no email address: C2 creates no contact then.
``shopify_sync_origin`` (C8) is not set here: the writer adds it when a write may create the
contact, so that a live update never relabels a contact the initial import created.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from shopspot.mapping.values import (
    checkbox,
    compact,
    integer,
    money,
    shop_domain,
    tag_list,
    timestamp,
)
from shopspot.shopify.models import (
    Checkout,
    Customer,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    EmailConsentUpdate,
    Order,
    PurchasingSummary,
)

SyncOrigin = Literal["initial_import", "live"]


@dataclass(frozen=True)
class PurchaseFacts:
    """C9 facts about a customer's orders; None means unknown, and is not written."""

    orders_count: int | None = None
    total_spent: Decimal | None = None
    first_order_date: datetime | None = None
    last_order_date: datetime | None = None


def contact_email(email: str | None) -> str | None:
    """The contact key: the email stripped and lower-cased (C1), None when blank."""
    normalised = (email or "").strip().lower()
    return normalised or None


def contact_properties(
    shop: str,
    customer: Customer,
    *,
    phone_from_address: bool = False,
) -> dict[str, str]:
    """A Shopify customer as contact properties, empty values dropped (C3).

    ``phone`` is the customer's own phone (C5); only with ``phone_from_address`` does a
    customer without one fall back to the default address's phone.
    """
    address = customer.default_address
    phone = customer.phone
    if phone_from_address and not (phone and phone.strip()) and address is not None:
        phone = address.phone
    lines = (address.address1, address.address2) if address is not None else ()
    street = ", ".join(line.strip() for line in lines if line and line.strip())
    return compact(
        {
            "email": contact_email(customer.email),
            "firstname": customer.first_name,
            "lastname": customer.last_name,
            "phone": phone,
            "address": street,
            "city": address.city if address else None,
            "state": address.province if address else None,
            "zip": address.zip if address else None,
            "country": address.country if address else None,
            "shopify_customer_id": integer(customer.id),
            "shopify_accepts_marketing": checkbox(customer.accepts_marketing),
            "shopify_created_at": timestamp(customer.created_at),
            "shopify_note": customer.note,
            "shopify_tags": tag_list(customer.tags),
            "shopify_tax_exempt": checkbox(customer.tax_exempt),
            "shopify_verified_email": checkbox(customer.verified_email),
            "shopify_shop_domain": shop_domain(shop),
        }
    ) | purchase_facts_properties(
        PurchaseFacts(orders_count=customer.orders_count, total_spent=customer.total_spent)
    )


def buyer_contact_properties(shop: str, sale: Order | Checkout) -> dict[str, str]:
    """The contact of whoever placed an order or filled in a checkout (C1).

    The embedded customer's properties when there is one; the email and names typed at
    checkout (``email``, then ``contact_email`` for orders; billing-address names) fill in what
    the customer record lacks. Guests with no email at all yield no ``email`` (D3).
    """
    typed_email = sale.email or (sale.contact_email if isinstance(sale, Order) else None)
    billing = sale.billing_address
    typed = compact(
        {
            "email": contact_email(typed_email),
            "firstname": billing.first_name if billing else None,
            "lastname": billing.last_name if billing else None,
            "shopify_shop_domain": shop_domain(shop),
        }
    )
    if sale.customer is None:
        return typed
    return typed | contact_properties(shop, sale.customer)


def consent_properties(shop: str, update: EmailConsentUpdate) -> dict[str, str]:
    """customers_email_marketing_consent/update (2025-01+, where customer payloads lost it)."""
    return compact(
        {
            "email": contact_email(update.email_address),
            "shopify_customer_id": integer(update.customer_id),
            "shopify_accepts_marketing": checkbox(update.accepts_marketing),
            "shopify_shop_domain": shop_domain(shop),
        }
    )


def tag_change_properties(
    current_tags: str | None, change: CustomerTagsAdded | CustomerTagsRemoved
) -> dict[str, str]:
    """Apply customer.tags_added / customer.tags_removed (2025-01+, where customer payloads lost
    their tags) to the contact's current ``shopify_tags``.

    The one place an empty value is written: when the last tag is removed, ``shopify_tags``
    is cleared with ``""``. That is Shopify reporting a value that became empty, not a value
    missing from a payload, so C3 does not apply.
    """
    tags = [tag.strip() for tag in (current_tags or "").split(",") if tag.strip()]
    if isinstance(change, CustomerTagsAdded):
        for tag in change.tags:
            if tag not in tags:
                tags.append(tag)
    else:
        tags = [tag for tag in tags if tag not in change.tags]
    return {"shopify_tags": tag_list(tags)}


def facts_from_summary(summary: PurchasingSummary) -> PurchaseFacts:
    """customers/purchasing_summary (2025-01+). It says nothing about order dates."""
    spent = summary.amount_spent
    return PurchaseFacts(
        orders_count=summary.number_of_orders,
        total_spent=spent.amount if spent is not None else None,
    )


def purchase_facts_properties(facts: PurchaseFacts) -> dict[str, str]:
    """C9: ``shopify_orders_count``, ``shopify_total_spent``, ``shopify_first_order_date``,
    ``shopify_last_order_date`` — the known ones."""
    return compact(
        {
            "shopify_orders_count": integer(facts.orders_count),
            "shopify_total_spent": money(facts.total_spent),
            "shopify_first_order_date": timestamp(facts.first_order_date),
            "shopify_last_order_date": timestamp(facts.last_order_date),
        }
    )
