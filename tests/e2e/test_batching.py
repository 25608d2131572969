"""Full batches when HubSpot's budget binds: a flush waits for the budget before it takes its
batch, so what arrives meanwhile is written together."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from shopspot.pending import PendingBuffer
from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.topics import Buffer
from tests.e2e.conftest import Shopspot
from tests.support.processes import wait_for
from tests.support.shopify import customer, order

pytestmark = pytest.mark.integration

ORDERS = 30
# One flush of orders, each with a buyer and a product HubSpot does not have yet: the contacts,
# the products looked up, then created, the deals (created with their contacts) and their line
# items (created with their deals).
CALLS_OF_ONE_FLUSH = 5


def _order(n: int) -> dict[str, Any]:
    email = f"buyer{n}@example.com"
    line = (8_000_000_000_100_000 + n, 8_100_000_000_100_000 + n, 9_100_000_000_000_000 + n,
            f"Item {n}", 1, "12.00")  # fmt: skip
    buyer = customer(customer_id=7_000_000_000_100_000 + n, email=email)
    return order(order_id=6_000_000_000_100_000 + n, email=email, lines=[line], buyer=buyer)


def _calls(shopspot: Shopspot) -> int:
    return int(shopspot.hubspot.stats()["requests"])


def test_orders_queued_while_the_budget_is_exhausted_are_written_in_one_flush(
    shopspot: Shopspot,
) -> None:
    rt = Runtime(
        load_settings(_env_file=None, **{k.lower(): v for k, v in shopspot.cli_env.items()})
    )
    budget = rt.hubspot.policy.budget()
    shopspot.send("orders/create", _order(ORDERS))  # the portal is set up on the first write
    deals = PendingBuffer(shopspot.redis, Buffer.DEALS)
    before = _calls(shopspot)

    # As after a 429 from another app of the account: every process waits.
    rt.limiter.cool_down(budget, 8.0)
    handled = shopspot.handled()
    answers = [shopspot.post("orders/create", _order(0))]
    wait_for(lambda: shopspot.handled() > handled, message="the first order queued")
    time.sleep(1.0)  # the flush it scheduled comes by while the budget cools down
    with ThreadPoolExecutor(6) as pool:
        answers += pool.map(lambda n: shopspot.post("orders/create", _order(n)), range(1, ORDERS))
    wait_for(lambda: shopspot.handled() == handled + ORDERS, message="every order queued")
    held = (deals.waiting(), deals.in_flight())
    cooling = rt.limiter.free_in(budget)
    shopspot.settle()
    calls = _calls(shopspot) - before

    assert [answer.json()["status"] for answer in answers] == ["queued"] * ORDERS
    assert cooling > 0  # all of them came while the budget was cooling down
    assert held == (ORDERS, 0)  # and no flush took one to hold it meanwhile
    assert len(shopspot.records("deals", "dealname")) == ORDERS + 1
    assert calls == CALLS_OF_ONE_FLUSH
