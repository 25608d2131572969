"""R1: the page `shopspot report --html` writes, rendered by a browser at a phone's width, for a
small store sent as webhooks (the figures themselves: test_report.py)."""

from __future__ import annotations

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
