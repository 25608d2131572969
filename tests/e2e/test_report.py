"""R1: `shopspot report` for a simulated store spread over two months, with refunds,
cancellations, guests and a recovered cart, synced with each target: the same figures whether
they are read from deals (deals, both) or from HubSpot orders and carts (commerce).

The expected figures are worked out here from the simulator's truth (its expected records)
and from what the test itself did (the contacts' original sources, when the sweep ran), never
through Shopspot's code. The store's own clock is fixed in the past, so every checkout still
open is long abandoned when the sweep runs."""

from __future__ import annotations

import calendar
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.support.processes import start_receiver, start_worker, wait_for
from tests.support.simulated import Simulated

pytestmark = pytest.mark.integration

STAGES = (
    "Checkout Abandoned", "Checkout Pending", "Checkout Completed", "Processed", "Shipped",
    "Cancelled",
)  # fmt: skip
SOLD = ("Processed", "Shipped")
ORDER_STAGES = ("Checkout Completed", "Processed", "Shipped", "Cancelled")
# Seed and sizes chosen so that March has sales, refunds, a cancellation and guests, and
# February too; the store's "now" is late in March.
NOW = datetime(2026, 3, 28, 12, tzinfo=UTC)
STORE = {"seed": 8, "products": 6, "customers": 50, "orders": 200, "checkouts": 6, "now": NOW}
MONTH, PREVIOUS = "2026-03", "2026-02"
SOURCES = ("ORGANIC_SEARCH", "PAID_SOCIAL", "REFERRALS", "OFFLINE")
GOAL = Decimal("5000")


@dataclass(frozen=True)
class Sale:
    """A deal as the store's truth makes it: an order, or a checkout never completed."""

    stage: str
    amount: Decimal  # after refunds
    refunded: Decimal
    processed: datetime | None
    abandoned: datetime | None  # when the sweep found its checkout abandoned
    contact: str | None  # the email of its contact; None: no contact (a guest without email)


@pytest.fixture(params=["deals", "commerce", "both"])
def running(
    request: pytest.FixtureRequest, simulated: Simulated, tmp_path: Path
) -> Iterator[Simulated]:
    """The simulated store and Shopspot's receiver and worker, syncing with a target."""
    simulated.env["HUBSPOT_SYNC_TARGET"] = request.param
    receiver, url = start_receiver(simulated.env_for_processes(), tmp_path)
    worker = start_worker(simulated.env_for_processes(), tmp_path)
    simulated.env["PUBLIC_URL"] = url
    yield simulated
    worker.stop()
    receiver.stop()


@pytest.mark.parametrize("simulated", [STORE], indirect=True)
def test_r1_the_reports_are_the_figures_of_the_stores_truth(
    running: Simulated, tmp_path: Path
) -> None:
    running.cli("setup")
    running.cli("backfill")
    swept = sweep(running)
    recovered = recover_a_checkout(running)
    sources = visits(running)
    records = running.simulator.client.get("/_simulator/expected", params={"records": "true"})
    truth = records.json()["records"]
    sales = sales_of(truth["deals"], recovered, swept)
    firsts = {
        contact["email"]: moment(contact["first_order"])
        for contact in truth["contacts"]
        if contact["first_order"]
    }

    # What the month must hold for the test to mean something.
    march = [sale for sale in sales if month_of(sale.processed) == MONTH]
    assert any(sale.stage in SOLD and sale.refunded for sale in march)
    assert any(sale.stage == "Cancelled" for sale in march)
    assert any(sale.stage in SOLD and sale.contact is None for sale in march)
    # The recovered checkout's order, placed at the store's "now".
    assert [month_of(s.processed) for s in sales if s.abandoned and s.processed] == [MONTH]

    page = tmp_path / "report.html"
    for month in dict.fromkeys([MONTH, PREVIOUS, month_of(swept)]):
        command = ["report", "--month", month, "--goal", str(GOAL), "--json"]
        report = json.loads(running.cli(*command, "--html", str(page)))
        expected = figures(sales, firsts, sources, month, GOAL)
        assert report == {"shop": running.env["SHOPIFY_SHOP_DOMAIN"], "month": month, **expected}
        assert page.read_text().count("<svg") == 8
    assert running.dead_letters() == []


def sweep(running: Simulated) -> datetime:
    """Runs the sweep within one calendar month (UTC) and says when: the month its checkouts
    count as abandoned in."""
    now = datetime.now(UTC)
    days = calendar.monthrange(now.year, now.month)[1]
    next_month = datetime(now.year, now.month, days, tzinfo=UTC) + timedelta(days=1)
    if next_month - now < timedelta(minutes=1):
        time.sleep((next_month - now).total_seconds() + 1)
    started = datetime.now(UTC)
    running.cli("sweep")
    running.settle()
    assert month_of(datetime.now(UTC)) == month_of(started)
    return started


