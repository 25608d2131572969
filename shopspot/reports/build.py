"""One store's eight reports for one month, read from HubSpot."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shopspot import portal
from shopspot.errors import PermanentError
from shopspot.mapping.values import shop_domain
from shopspot.reports.figures import Month, reports
from shopspot.reports.hubspot import STAGES, shop_deals
from shopspot.runtime import Runtime


def build(rt: Runtime, shop: str, month: Month | None, goal: Decimal | None) -> dict[str, Any]:
    """`shop` is one of the configured stores; the month defaults to the current one (UTC)."""
    setup = portal.load(rt.redis, rt.account)
    if setup is None:
        # Reports only read: they never create the pipeline they would report on.
        raise PermanentError("HubSpot is not set up for Shopspot yet: run `shopspot setup`")
    chosen = month or Month.of(datetime.fromtimestamp(rt.context.clock(), UTC))
    deals, contacts = shop_deals(rt.hubspot, setup.pipeline, shop)
    figures = reports(deals, contacts, STAGES, chosen, goal)
    return {"shop": shop_domain(shop), "month": str(chosen), **figures}
