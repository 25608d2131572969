"""R1: `shopspot report` for a store spread over two months, with a refund, a cancellation, a
guest, a pending payment and a recovered cart; the expected figures are worked out here from
what the store did (the truth table below), never through Shopspot's code."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.e2e.conftest import Shopspot
from tests.support.env import SHOP
from tests.support.shopify import checkout, customer, order

pytestmark = pytest.mark.integration

SOLD = ("Processed", "Shipped")
ORDER_STAGES = ("Checkout Completed", "Processed", "Shipped", "Cancelled")
RECOVERED_TOKEN, LOST_TOKEN = "e" * 32, "d" * 32


@dataclass(frozen=True)
class Sale:
    """One order as the store saw it: who bought, when, what it ended as, for how much."""

    buyer: str | None  # a customer of the table below, None for a guest
    month: str  # "this" or "last"
    day: int
    stage: str
    amount: str  # after refunds
    fields: dict[str, Any]
    total: str | None = None  # before refunds, when there were any


BUYERS = {"ada": "ORGANIC_SEARCH", "bob": None, "cy": "PAID_SOCIAL"}  # None: HubSpot's OFFLINE
SALES = [
    Sale("ada", "last", 10, "Processed", "70.00", {"financial_status": "paid"}),
    Sale("ada", "this", 5, "Shipped", "50.50", {"fulfillment_status": "fulfilled"}),
    Sale("bob", "this", 6, "Processed", "80.00",
         {"financial_status": "partially_refunded", "current_total_price": "80.00"}, "100.00"),
    Sale("bob", "this", 7, "Cancelled", "30.00", {"cancel_reason": "customer"}),
    Sale(None, "this", 8, "Processed", "20.00", {"financial_status": "paid"}),
    Sale("cy", "this", 9, "Checkout Completed", "15.00", {"financial_status": "pending"}),
    Sale("cy", "this", 12, "Processed", "40.00",
         {"financial_status": "paid", "checkout_token": RECOVERED_TOKEN}),
]  # fmt: skip
LOST_CART = "12.00"


def months() -> dict[str, datetime]:
    this = datetime.now(UTC).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return {"this": this, "last": (this - timedelta(days=1)).replace(day=1)}


def placed(sale: Sale) -> datetime:
    return months()[sale.month].replace(day=sale.day)


def send_store(shopspot: Shopspot) -> None:
    ids = {name: 7_000_000_000_000_001 + n for n, name in enumerate(BUYERS)}
    # Two carts abandoned long ago; the sweep finds them due at once.
    recovered = [(9_100_000_000_000_001, 8_000_000_000_000_001, 8_100_000_000_000_001,
                  "Analytical Mug", 1, "40.00")]  # fmt: skip
    shopspot.send("checkouts/create", checkout(token=RECOVERED_TOKEN, email="cy@example.com",
                                               lines=recovered))  # fmt: skip
    lost = [(*recovered[0][:5], LOST_CART)]
    shopspot.send("checkouts/create", checkout(token=LOST_TOKEN, email="dee@example.com",
                                               lines=lost))  # fmt: skip
    assert CliRunner().invoke(main, ["sweep"], env=shopspot.cli_env).exit_code == 0
    for n, sale in enumerate(SALES):
        when = placed(sale).isoformat()
        line = (9_000_000_000_000_001 + n, 8_000_000_000_000_001, 8_100_000_000_000_001,
                "Analytical Mug", 1, sale.total or sale.amount)  # fmt: skip
        fields: dict[str, Any] = {"created_at": when, "processed_at": when, **sale.fields}
        if sale.stage == "Cancelled":
            fields["cancelled_at"] = when
        buyer, email = None, None
        if sale.buyer:
            email = f"{sale.buyer}@example.com"
            buyer = customer(ids[sale.buyer], email, first_name=sale.buyer.title())
        shopspot.send("orders/create", order(6_000_000_000_000_001 + n, email=email,
                                             lines=[line], buyer=buyer, **fields))  # fmt: skip
    contacts = {c["email"]: c["id"] for c in shopspot.records("contacts", "email")}
    for name, source in BUYERS.items():
        if source:
            shopspot.hubspot.visited_from(contacts[f"{name}@example.com"], source)


def expected(goal: float) -> dict[str, Any]:
    """The figures the SPEC's definitions give on the truth table."""
    firsts: dict[str, datetime] = {}
    for sale in SALES:
        if sale.buyer:
            firsts[sale.buyer] = min(firsts.get(sale.buyer, placed(sale)), placed(sale))
    this = [s for s in SALES if s.stage in SOLD and s.month == "this"]
    amount = round(sum(float(s.amount) for s in this), 2)
    by_source: dict[str, list[float]] = {}
    for sale in (s for s in SALES if s.stage in SOLD):
        source = "GUEST" if sale.buyer is None else (BUYERS[sale.buyer] or "OFFLINE")
        by_source.setdefault(source, []).append(float(sale.amount))
    start = months()["this"].replace(hour=0)

    def customer_of(sale: Sale) -> str:
        if sale.buyer is None:
            return "guest"
        return "existing" if firsts[sale.buyer] < start else "new"

    def group(which: str) -> dict[str, Any]:
        chosen = [s for s in this if customer_of(s) == which]
        return {"count": len(chosen), "amount": round(sum(float(s.amount) for s in chosen), 2)}

    new_now = sum(f >= start for f in firsts.values())
    new_before = sum(f < start for f in firsts.values())
    recovered = [s for s in SALES if s.fields.get("checkout_token") == RECOVERED_TOKEN]
    return {
        "new_sales_processed": {"count": len(this), "amount": amount},
        "new_vs_existing": {name: group(name) for name in ("new", "existing", "guest")},
        "lifetime_value_by_source": {k: round(sum(v), 2) for k, v in sorted(by_source.items())},
        "average_order_value_by_source": {
            k: round(sum(v) / len(v), 2) for k, v in sorted(by_source.items())
        },
        "sales_vs_goal": {"amount": amount, "goal": goal, "share": round(amount / goal, 4)},
        "net_new_customers": {
            "month": new_now, "previous_month": new_before, "change": new_now - new_before
        },
        "abandoned_cart_recovery": {
            "abandoned": 2, "recovered": len(recovered), "rate": 0.5,
            "recovered_amount": round(sum(float(s.amount) for s in recovered), 2),
        },
    }  # fmt: skip


