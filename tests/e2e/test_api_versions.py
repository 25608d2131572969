"""H1: HubSpot's date-based API versions, through the running stack. Shopspot speaks the
version HUBSPOT_API_VERSION names and no other; from 2026-09 the portal's own validation
rules apply to its writes, and a record one refuses becomes a dead letter alone."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from cli.main import main
from shopspot.hubspot.paths import DEFAULT_VERSION
from tests.e2e.conftest import Shopspot
from tests.support.processes import wait_for
from tests.support.shopify import MUG_LINE, checkout, customer, order, product

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize(
        "shopspot_stack",
        [
            pytest.param({}, id="default version"),
            pytest.param({"HUBSPOT_API_VERSION": "v3"}, id="legacy v3"),
        ],
        indirect=True,
    ),
]

# Endpoints HubSpot publishes no date-based form of, which Shopspot calls by their number
# whatever the version: none (the README lists every endpoint).
LEGACY_ONLY: frozenset[str] = frozenset()
NUMBERED = re.compile(r"/v\d+/")
RULE = {"object_type": "deals", "required_on_create": "shopify_note"}


def version(shopspot: Shopspot) -> str:
    return shopspot.cli_env.get("HUBSPOT_API_VERSION", DEFAULT_VERSION)


def cli(shopspot: Shopspot, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=shopspot.cli_env)
    assert result.exit_code == 0, result.output
    return result.output


def test_h1_setup_sync_and_sweep_call_only_the_paths_of_the_version_set(
    shopspot: Shopspot,
) -> None:
    shopspot.hubspot.control.post("/_sandbox/reset", json={})  # an untouched portal, no calls
    cli(shopspot, "setup")
    shopspot.send("products/create", product())
    shopspot.send("customers/create", customer())
    shopspot.send("orders/create", order(buyer=customer()))
    # A known order: its deal and line items are upserted and associated, not created.
    shopspot.send("orders/updated", order(buyer=customer(), minute=20))
    # A teapot Shopspot has not met: looked up in HubSpot, then written. Long since due.
    teapot = (9_000_000_000_000_009, 8_000_000_000_000_009, 8_100_000_000_000_009, "Teapot",
              1, "30.00")  # fmt: skip
    shopspot.send("checkouts/create", checkout(token="ab" * 16, lines=[teapot]))
    shopspot.send("products/delete", {"id": 8_000_000_000_000_001})
    swept = cli(shopspot, "sweep")
    called = set(shopspot.hubspot.stats()["by_endpoint"])

    assert swept.startswith("1 checkouts due"), swept
    numbered = {endpoint for endpoint in called if NUMBERED.search(endpoint)}
    if version(shopspot) == "v3":
        assert numbered == called
    else:
        assert numbered <= LEGACY_ONLY
        assert all(f"/{version(shopspot)}/" in endpoint for endpoint in called - numbered)
    # Every kind of call Shopspot makes was made, so the check above covers them all.
    kinds = {re.sub(r"/(v\d+|\d{4}-\d\d)(?=/)", "", endpoint) for endpoint in called}
    assert kinds >= {
        "GET /account-info/details",
        "POST /crm/properties/deals/groups",
        "GET /crm/properties/deals",
        "POST /crm/properties/deals/batch/create",
        "GET /crm/pipelines/deals",
        "POST /crm/pipelines/deals",
        "POST /crm/objects/products/batch/upsert",
        "POST /crm/objects/contacts/batch/upsert",
        "POST /crm/objects/deals/batch/create",
        "POST /crm/objects/deals/batch/upsert",
        "POST /crm/objects/line_items/batch/create",
        "POST /crm/objects/line_items/batch/upsert",
        "POST /crm/objects/products/batch/read",
        "POST /crm/objects/products/batch/archive",
        "POST /crm/objects/deals/batch/update",
        "POST /crm/associations/deals/contacts/batch/create",
        "POST /crm/associations/deals/line_items/batch/create",
    }, sorted(kinds)


@pytest.mark.dead_letters
def test_h1_a_deal_a_portal_rule_refuses_is_dead_lettered_alone_then_replayed(
    shopspot: Shopspot,
) -> None:
    shopspot.hubspot.control.post("/_sandbox/rules", json=RULE).raise_for_status()
    try:
        before = shopspot.handled()
        # Only the order without a note breaks the rule; from 2026-09 on, HubSpot refuses it.
        for n, note in enumerate(["Gift wrap", None, "Leave at the door"]):
            line = (9_000_000_000_000_001 + n, *MUG_LINE[1:])  # each order its own line item
            sale = order(order_id=6_000_000_000_000_001 + n, note=note, lines=[line])
            assert shopspot.post("orders/create", sale).json()["status"] == "queued"
        wait_for(lambda: shopspot.handled() >= before + 3, message="the three orders")
        shopspot.settle()
        names = sorted(deal["dealname"] for deal in shopspot.records("deals", "dealname"))
        letters = shopspot.dead_letters.list()
    finally:
        shopspot.hubspot.control.delete("/_sandbox/rules")  # the merchant relaxes the rule

    if version(shopspot) == "v3":
        assert (names, letters) == (["#1001", "#1002", "#1003"], [])
        return
    assert names == ["#1001", "#1003"]
    (letter,) = letters
    assert letter.event.payload["name"] == "#1002"
    assert letter.reason == (
        "HubSpot 400 VALIDATION_ERROR: shopify_note MISSING_REQUIRED_PROPERTY "
        "(the portal requires it on every new record)"
    )
    assert cli(shopspot, "dlq", "replay", "--all") == "replayed 1 dead letter\n"
    wait_for(lambda: len(shopspot.records("deals")) == 3, message="the replayed order")
    shopspot.settle()
    assert shopspot.dead_letters.list() == []
