"""From webhook events to pending items, and from a batch of items to HubSpot writes.

What is decided when an event is queued travels in its item and is not worked out again
when the item is written: the buffer, the group (for an order or checkout, the deal it
belongs to), the version, and the parsed model itself, beside the envelope it came in (for
dead letters and latency).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

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
from shopspot.mapping.values import key, ms, shop_domain
from shopspot.pending import FINAL, Item
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
from shopspot.sync import commerce, deals, products
from shopspot.sync.buyers import Buyers
from shopspot.sync.contacts import ContactWrite, write_contacts
from shopspot.sync.context import SyncContext
from shopspot.sync.memory import Memory
from shopspot.targets import writes_commerce, writes_deals
from shopspot.topics import Buffer, handled

# The sweep's stage moves come from no event: their item says so instead of carrying one.
_ABANDON = "abandon"


def items_for(
    parsed: Sequence[tuple[WebhookEvent, ShopifyModel]], memory: Memory
) -> list[tuple[Buffer, Item] | None]:
    """The buffer and item each parsed event becomes (None when it changes nothing in
    HubSpot); the deals of orders and checkouts are looked up in one go."""
    sales = [(e.shop, m) for e, m in parsed if isinstance(m, Order | Checkout)]
    groups: dict[int, str] = {}
    for shop in {shop for shop, _ in sales}:
        mine = [sale for s, sale in sales if s == shop]
        keys = deals.resolve_deal_keys(memory, shop, mine)
        groups |= dict(zip(map(id, mine), keys, strict=True))
    return [_item_for(event, model, memory, groups) for event, model in parsed]


def item_for(
    event: WebhookEvent, model: ShopifyModel, memory: Memory
) -> tuple[Buffer, Item] | None:
    return items_for([(event, model)], memory)[0]


def _item_for(
    event: WebhookEvent, model: ShopifyModel, memory: Memory, groups: dict[int, str]
) -> tuple[Buffer, Item] | None:
    buffer = handled(event.topic).buffer
    if buffer is None:
        return None
    shop = shop_domain(event.shop)
    envelope = event.model_dump(mode="json", exclude={"payload"})
    data = {"event": envelope, "model": model.dump()}
    # Topics without a timestamp of their own are ordered by when they reached Shopspot.
    fallback = int(event.received_at * 1000)

    def item(name: str, ident: str | int, group: str, version: int | None) -> Item:
        return Item(key(name, shop, ident), group, version or fallback, data)

    match model:
        case Customer():
            group = key("customer", shop, model.id)
            return buffer, item("customer", model.id, group, ms(model.updated_at))
        case CustomerTagsAdded() | CustomerTagsRemoved():
            group = key("customer", shop, model.customer_id)
            # Added and removed are two topics about one tag list: they share an item key.
            return buffer, item("tags", model.customer_id, group, ms(model.occurred_at))
        case EmailConsentUpdate():
            group = key("customer", shop, model.customer_id)
            consent = model.email_marketing_consent
            version = ms(consent.consent_updated_at) if consent else None
            return buffer, item("consent", model.customer_id, group, version)
        case PurchasingSummary():
            group = key("customer", shop, model.customer_id)
            return buffer, item("summary", model.customer_id, group, ms(model.occurred_at))
        case Product():
            group = key("product", shop, model.id)
            return buffer, item("product", model.id, group, ms(model.updated_at))
        case Order():
            return buffer, item("order", model.id, groups[id(model)], ms(model.updated_at))
        case Checkout():
            return buffer, item("checkout", model.token, groups[id(model)], ms(model.updated_at))
        case CheckoutDeleted():
            ident = model.id or model.token or model.cart_token or ""
            aliases = [key(shop, "checkout", ident), key(shop, "cart", model.cart_token or "")]
            group = next(iter(memory.deal_keys(aliases).values()), key(shop, "checkout", ident))
            return buffer, item("checkout-delete", ident, group, FINAL)
        case DeletedObject() if buffer is Buffer.PRODUCTS:
            return buffer, item("product", model.id, key("product", shop, model.id), FINAL)
        case DeletedObject():
            alias = key(shop, "order", model.id)
            group = memory.deal_keys([alias]).get(alias, alias)
            return buffer, item("order", model.id, group, FINAL)
    return None


def abandon_item(deal: str, now: float) -> Item:
    """The sweep's stage move, queued like any other write to the deal (D8)."""
    return Item(key(_ABANDON, deal), deal, int(now * 1000), {_ABANDON: True})


def event_of(item: Item) -> WebhookEvent | None:
    """The event an item came from, its payload the parsed model (for dead letters and
    latency); None for the sweep's items."""
    if _ABANDON in item.data:
        return None
    # Shopspot wrote this envelope itself after validating it: no need to validate it again.
    return WebhookEvent.model_construct(**item.data["event"], payload=item.data["model"])


