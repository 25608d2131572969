"""The eight reports (R1) computed by hand from a small shop, definition by definition."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shopspot.mapping.datamodel import Stage
from shopspot.reports.figures import Contact, Deal, Month, reports
from shopspot.reports.render import html, text

STAGES = [stage.value for stage in Stage]
NOV, OCT = Month(2026, 11), Month(2026, 10)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


CONTACTS = {
    "new": Contact(first_order=at(11, 3), source="ORGANIC_SEARCH"),
    "old": Contact(first_order=at(10, 2), source="PAID_SEARCH"),
    "oct": Contact(first_order=at(10, 20), source=None),
}
DEALS = [
    Deal("Processed", Decimal("100.00"), at(11, 3), None, "new"),
    Deal("Shipped", Decimal("50.50"), at(11, 3, 23), None, "old"),
    Deal("Processed", Decimal("20.00"), at(11, 30), None, None),  # a guest
    Deal("Processed", Decimal("70.00"), at(10, 2), None, "old"),  # sold, but last month
    Deal("Shipped", Decimal("30.00"), at(10, 20), None, "oct"),
    Deal("Cancelled", Decimal("999.00"), at(11, 4), None, "new"),  # never sold
    Deal("Checkout Completed", Decimal("15.00"), at(11, 5), at(11, 2), "new"),  # recovered
    Deal("Checkout Abandoned", Decimal("40.00"), None, at(11, 6), None),
    Deal("Checkout Abandoned", Decimal("10.00"), None, at(10, 30), None),  # last month's
    Deal("Checkout Pending", Decimal("5.00"), None, None, None),
]


def test_the_eight_reports_follow_their_definitions() -> None:
    report = reports(DEALS, CONTACTS, STAGES, NOV, goal=Decimal("300"))

    assert report["order_snapshot"] == {
        "Checkout Abandoned": {"count": 2, "amount": 50.0},
        "Checkout Pending": {"count": 1, "amount": 5.0},
        "Checkout Completed": {"count": 1, "amount": 15.0},
        "Processed": {"count": 3, "amount": 190.0},
        "Shipped": {"count": 2, "amount": 80.5},
        "Cancelled": {"count": 1, "amount": 999.0},
    }
    sales = report["new_sales_processed"]
    assert (sales["count"], sales["amount"]) == (3, 170.5)
    assert len(sales["by_day"]) == 30
    assert sales["by_day"]["2026-11-03"] == 150.5 and sales["by_day"]["2026-11-30"] == 20.0
    assert sum(sales["by_day"].values()) == 170.5
    assert report["new_vs_existing"] == {
        "new": {"count": 1, "amount": 100.0},
        "existing": {"count": 1, "amount": 50.5},
        "guest": {"count": 1, "amount": 20.0},
    }
    assert report["lifetime_value_by_source"] == {
        "GUEST": 20.0,
        "ORGANIC_SEARCH": 100.0,
        "PAID_SEARCH": 120.5,
        "UNKNOWN": 30.0,
    }
    assert report["average_order_value_by_source"] == {
        "GUEST": 20.0,
        "ORGANIC_SEARCH": 100.0,
        "PAID_SEARCH": 60.25,
        "UNKNOWN": 30.0,
    }
    assert report["sales_vs_goal"] == {"amount": 170.5, "goal": 300.0, "share": 0.5683}
    assert report["net_new_customers"] == {"month": 1, "previous_month": 2, "change": -1}
    assert report["abandoned_cart_recovery"] == {
        "abandoned": 2,
        "recovered": 1,
        "rate": 0.5,
        "recovered_amount": 15.0,
    }


def test_absent_values_are_null_not_zero() -> None:
    report = reports([], {}, STAGES, OCT, goal=None)

    assert report["sales_vs_goal"] == {"amount": 0.0, "goal": None, "share": None}
    assert report["abandoned_cart_recovery"]["rate"] is None
    assert report["lifetime_value_by_source"] == {}


def test_months_parse_and_step_back_over_a_year() -> None:
    assert Month.parse("2027-01").previous() == Month(2026, 12)
    assert str(Month.parse("2026-03")) == "2026-03"


def test_the_text_and_the_page_show_every_report() -> None:
    report = {"shop": "a.myshopify.com", "month": "2026-11"}
    report |= reports(DEALS, CONTACTS, STAGES, NOV, goal=Decimal("300"))

    shown, page = text(report), html(report)

    assert "Abandoned cart recovery" in shown and "170.50" in shown
    assert page.count("<svg") == 8 and "<script" not in page and "http" not in page.lower()
