"""What Shopspot should end up with in HubSpot for the store as it is now, computed from the
store's own records (never through Shopspot's code), per SPEC: contacts, products, deals and
the stage of each deal."""

from __future__ import annotations

from typing import Any

from .records import Order
from .store import PAID_STATUSES, Store

STAGES = (
    "Checkout Abandoned",
    "Checkout Pending",
    "Checkout Completed",
    "Processed",
    "Shipped",
    "Cancelled",
)


def order_stage(order: Order) -> str:
    if order.cancelled_at is not None:
        return "Cancelled"
    if order.fulfillment_status == "fulfilled":
        return "Shipped"
    if order.financial_status in PAID_STATUSES:
        return "Processed"
    return "Checkout Completed"


def expected(store: Store, now: float, abandon_after_seconds: float) -> dict[str, Any]:
    with store.lock:
        emails = {c.email.lower() for c in store.customers if c.email}
        emails.update(o.email.lower() for o in store.orders if o.email)
        # The Admin GraphQL API shows a checkout's email only through its customer: a guest's
        # email typed at checkout reaches an app by webhook alone.
        guests = {
            c.email.lower() for c in store.checkouts if c.email and c.customer_id is None
        } - emails
        emails.update(c.email.lower() for c in store.checkouts if c.email)
        stages = dict.fromkeys(STAGES, 0)
        for order in store.orders:
            stages[order_stage(order)] += 1
        for checkout in store.checkouts:
            if checkout.completed_at is not None:
                continue  # it became an order: that order is its deal
            old = now - checkout.created_at >= abandon_after_seconds
            stages["Checkout Abandoned" if old else "Checkout Pending"] += 1
        return {
            "contacts": len(emails),
            "contacts_only_in_webhooks": len(guests),
            "products": sum(len(product.variants) for product in store.products),
            "deals": sum(stages.values()),
            "deals_by_stage": stages,
            "now": now,
            "abandon_after_seconds": abandon_after_seconds,
        }
