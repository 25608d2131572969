"""One store's eight reports for one month, read from HubSpot."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shopspot import portal
from shopspot.errors import PermanentError
from shopspot.mapping.values import shop_domain
from shopspot.reports.commerce import shop_orders
from shopspot.reports.figures import Contact, Deal, Month, reports
from shopspot.reports.hubspot import STAGES, shop_deals
from shopspot.runtime import Runtime
from shopspot.targets import writes_deals


def build(rt: Runtime, shop: str, month: Month | None, goal: Decimal | None) -> dict[str, Any]:
    """`shop` is one of the configured stores; the month defaults to the current one (UTC)."""
    chosen = month or Month.of(datetime.fromtimestamp(rt.context.clock(), UTC))
    deals, contacts = _read(rt, shop)
    figures = reports(deals, contacts, STAGES, chosen, goal)
    return {"shop": shop_domain(shop), "month": str(chosen), **figures}


def _read(rt: Runtime, shop: str) -> tuple[list[Deal], dict[str, Contact]]:
    """The deals of the sync target's records: deals for `deals` and `both` (which still
    writes them), HubSpot orders and carts for `commerce`."""
    setup = portal.load(rt.redis, rt.account)
    if setup is None:
        # Reports only read: they never create the pipeline they would report on.
        raise PermanentError("HubSpot is not set up for Shopspot yet: run `shopspot setup`")
    if writes_deals(rt.settings.hubspot_sync_target):
        return shop_deals(rt.hubspot, setup.pipeline, shop)
    if setup.order_pipeline is None:
        raise PermanentError(
            "HubSpot is not set up for the commerce target yet: run `shopspot setup`"
        )
    return shop_orders(rt.hubspot, setup.order_pipeline, shop)
