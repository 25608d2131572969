"""The buyers of orders and checkouts as contacts: written once per sale, whichever records
(deal, HubSpot order or cart) the sale becomes (SPEC T1)."""

from __future__ import annotations

from collections.abc import Sequence

from shopspot.mapping.contacts import buyer_contact_properties
from shopspot.mapping.values import ms, shop_domain
from shopspot.shopify.models import Checkout, Order
from shopspot.sync.contacts import ContactWrite, write_contacts
from shopspot.sync.context import SyncContext

Sale = Order | Checkout


class Buyers:
    """The contacts of one shop's sales in one flush, each written on first asking."""

    def __init__(self, ctx: SyncContext, shop: str) -> None:
        self._ctx = ctx
        self._shop = shop
        self._ids: dict[int, str | None] = {}  # by id() of the sale

    def contact_ids(self, sales: Sequence[Sale]) -> list[str | None]:
        """The HubSpot id of each sale's contact (None: no contact, D3)."""
        new = list({id(sale): sale for sale in sales if id(sale) not in self._ids}.values())
        written = write_contacts(self._ctx, [buyer(self._shop, sale) for sale in new])
        self._ids |= {id(sale): cid for sale, cid in zip(new, written, strict=True)}
        return [self._ids[id(sale)] for sale in sales]


def buyer(shop: str, sale: Sale) -> ContactWrite:
    """The buyer's contact as the sale shows it (W7): the embedded customer is a snapshot as
    of its own `updated_at`, and the names typed at checkout only fill in for it, so both
    carry the customer's version; a guest's carry the sale's."""
    source = sale.customer.updated_at if sale.customer else sale.updated_at
    placed = (sale.processed_at or sale.created_at) if isinstance(sale, Order) else None
    return ContactWrite(
        buyer_contact_properties(shop, sale),
        version=ms(source) or 0,
        placed=ms(placed),
        customer=(shop_domain(shop), sale.customer.id) if sale.customer else None,
    )
