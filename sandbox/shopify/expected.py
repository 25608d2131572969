"""What Shopspot should end up with in HubSpot for the store as it is now, computed from the
store's own records (never through Shopspot's code), per SPEC: contacts, products, deals and
the stage of each deal, as counts and, on request, record by record.

Keys follow the README's upsert keys: products `<shop>:<product id>:<variant id>`, deals
`<shop>:<checkout token>` or `<shop>:order:<order id>` (each deal lists the keys it may
have, the usual one first). Money is a decimal string with two places, as Shopify writes it.
What the reports (R1) need is there too: what was refunded of each order, when it was processed
and the email of its buyer's contact, and each contact's first order date (C9); times are
ISO-8601 UTC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .clock import TimeFormat
from .ids import gid
from .money import amount, convert
from .records import Address, Checkout, CheckoutLine, LineItem, Order, Product, Variant
from .store import PAID_STATUSES, Store

STAGES = (
    "Checkout Abandoned",
    "Checkout Pending",
    "Checkout Completed",
    "Processed",
    "Shipped",
    "Cancelled",
)
DEFAULT_VARIANT_TITLE = "Default Title"
NAMES = ("firstname", "lastname")


def order_stage(order: Order) -> str:
    if order.cancelled_at is not None:
        return "Cancelled"
    if order.fulfillment_status == "fulfilled":
        return "Shipped"
    if order.financial_status in PAID_STATUSES:
        return "Processed"
    return "Checkout Completed"


@dataclass
class _Name:
    """The values one contact property may hold. W7: the newest source wins, by its
    `updated_at`; sources tied at the newest are all allowed. Names typed at checkout by a
    customer only fill in what the customer record lacks, and the SPEC gives them no version
    of their own, so each of those is allowed too."""

    ranked: list[tuple[int, str]] = field(default_factory=list)
    filled_in: set[str] = field(default_factory=set)

    def allowed(self) -> list[str]:
        newest = max((version for version, _ in self.ranked), default=None)
        values = {value for version, value in self.ranked if version == newest}
        return sorted(values | self.filled_in)


@dataclass
class _Contact:
    names: dict[str, _Name] = field(default_factory=lambda: {name: _Name() for name in NAMES})
    sources: list[str] = field(default_factory=list)
    # C9: when the first of the contact's orders, whatever became of it, was processed.
    first_order: int | None = None

    def record(self, email: str) -> dict[str, Any]:
        allowed = {name: value.allowed() for name, value in self.names.items()}
        first_order = TimeFormat.graphql(self.first_order)
        return {"email": email, **allowed, "sources": self.sources, "first_order": first_order}


def expected(
    store: Store, now: float, abandon_after_seconds: float, *, records: bool = False
) -> dict[str, Any]:
    """Counts of what HubSpot should hold; with `records`, each record as well (contacts by
    email with the names they may hold, products and deals by key)."""
    with store.lock:
        shop = store.shop.domain.lower()
        contacts = _contacts(store)
        products = [
            _product(shop, product, variant)
            for product in store.products
            for variant in product.variants
        ]
        deals = [_order_deal(shop, order, _buyer_email(store, order)) for order in store.orders]
        deals += [
            _checkout_deal(shop, store.shop.currency, checkout, now - abandon_after_seconds)
            for checkout in store.checkouts
            if checkout.completed_at is None  # it became an order: that order is its deal
        ]
        # The Admin GraphQL API shows a checkout's email only through its customer: a guest's
        # email typed at checkout reaches an app by webhook alone.
        elsewhere = {_email(o.email) for o in store.orders} | {
            _email(c.email) for c in store.customers
        }
        guests = {
            email
            for c in store.checkouts
            if c.customer_id is None and (email := _email(c.email)) and email not in elsewhere
        }
        stages = dict.fromkeys(STAGES, 0)
        for deal in deals:
            stages[deal["stage"]] += 1
        answer: dict[str, Any] = {
            "contacts": len(contacts),
            "contacts_only_in_webhooks": len(guests),
            "products": len(products),
            "deals": len(deals),
            "deals_by_stage": stages,
            "now": now,
            "abandon_after_seconds": abandon_after_seconds,
        }
        if records:
            answer["records"] = {
                "contacts": [contact.record(email) for email, contact in contacts.items()],
                "products": products,
                "deals": deals,
            }
        return answer


def _email(email: str | None) -> str | None:
    """C1: contacts are one per email, case-insensitive."""
    return (email or "").strip().lower() or None


def _contacts(store: Store) -> dict[str, _Contact]:
    contacts: dict[str, _Contact] = defaultdict(_Contact)
    for customer in store.customers:
        email = _email(customer.email)
        if email:
            contact = contacts[email]
            contact.sources.append(gid("Customer", customer.id))
            for name, value in _names(customer.first_name, customer.last_name):
                contact.names[name].ranked.append((customer.updated_at, value))
    sales: Iterable[Order | Checkout] = [*store.orders, *store.checkouts]
    for sale in sales:
        buyer = store.customer_of(sale)
        email = _buyer_email(store, sale)
        if not email:
            continue  # C2, D3: no email, no contact
        contact = contacts[email]
        kind = "Order" if isinstance(sale, Order) else "AbandonedCheckout"
        contact.sources.append(gid(kind, sale.id))
        if isinstance(sale, Order):
            firsts = [sale.processed_at, *filter(None, [contact.first_order])]
            contact.first_order = min(firsts)
        own = dict(_names(buyer.first_name, buyer.last_name)) if buyer else {}
        for name, value in _typed_names(sale.billing_address):
            if buyer is None:
                contact.names[name].ranked.append((sale.updated_at, value))
            elif name not in own:
                contact.names[name].filled_in.add(value)
    return dict(contacts)


def _buyer_email(store: Store, sale: Order | Checkout) -> str | None:
    """C10: a customer's sale belongs to the customer's contact; a guest's to the email typed
    at checkout."""
    buyer = store.customer_of(sale)
    return _email(buyer.email if buyer and buyer.email else sale.email)


def _names(first: str | None, last: str | None) -> list[tuple[str, str]]:
    """C3: an empty value is no value."""
    pairs = zip(NAMES, (first, last), strict=True)
    return [(name, value.strip()) for name, value in pairs if value and value.strip()]


def _typed_names(address: Address | None) -> list[tuple[str, str]]:
    return [] if address is None else _names(address.first_name, address.last_name)


def _product(shop: str, product: Product, variant: Variant) -> dict[str, Any]:
    """P3: one HubSpot product per variant, named after the product and, unless the product
    has only its default variant, the variant."""
    name = product.title
    if not product.has_only_default_variant:
        name = f"{product.title} - {variant.title}"
    return {
        "key": f"{shop}:{product.id}:{variant.id}",
        "name": name,
        "price": amount(variant.price),
    }


def _order_deal(shop: str, order: Order, contact: str | None) -> dict[str, Any]:
    """D2, D4, D7: the order's deal is its checkout's when it came through one. The Admin API's
    orders do not name their checkout, so an order read there is keyed by its id instead.
    `contact` is the email of its buyer's contact, None for a guest without one (D3)."""
    keys = [f"{shop}:order:{order.id}"]
    if order.checkout_token:
        keys.insert(0, f"{shop}:{order.checkout_token}")
    return {
        "keys": keys,
        "stage": order_stage(order),
        # The total after refunds, in the shop's currency.
        "amount": amount(order.total - order.refunded),
        "refunded": amount(order.refunded),
        "processed_at": TimeFormat.graphql(order.processed_at),
        "contact": contact,
        "name": order.name,
        "line_items": _line_names(order.line_items),
    }


def _checkout_deal(
    shop: str, shop_currency: str, checkout: Checkout, abandoned_before: float
) -> dict[str, Any]:
    """D7, D8: a checkout that became no order is pending, and abandoned once created
    before `abandoned_before`; its amounts are in the currency the buyer saw."""
    total = convert(checkout.total, shop_currency, checkout.presentment_currency)
    abandoned = checkout.created_at <= abandoned_before
    return {
        "keys": [f"{shop}:{checkout.token}"],
        "stage": "Checkout Abandoned" if abandoned else "Checkout Pending",
        "amount": amount(total),
        "name": f"Checkout {checkout.token[:8]}",
        "line_items": _line_names(checkout.line_items),
    }


def _line_names(lines: Iterable[LineItem | CheckoutLine]) -> list[str]:
    """D9: a line item is named after its product title and variant title."""
    names = []
    for line in lines:
        variant = (line.variant_title or "").strip()
        plain = not variant or variant == DEFAULT_VARIANT_TITLE
        names.append(line.title if plain else f"{line.title} - {variant}")
    return sorted(names)
