"""The eight reports (R1) as pure functions of the shop's deals and their contacts.

Definitions: a month is a calendar month in UTC; "sold" is a deal in Processed or Shipped;
amounts are the deals' `amount`. Amounts come out rounded to cents, ratios to four places,
and what cannot be known is None.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from shopspot.mapping.datamodel import Stage

SOLD = frozenset({Stage.PROCESSED.value, Stage.SHIPPED.value})
# A checkout that became an order sits in one of these, whatever became of the order since.
ORDER_STAGES = frozenset(
    {Stage.CHECKOUT_COMPLETED.value, Stage.PROCESSED.value, Stage.SHIPPED.value}
    | {Stage.CANCELLED.value}
)
GUEST, UNKNOWN = "GUEST", "UNKNOWN"


@dataclass(frozen=True)
class Deal:
    stage: str  # the stage's label
    amount: Decimal
    closed: datetime | None
    abandoned: datetime | None  # when the sweep moved it to Checkout Abandoned
    contact: str | None  # the HubSpot id of its contact


@dataclass(frozen=True)
class Contact:
    first_order: datetime | None
    source: str | None  # HubSpot's Original Source, hs_analytics_source


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """`YYYY-MM`; ValueError otherwise."""
        moment = datetime.strptime(text, "%Y-%m")
        return cls(moment.year, moment.month)

    @classmethod
    def of(cls, moment: datetime) -> Month:
        moment = moment.astimezone(UTC)
        return cls(moment.year, moment.month)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and Month.of(moment) == self

    def starts_after(self, moment: datetime) -> bool:
        return moment.astimezone(UTC) < datetime(self.year, self.month, 1, tzinfo=UTC)

    def days(self) -> list[date]:
        count = calendar.monthrange(self.year, self.month)[1]
        return [date(self.year, self.month, day) for day in range(1, count + 1)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def reports(
    deals: Sequence[Deal],
    contacts: Mapping[str, Contact],
    stages: Sequence[str],
    month: Month,
    goal: Decimal | None,
) -> dict[str, Any]:
    """The eight reports, keyed as `shopspot report --json` prints them."""
    sold_in_month = [d for d in deals if d.stage in SOLD and month.holds(d.closed)]
    processed = _new_sales(sold_in_month, month)
    return {
        "order_snapshot": _snapshot(deals, stages),
        "new_sales_processed": processed,
        "new_vs_existing": _new_vs_existing(sold_in_month, contacts, month),
        "lifetime_value_by_source": _by_source(deals, contacts, average=False),
        "average_order_value_by_source": _by_source(deals, contacts, average=True),
        "sales_vs_goal": {
            "amount": processed["amount"],
            "goal": _cents(goal),
            "share": _ratio(Decimal(str(processed["amount"])), goal),
        },
        "net_new_customers": _net_new(deals, contacts, month),
        "abandoned_cart_recovery": _recovery(deals, month),
    }


def _snapshot(deals: Sequence[Deal], stages: Sequence[str]) -> dict[str, Any]:
    """1. Each stage of the pipeline: how many deals are in it now, and their amount."""
    return {
        stage: {"count": len(found), "amount": _sum(found)}
        for stage in stages
        for found in [[d for d in deals if d.stage == stage]]
    }


def _new_sales(sold: Sequence[Deal], month: Month) -> dict[str, Any]:
    """2. Sold deals closed in the month: count, amount, and amount per day."""
    by_day: dict[date, Decimal] = {day: Decimal(0) for day in month.days()}
    for deal in sold:
        if deal.closed is not None:
            by_day[deal.closed.astimezone(UTC).date()] += deal.amount
    return {
        "count": len(sold),
        "amount": _sum(sold),
        "by_day": {day.isoformat(): _cents(amount) for day, amount in by_day.items()},
    }


def _new_vs_existing(
    sold: Sequence[Deal], contacts: Mapping[str, Contact], month: Month
) -> dict[str, Any]:
    """3. The deals of 2 by their contact's first order: before the month is an existing
    customer, in it (or unknown: this is the first order seen) a new one, no contact a guest."""
    groups: dict[str, list[Deal]] = {"new": [], "existing": [], "guest": []}
    for deal in sold:
        contact = contacts.get(deal.contact) if deal.contact else None
        if contact is None:
            groups["guest"].append(deal)
        elif contact.first_order is not None and month.starts_after(contact.first_order):
            groups["existing"].append(deal)
        else:
            groups["new"].append(deal)
    return {name: {"count": len(found), "amount": _sum(found)} for name, found in groups.items()}


def _by_source(
    deals: Sequence[Deal], contacts: Mapping[str, Contact], *, average: bool
) -> dict[str, Any]:
    """4 and 5. Every sold deal ever, by its contact's original source: the amount summed, or
    its average per deal."""
    groups: dict[str, list[Deal]] = defaultdict(list)
    for deal in deals:
        if deal.stage in SOLD:
            contact = contacts.get(deal.contact) if deal.contact else None
            source = GUEST if contact is None else (contact.source or UNKNOWN)
            groups[source].append(deal)
    return {
        source: _cents(sum((d.amount for d in found), Decimal(0)) / len(found))
        if average
        else _sum(found)
        for source, found in sorted(groups.items())
    }


def _net_new(
    deals: Sequence[Deal], contacts: Mapping[str, Contact], month: Month
) -> dict[str, Any]:
    """7. The shop's customers whose first order was in the month, against the month before."""
    mine = {deal.contact for deal in deals if deal.contact in contacts}
    firsts = [contacts[cid].first_order for cid in mine if cid is not None]
    now = sum(month.holds(first) for first in firsts)
    before = sum(month.previous().holds(first) for first in firsts)
    return {"month": now, "previous_month": before, "change": now - before}


def _recovery(deals: Sequence[Deal], month: Month) -> dict[str, Any]:
    """8. Checkouts the sweep abandoned in the month, and those of them that became orders."""
    abandoned = [d for d in deals if month.holds(d.abandoned)]
    recovered = [d for d in abandoned if d.stage in ORDER_STAGES]
    return {
        "abandoned": len(abandoned),
        "recovered": len(recovered),
        "rate": _ratio(Decimal(len(recovered)), Decimal(len(abandoned)) or None),
        "recovered_amount": _sum(recovered),
    }


def _sum(deals: Iterable[Deal]) -> float:
    return _cents(sum((deal.amount for deal in deals), Decimal(0))) or 0.0


def _cents(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount.quantize(Decimal("0.01")))


def _ratio(part: Decimal, whole: Decimal | None) -> float | None:
    return None if not whole else float((part / whole).quantize(Decimal("0.0001")))