def test_r1_the_eight_reports_match_what_the_store_did(shopspot: Shopspot, tmp_path: Path) -> None:
    send_store(shopspot)
    page = tmp_path / "report.html"
    month = months()["this"].strftime("%Y-%m")
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--shop",
            SHOP,
            "--month",
            month,
            "--goal",
            "200",
            "--json",
            "--html",
            str(page),
        ],
        env=shopspot.cli_env,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)

    assert (report["shop"], report["month"]) == (SHOP, month)
    truth = expected(goal=200.0)
    by_day = report["new_sales_processed"].pop("by_day")
    for name, figures in truth.items():
        assert report[name] == figures, name
    assert sum(by_day.values()) == truth["new_sales_processed"]["amount"]
    snapshot = {stage: v["count"] for stage, v in report["order_snapshot"].items() if v["count"]}
    stages = [s.stage for s in SALES] + ["Checkout Abandoned"]
    assert snapshot == {stage: stages.count(stage) for stage in set(stages)}
    assert page.read_text().count("<svg") == 8


def browser() -> str | None:
    return next(
        (found for name in ("chromium", "chromium-browser", "google-chrome")
         if (found := shutil.which(name))),
        None,
    )  # fmt: skip


@pytest.mark.skipif(browser() is None, reason="no Chromium or Chrome installed to render the page")
def test_r1_the_html_report_renders_in_a_browser_with_its_eight_charts(
    shopspot: Shopspot, tmp_path: Path
) -> None:
    send_store(shopspot)
    page = tmp_path / "report.html"
    command = ["report", "--shop", SHOP, "--html", str(page)]
    result = CliRunner().invoke(main, command, env=shopspot.cli_env)
    assert result.exit_code == 0, result.output

    # A phone's width; the page must lay out there with every chart drawn.
    command = [str(browser()), "--headless", "--no-sandbox", "--disable-gpu",
               "--window-size=390,3000"]  # fmt: skip
    dom = subprocess.run([*command, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    shot = tmp_path / "report.png"
    subprocess.run([*command, f"--screenshot={shot}", page.as_uri()], capture_output=True,
                   timeout=60, check=True)  # fmt: skip
    assert dom.stdout.count("<svg") == 8 and dom.stdout.count("<section") == 8
    assert shot.stat().st_size > 10_000