def recover_a_checkout(running: Simulated) -> str:
    """The simulator completes one abandoned checkout as an order and sends its webhooks;
    returns the order's id once Shopspot has written them."""
    answer = running.simulator.client.post(
        "/_simulator/changes", json={"kind": "checkout_recovered"}
    )
    assert answer.status_code == 200, answer.text
    (change,) = answer.json()["changes"]
    wait_for(lambda: running.simulator.stats()["webhooks_pending"] == 0, timeout=30,
             message="the recovery's webhooks to be delivered")  # fmt: skip
    running.settle()
    return str(change["id"]).rsplit("/", 1)[1]


def visits(running: Simulated) -> dict[str, str]:
    """Gives every contact an original source, as HubSpot's tracking would: {email: source}."""
    contacts = sorted(running.hubspot.records("contacts", ["email"]),
                      key=lambda c: c["properties"]["email"])  # fmt: skip
    sources = {}
    for n, contact in enumerate(contacts):
        source = SOURCES[n % len(SOURCES)]
        running.hubspot.visited_from(contact["id"], source)
        sources[contact["properties"]["email"]] = source
    return sources


def sales_of(deals: Sequence[dict[str, Any]], recovered: str, swept: datetime) -> list[Sale]:
    sales = []
    for deal in deals:
        amount = Decimal(deal["amount"])
        if "processed_at" not in deal:
            # A checkout no order completed: created long before the sweep, which abandoned it.
            sales.append(Sale("Checkout Abandoned", amount, Decimal(0), None, swept, None))
            continue
        was_abandoned = any(key.endswith(f":order:{recovered}") for key in deal["keys"])
        sales.append(
            Sale(
                deal["stage"],
                amount,
                Decimal(deal["refunded"]),
                moment(deal["processed_at"]),
                swept if was_abandoned else None,
                deal["contact"],
            )
        )
    return sales


def figures(
    sales: Sequence[Sale],
    firsts: dict[str, datetime],
    sources: dict[str, str],
    month: str,
    goal: Decimal,
) -> dict[str, Any]:
    """The SPEC's eight definitions, applied to the truth."""
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    previous = month_of(start - timedelta(days=1))
    sold = [s for s in sales if s.stage in SOLD]
    this = [s for s in sold if month_of(s.processed) == month]

    def customer_kind(sale: Sale) -> str:
        if sale.contact is None:
            return "guest"
        return "existing" if firsts[sale.contact] < start else "new"

    by_source: dict[str, list[Sale]] = {}
    for sale in sold:
        source = "GUEST" if sale.contact is None else sources[sale.contact]
        by_source.setdefault(source, []).append(sale)
    days = calendar.monthrange(start.year, start.month)[1]
    by_day = {f"{month}-{day:02d}": Decimal(0) for day in range(1, days + 1)}
    for sale in this:
        by_day[day_of(sale.processed)] += sale.amount
    customers = {s.contact for s in sales if s.contact in firsts}
    new_now = sum(month_of(firsts[c]) == month for c in customers if c)
    new_before = sum(month_of(firsts[c]) == previous for c in customers if c)
    abandoned = [s for s in sales if month_of(s.abandoned) == month]
    recovered = [s for s in abandoned if s.stage in ORDER_STAGES]
    amount = cents(total(this))
    return {
        "order_snapshot": {
            stage: {"count": len(found), "amount": cents(total(found))}
            for stage in STAGES
            for found in [[s for s in sales if s.stage == stage]]
        },
        "new_sales_processed": {
            "count": len(this),
            "amount": amount,
            "by_day": {day: cents(value) for day, value in by_day.items()},
        },
        "new_vs_existing": {
            kind: {"count": len(found), "amount": cents(total(found))}
            for kind in ("new", "existing", "guest")
            for found in [[s for s in this if customer_kind(s) == kind]]
        },
        "lifetime_value_by_source": {
            source: cents(total(found)) for source, found in sorted(by_source.items())
        },
        "average_order_value_by_source": {
            source: cents(total(found) / len(found)) for source, found in sorted(by_source.items())
        },
        "sales_vs_goal": {
            "amount": amount,
            "goal": cents(goal),
            "share": float((Decimal(str(amount)) / goal).quantize(Decimal("0.0001"))),
        },
        "net_new_customers": {
            "month": new_now, "previous_month": new_before, "change": new_now - new_before
        },
        "abandoned_cart_recovery": {
            "abandoned": len(abandoned),
            "recovered": len(recovered),
            "rate": float((Decimal(len(recovered)) / len(abandoned)).quantize(Decimal("0.0001")))
            if abandoned
            else None,
            "recovered_amount": cents(total(recovered)),
        },
    }  # fmt: skip


def total(sales: Sequence[Sale]) -> Decimal:
    return sum((sale.amount for sale in sales), Decimal(0))


def cents(amount: Decimal) -> float:
    return float(amount.quantize(Decimal("0.01")))


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def month_of(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).strftime("%Y-%m")


def day_of(when: datetime | None) -> str:
    assert when is not None
    return when.astimezone(UTC).strftime("%Y-%m-%d")
