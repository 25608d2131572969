"""How `shopspot backfill` draws its progress while several kinds are written at once."""

from __future__ import annotations

import io

from shopspot.backfill.display import TerminalProgress
from shopspot.backfill.runner import KindResult

SHOP = "shop.myshopify.com"


def test_one_kind_running_draws_its_bar() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, every_seconds=0)
    progress.started(SHOP, "products", 200, 0)

    progress.advanced(SHOP, KindResult(kind="products", total=200, read=100))

    assert "products   [##############..............]      100/200" in stream.getvalue()


def test_kinds_running_side_by_side_share_one_line_of_counts() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, every_seconds=0)
    customers = KindResult(kind="customers", total=500, read=100)
    orders = KindResult(kind="orders", total=2000, read=0)
    for result in (customers, orders):
        progress.started(SHOP, result.kind, result.total, 0)

    progress.advanced(SHOP, customers)
    orders.read = 400
    progress.advanced(SHOP, orders)
    customers.read, customers.done = 500, True
    progress.finished(SHOP, customers)
    orders.read = 800
    progress.advanced(SHOP, orders)

    lines = stream.getvalue().splitlines()
    assert lines[-3].startswith(f"{SHOP} customers 100/500 (") and "orders 400/2,000 (" in lines[-3]
    assert lines[-2].startswith(f"{SHOP} customers  [") and lines[-2].endswith("done")
    # The finished kind leaves the line: the one still running has its bar again.
    assert lines[-1].startswith(f"{SHOP} orders     [") and "800/2,000" in lines[-1]
