"""From webhook events to pending items, and from a batch of items to HubSpot writes.

Three buffers, one per HubSpot record family: `contacts` (customers and the topics that
carry only part of one), `products`, and `deals` (orders, checkouts and the sweep's stage
moves, grouped by deal, so that an order and its checkout are never written at once).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import cast

from shopspot.events import WebhookEvent
from shopspot.hubspot import crm
from shopspot.mapping.contacts import (
    SyncOrigin,
    consent_properties,
    contact_email,
    contact_properties,
    facts_from_summary,
    purchase_facts_properties,
    tag_change_properties,
)
from shopspot.mapping.values import key, shop_domain
from shopspot.pending import FINAL, Item
from shopspot.shopify import parse_payload
from shopspot.shopify.models import (
    Checkout,
    CheckoutDeleted,
    Customer,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    DeletedObject,
    EmailConsentUpdate,
    Order,
    Product,
    PurchasingSummary,
    ShopifyModel,
)
from shopspot.sync import deals, products
from shopspot.sync.contacts import write_contacts
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import Memory

CONTACTS, PRODUCTS, DEALS = "contacts", "products", "deals"
BUFFERS = (CONTACTS, PRODUCTS, DEALS)


def items_for(
    parsed: Sequence[tuple[WebhookEvent, ShopifyModel]], memory: Memory
) -> list[tuple[str, Item] | None]:
    """The buffer and item each parsed event becomes (None when it changes nothing in
    HubSpot); the deals of orders and checkouts are looked up in one go."""
    sales = [(e.shop, m) for e, m in parsed if isinstance(m, Order | Checkout)]
    groups: dict[int, str] = {}
    for shop in {shop for shop, _ in sales}:
        mine = [sale for s, sale in sales if s == shop]
        keys = deals.resolve_deal_keys(memory, shop, mine)
        groups |= dict(zip(map(id, mine), keys, strict=True))
    return [_item_for(event, model, memory, groups) for event, model in parsed]


def item_for(event: WebhookEvent, model: ShopifyModel, memory: Memory) -> tuple[str, Item] | None:
    return items_for([(event, model)], memory)[0]


def _item_for(
    event: WebhookEvent, model: ShopifyModel, memory: Memory, groups: dict[int, str]
) -> tuple[str, Item] | None:
    shop = shop_domain(event.shop)
    data = event.model_dump(mode="json")
    # Topics without a timestamp of their own are ordered by when they reached Shopspot.
    fallback = int(event.received_at * 1000)

    def item(name: str, ident: str | int, group: str, version: int | None) -> Item:
        return Item(key(name, shop, ident), group, version or fallback, data)

    match model:
        case Customer():
            group = key("customer", shop, model.id)
            return CONTACTS, item("customer", model.id, group, _ms(model.updated_at))
        case CustomerTagsAdded() | CustomerTagsRemoved():
            group = key("customer", shop, model.customer_id)
            # Added and removed are two topics about one tag list: they share an item key.
            return CONTACTS, item("tags", model.customer_id, group, _ms(model.occurred_at))
        case EmailConsentUpdate():
            group = key("customer", shop, model.customer_id)
            consent = model.email_marketing_consent
            version = _ms(consent.consent_updated_at) if consent else None
            return CONTACTS, item("consent", model.customer_id, group, version)
        case PurchasingSummary():
            group = key("customer", shop, model.customer_id)
            return CONTACTS, item("summary", model.customer_id, group, _ms(model.occurred_at))
        case Product():
            group = key("product", shop, model.id)
            return PRODUCTS, item("product", model.id, group, _ms(model.updated_at))
        case Order():
            return DEALS, item("order", model.id, groups[id(model)], _ms(model.updated_at))
        case Checkout():
            version = _ms(model.updated_at)
            return DEALS, item("checkout", model.token, groups[id(model)], version)
        case CheckoutDeleted():
            ident = model.id or model.token or model.cart_token or ""
            aliases = [key(shop, "checkout", ident), key(shop, "cart", model.cart_token or "")]
            group = next(iter(memory.deal_keys(aliases).values()), key(shop, "checkout", ident))
            return DEALS, item("checkout-delete", ident, group, FINAL)
        case DeletedObject() if event.topic == "products/delete":
            return PRODUCTS, item("product", model.id, key("product", shop, model.id), FINAL)
        case DeletedObject() if event.topic == "orders/delete":
            alias = key(shop, "order", model.id)
            group = memory.deal_keys([alias]).get(alias, alias)
            return DEALS, item("order", model.id, group, FINAL)
    return None


def abandon_item(deal: str, now: float) -> Item:
    """The sweep's stage move, queued like any other write to the deal (D8)."""
    return Item(key("abandon", deal), deal, int(now * 1000), {"deal": deal})