def model_of(item: Item, event: WebhookEvent) -> ShopifyModel:
    model: type[ShopifyModel] = handled(event.topic).model
    return model.model_validate(cast(dict[str, Any], item.data["model"]))


def apply(ctx: SyncContext, buffer: Buffer, items: Sequence[Item]) -> None:
    """Write a batch of items of one buffer to HubSpot, each under its own origin (C8)."""
    origins: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        origins[item.origin].append(item)
    for origin, same in origins.items():
        _apply(replace(ctx, origin=cast(SyncOrigin, origin)), buffer, same)


def _apply(ctx: SyncContext, buffer: Buffer, items: Sequence[Item]) -> None:
    by_shop: dict[str, list[tuple[Item, ShopifyModel]]] = defaultdict(list)
    abandoned: dict[str, int] = {}
    for item in items:
        event = event_of(item)
        if event is None:
            abandoned[item.group] = item.version  # when the sweep found it due
        else:
            by_shop[event.shop].append((item, model_of(item, event)))
    if abandoned:
        if writes_deals(ctx.target):
            deals.abandon(ctx, abandoned)
        if writes_commerce(ctx.target):
            commerce.abandon(ctx, abandoned)
    for shop, loaded in by_shop.items():
        models = [model for _, model in loaded]
        grouped = [(item.group, model) for item, model in loaded]
        if buffer is Buffer.CONTACTS:
            _apply_contacts(ctx, shop, [(item.version, model) for item, model in loaded])
        elif buffer is Buffer.PRODUCTS:
            products.write_products(ctx, shop, [m for m in models if isinstance(m, Product)])
            products.delete_products(
                ctx, shop, [m.id for m in models if isinstance(m, DeletedObject)]
            )
        else:
            _apply_sales(ctx, shop, grouped)


def _apply_sales(ctx: SyncContext, shop: str, grouped: Sequence[tuple[str, ShopifyModel]]) -> None:
    """Orders and checkouts to the records of the sync target (SPEC T1), their buyers written
    once for both models."""
    sales = {g: m for g, m in grouped if isinstance(m, Order | Checkout)}
    deleted = [(g, m) for g, m in grouped if type(m) is DeletedObject]
    gone = [g for g, m in grouped if isinstance(m, CheckoutDeleted)]
    buyers = Buyers(ctx, shop)
    deal_ids: dict[str, str] = {}
    if writes_deals(ctx.target):
        deal_ids = deals.write_deals(ctx, shop, sales, buyers)
        deals.delete_orders(ctx, [g for g, _ in deleted])
        deals.delete_checkouts(ctx, gone)
    if writes_commerce(ctx.target):
        commerce.write_commerce(ctx, shop, sales, buyers, deal_ids)
        commerce.delete_orders(ctx, shop, [m.id for _, m in deleted])
        commerce.delete_checkouts(ctx, gone)


def _apply_contacts(
    ctx: SyncContext, shop: str, versioned: Sequence[tuple[int, ShopifyModel]]
) -> None:
    """Each write carries its item's version: the customer's `updated_at`, or the time of the
    consent, tag or summary event (W7)."""
    writes: list[ContactWrite] = []
    domain = shop_domain(shop)
    partial = [
        m.customer_id
        for _, m in versioned
        if isinstance(m, CustomerTagsAdded | CustomerTagsRemoved | PurchasingSummary)
    ]
    emails = ctx.memory.customer_emails(shop, partial)
    tag_emails = [
        emails[m.customer_id]
        for _, m in versioned
        if isinstance(m, CustomerTagsAdded | CustomerTagsRemoved) and m.customer_id in emails
    ]
    current_tags = _current_tags(ctx, tag_emails)
    for version, model in versioned:
        match model:
            case Customer():
                customer_id: int | None = model.id
                props = contact_properties(shop, model, phone_from_address=ctx.phone_from_address)
            case EmailConsentUpdate():
                customer_id = model.customer_id
                props = consent_properties(shop, model)
            case CustomerTagsAdded() | CustomerTagsRemoved() if model.customer_id in emails:
                customer_id, email = model.customer_id, emails[model.customer_id]
                props = {"email": email, **tag_change_properties(current_tags.get(email), model)}
                current_tags[email] = props["shopify_tags"]
            case PurchasingSummary() if model.customer_id in emails:
                customer_id = model.customer_id
                facts = purchase_facts_properties(facts_from_summary(model))
                props = {"email": emails[model.customer_id], **facts}
            case _:
                continue
        customer = None if customer_id is None else (domain, customer_id)
        writes.append(ContactWrite(props, version, customer=customer))
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
