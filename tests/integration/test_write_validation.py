"""H1: from the 2026-09 API version on, HubSpot applies a portal's own validation rules to
API writes. A flush whose batch holds a record such a rule refuses writes the rest and
dead-letters that record alone, naming the property and the rule."""

from __future__ import annotations

import time

import pytest

from shopspot.events import WebhookEvent
from shopspot.sync.items import item_for
from shopspot.topics import Buffer, parse_payload
from tests.integration.test_flush import environment, runtime
from tests.support.env import SHOP
from tests.support.hubspot import hubspot_sandbox
from tests.support.shopify import MUG_LINE, order

pytestmark = pytest.mark.integration

RULE = {"object_type": "deals", "required_on_create": "shopify_note"}
NOTES = ["Gift wrap", None, "Leave at the door", "Fragile"]
REASON = (
    "HubSpot 400 VALIDATION_ERROR: shopify_note MISSING_REQUIRED_PROPERTY "
    "(the portal requires it on every new record)"
)


def orders() -> list[WebhookEvent]:
    """Four orders, each with its own line item; the second has no note."""
    return [
        WebhookEvent(
            shop=SHOP,
            topic="orders/create",
            event_id=f"order-{n}",
            received_at=time.time(),
            payload=order(
                order_id=6_000_000_000_000_001 + n,
                note=note,
                lines=[(9_000_000_000_000_001 + n, *MUG_LINE[1:])],
            ),
        )
        for n, note in enumerate(NOTES)
    ]


@pytest.mark.parametrize(("version", "refused"), [("2026-09", ["#1002"]), ("v3", [])])
def test_a_record_a_portal_rule_refuses_is_dead_lettered_alone_and_the_rest_written(
    redis_url: str, version: str, refused: list[str]
) -> None:
    with hubspot_sandbox() as view:
        rt = runtime(environment(redis_url, view, HUBSPOT_API_VERSION=version))
        rt.portal()  # set-up first, so that the flush below writes the batch and nothing else
        view.control.post("/_sandbox/rules", json=RULE).raise_for_status()
        for event in orders():
            target = item_for(event, parse_payload(event.topic, event.payload), rt.memory)
            assert target is not None and target[0] == Buffer.DEALS
            assert rt.buffers[Buffer.DEALS].offer(target[1]) == "queued"
        result = rt.flusher.flush(rt.buffers[Buffer.DEALS])
        written = sorted(
            deal["properties"]["dealname"] for deal in view.records("deals", ["dealname"])
        )

    assert (result.synced, result.dead_lettered, result.waiting) == (
        4 - len(refused),
        len(refused),
        0,
    )
    assert written == sorted({"#1001", "#1002", "#1003", "#1004"} - set(refused))
    letters = rt.dead_letters.list()
    assert [letter.event.payload["name"] for letter in letters] == refused
    assert [letter.reason for letter in letters] == [REASON] * len(refused)