def apply(ctx: SyncContext, buffer: str, items: Sequence[Item]) -> None:
    """Write a batch of items of one buffer to HubSpot, each under its own origin (C8)."""
    origins: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        origins[item.origin].append(item)
    for origin, same in origins.items():
        _apply(replace(ctx, origin=cast(SyncOrigin, origin)), buffer, same)


def _apply(ctx: SyncContext, buffer: str, items: Sequence[Item]) -> None:
    by_shop: dict[str, list[tuple[Item, ShopifyModel]]] = defaultdict(list)
    abandoned: list[str] = []
    for item in items:
        if "deal" in item.data:
            abandoned.append(item.data["deal"])
            continue
        event = event_of(item)
        by_shop[event.shop].append((item, parse_payload(event.topic, event.payload)))
    if abandoned:
        deals.abandon(ctx, abandoned)
    for shop, parsed in by_shop.items():
        models = [model for _, model in parsed]
        if buffer == CONTACTS:
            _apply_contacts(ctx, shop, models)
        elif buffer == PRODUCTS:
            products.write_products(ctx, shop, [m for m in models if isinstance(m, Product)])
            products.delete_products(
                ctx, shop, [m.id for m in models if isinstance(m, DeletedObject)]
            )
        else:
            sales = [m for m in models if isinstance(m, Order | Checkout)]
            deals.write_sales(ctx, shop, sales)
            deals.delete_orders(ctx, shop, [m.id for m in models if type(m) is DeletedObject])
            deals.delete_checkouts(ctx, shop, [m for m in models if isinstance(m, CheckoutDeleted)])


def _apply_contacts(ctx: SyncContext, shop: str, models: Sequence[ShopifyModel]) -> None:
    writes: list[dict[str, str]] = []
    customers = [m for m in models if isinstance(m, Customer)]
    ctx.memory.remember_customers(
        shop, {c.id: email for c in customers if (email := contact_email(c.email))}
    )
    for customer in customers:
        writes.append(
            contact_properties(
                shop, customer, sync_origin=None, phone_from_address=ctx.phone_from_address
            )
        )
    for consent in (m for m in models if isinstance(m, EmailConsentUpdate)):
        writes.append(consent_properties(shop, consent, sync_origin=None))
    partial = [
        m
        for m in models
        if isinstance(m, CustomerTagsAdded | CustomerTagsRemoved | PurchasingSummary)
    ]
    emails = ctx.memory.customer_emails(shop, [m.customer_id for m in partial])
    tag_changes = [
        m for m in partial if not isinstance(m, PurchasingSummary) and m.customer_id in emails
    ]
    current_tags = _current_tags(ctx, [emails[m.customer_id] for m in tag_changes])
    for change in tag_changes:
        email = emails[change.customer_id]
        props = tag_change_properties(current_tags.get(email), change)
        current_tags[email] = props["shopify_tags"]
        writes.append({"email": email, **props})
    for summary in (m for m in partial if isinstance(m, PurchasingSummary)):
        if summary.customer_id in emails:
            facts = purchase_facts_properties(facts_from_summary(summary))
            writes.append({"email": emails[summary.customer_id], **facts})
    write_contacts(ctx, writes)


def _current_tags(ctx: SyncContext, emails: list[str]) -> dict[str, str | None]:
    """The contacts' tags as HubSpot has them, to add to or remove from."""
    if not emails:
        return {}
    found = crm.batch_read(
        ctx.client, "contacts", emails, id_property="email", properties=["email", "shopify_tags"]
    )
    return {
        str(contact_email(r["properties"].get("email"))): r["properties"].get("shopify_tags")
        for r in found
    }


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def dead_letter_event(item: Item) -> WebhookEvent | None:
    """The event an item came from, for its dead letter (the sweep's items have none)."""
    return None if "deal" in item.data else event_of(item)


def event_of(item: Item) -> WebhookEvent:
    # Shopspot wrote this envelope itself after validating it: no need to validate it again.
    return WebhookEvent.model_construct(**item.data)
