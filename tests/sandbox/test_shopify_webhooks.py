"""Webhooks out: every store change is POSTed signed, with Shopify's headers, retried on
failure, and (when asked) duplicated, reordered, delayed or dropped. The GraphQL view and
the webhooks agree."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from datetime import datetime
from typing import Any

from sandbox.shopify import WebhookKnobs
from sandbox.shopify.webhooks import shopify_json
from tests.sandbox.shopify_fixtures import (
    Receiver,
    Running,
    running_simulator,
    small_config,
    wait_until,
    webhook_receiver,
)

SECRET = "test-webhook-secret"
HEADERS = (
    "x-shopify-topic",
    "x-shopify-hmac-sha256",
    "x-shopify-shop-domain",
    "x-shopify-api-version",
    "x-shopify-webhook-id",
    "x-shopify-event-id",
    "x-shopify-triggered-at",
)


def _config(receiver: Receiver, **knobs: Any) -> Any:
    knobs.setdefault("retry_delays", (0.02, 0.02, 0.02))
    return small_config(
        webhooks_to=receiver.url,
        webhook_secret=SECRET,
        api_version="2025-01",
        knobs=WebhookKnobs(**knobs),
    )


def _changes(running: Running, count: int) -> list[dict[str, Any]]:
    response = running.client.post("/_simulator/changes", json={"count": count})
    assert response.status_code == 200
    changes: list[dict[str, Any]] = response.json()["changes"]
    return changes


def _emitted(changes: list[dict[str, Any]], version: str = "2025-01") -> list[tuple[str, str]]:
    """(event id, topic) of every delivery the changes make, in emission order."""
    older = {"customers/update"}
    newer = {
        "customers/purchasing_summary",
        "customer.tags_added",
        "customers_email_marketing_consent/update",
    }
    skip = older if version >= "2025-01" else newer
    return [(c["event_id"], t) for c in changes for t in c["topics"] if t not in skip]


def _received(receiver: Receiver) -> list[tuple[str, str]]:
    return [(r.headers["x-shopify-event-id"], r.topic) for r in receiver.snapshot()]


def test_deliveries_are_signed_with_shopifys_headers() -> None:
    with webhook_receiver() as receiver, running_simulator(_config(receiver)) as running:
        changes = _changes(running, 40)
        running.drain()
        deliveries = receiver.snapshot()
        assert sorted(_received(receiver)) == sorted(_emitted(changes))
        for delivery in deliveries:
            assert all(name in delivery.headers for name in HEADERS)
            digest = hmac.new(SECRET.encode(), delivery.body, hashlib.sha256).digest()
            assert delivery.headers["x-shopify-hmac-sha256"] == base64.b64encode(digest).decode()
            assert delivery.headers["x-shopify-api-version"] == "2025-01"
            assert delivery.headers["x-shopify-shop-domain"] == "shopspot-simulator.myshopify.com"
            assert delivery.headers["content-type"] == "application/json"
            assert delivery.body == shopify_json(delivery.json()), "not compact Shopify JSON"
            triggered = delivery.headers["x-shopify-triggered-at"]
            assert datetime.fromisoformat(triggered).tzinfo is not None
        webhook_ids = [d.headers["x-shopify-webhook-id"] for d in deliveries]
        assert len(set(webhook_ids)) == len(webhook_ids)
        assert {d.topic for d in deliveries} >= {"orders/create", "customers/create"}
        assert b"<" not in b"".join(d.body for d in deliveries if d.topic.startswith("products/"))


def test_the_graphql_view_agrees_with_the_webhooks() -> None:
    with webhook_receiver() as receiver, running_simulator(_config(receiver)) as running:
        changes = _changes(running, 60)
        running.drain()
        latest: dict[str, Any] = {}
        for delivery in receiver.snapshot():
            if delivery.topic.startswith("orders/"):
                body = delivery.json()
                if body["updated_at"] >= latest.get(body["admin_graphql_api_id"], {}).get(
                    "updated_at", ""
                ):
                    latest[body["admin_graphql_api_id"]] = body
        assert any(c["change"] == "order_paid" for c in changes)
        for order_gid, body in latest.items():
            node = running.data(
                "query($id: ID!) { order(id: $id) { updatedAt displayFinancialStatus "
                "displayFulfillmentStatus cancelledAt totalPriceSet { shopMoney { amount } } } }",
                {"id": order_gid},
            )["order"]
            assert node["displayFinancialStatus"] == body["financial_status"].upper()
            fulfilment = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED"}
            assert node["displayFulfillmentStatus"] == fulfilment.get(
                body["fulfillment_status"], "FULFILLED"
            )
            assert (node["cancelledAt"] is None) == (body["cancelled_at"] is None)
            assert datetime.fromisoformat(node["updatedAt"]) == datetime.fromisoformat(
                body["updated_at"]
            )
            assert float(node["totalPriceSet"]["shopMoney"]["amount"]) == float(body["total_price"])


def test_the_same_seed_makes_the_same_changes() -> None:
    with running_simulator(small_config()) as one, running_simulator(small_config()) as two:
        first = [(c["change"], c["id"]) for c in _changes(one, 25)]
        second = [(c["change"], c["id"]) for c in _changes(two, 25)]
    assert first == second
    assert len({kind for kind, _ in first}) >= 5


def test_a_change_of_one_kind_on_request() -> None:
    with webhook_receiver() as receiver, running_simulator(_config(receiver)) as running:
        store = running.app.sim.store
        open_before = [c for c in store.checkouts if c.completed_at is None]
        answer = running.client.post(
            "/_simulator/changes", json={"count": 2, "kind": "checkout_recovered"}
        )
        running.drain()

        assert answer.status_code == 200, answer.text
        changes = answer.json()["changes"]
        assert [c["change"] for c in changes] == ["checkout_recovered"] * 2
        recovered = [c for c in open_before if c.completed_at is not None]
        assert len(recovered) == 2
        orders = {gid.rsplit("/", 1)[1] for gid in (c["id"] for c in changes)}
        creates = [d.json() for d in receiver.snapshot() if d.topic == "orders/create"]
        # Each recovering order carries the token of the checkout it completed.
        assert {str(o["id"]) for o in creates} == orders
        assert {o["checkout_token"] for o in creates} == {c.token for c in recovered}

        unknown = running.client.post("/_simulator/changes?kind=checkout_stolen")
        assert unknown.status_code == 400 and "checkout_recovered" in unknown.text


def test_a_change_of_a_kind_with_nothing_to_act_on_is_refused() -> None:
    with running_simulator(small_config(checkouts=0)) as running:
        answer = running.client.post("/_simulator/changes", json={"kind": "checkout_abandoned"})
        assert answer.status_code == 409, answer.text
        assert running.stats()["changes"] == 0


def test_duplicates_share_the_event_id_not_the_webhook_id() -> None:
    with (
        webhook_receiver() as receiver,
        running_simulator(_config(receiver, duplicate_probability=1.0)) as running,
    ):
        changes = _changes(running, 5)
        running.drain()
        received = receiver.snapshot()
        assert sorted(_received(receiver)) == sorted(_emitted(changes) * 2)
        by_event: dict[tuple[str, str], set[str]] = {}
        for delivery in received:
            key = (delivery.headers["x-shopify-event-id"], delivery.topic)
            by_event.setdefault(key, set()).add(delivery.headers["x-shopify-webhook-id"])
        assert all(len(ids) == 2 for ids in by_event.values())
        assert running.stats()["webhooks_duplicated"] == len(by_event)


def test_reordering_shuffles_a_window_and_no_window_keeps_the_order() -> None:
    with (
        webhook_receiver() as receiver,
        running_simulator(_config(receiver, concurrency=1)) as running,
    ):
        changes = _changes(running, 12)
        running.drain()
        assert _received(receiver) == _emitted(changes)
    with (
        webhook_receiver() as receiver,
        running_simulator(
            _config(receiver, concurrency=1, reorder_window=50, reorder_hold_seconds=0.2)
        ) as running,
    ):
        changes = _changes(running, 12)
        running.drain()
        received, emitted = _received(receiver), _emitted(changes)
        assert sorted(received) == sorted(emitted)
        assert received != emitted


def test_delay_holds_deliveries_back() -> None:
    with (
        webhook_receiver() as receiver,
        running_simulator(_config(receiver, delay_seconds=0.4)) as running,
    ):
        started = time.monotonic()
        _changes(running, 1)
        wait_until(lambda: bool(receiver.snapshot()))
        assert time.monotonic() - started >= 0.4


def test_dropped_deliveries_never_arrive_but_the_store_changes() -> None:
    with (
        webhook_receiver() as receiver,
        running_simulator(_config(receiver, drop_probability=1.0)) as running,
    ):
        before = running.client.get("/_simulator/expected").json()
        changes = [c for c in _changes(running, 20) if c["change"] == "customer_created"]
        running.drain()
        time.sleep(0.1)
        assert receiver.snapshot() == []
        stats = running.stats()
        assert stats["webhooks_dropped"] == stats["webhooks_emitted"] > 0
        after = running.client.get("/_simulator/expected").json()
        assert after != before
        for change in changes:
            found = running.data(
                "query($id: ID!) { customer(id: $id) { id } }", {"id": change["id"]}
            )
            assert found["customer"] == {"id": change["id"]}


def test_knobs_change_at_run_time() -> None:
    with webhook_receiver() as receiver, running_simulator(_config(receiver)) as running:
        settings = running.client.post(
            "/_simulator/config", json={"drop_probability": 1.0, "retry_delays": [0.01]}
        ).json()
        assert settings["drop_probability"] == 1.0 and settings["retry_delays"] == [0.01]
        _changes(running, 3)
        running.drain()
        assert receiver.snapshot() == []
        bad = running.client.post("/_simulator/config", json={"drop_probability": 2})
        assert bad.status_code == 400
        assert running.client.post("/_simulator/config", json={"colour": 1}).status_code == 400


def test_failed_deliveries_are_retried_with_the_same_payload() -> None:
    with (
        webhook_receiver(fail_first=2) as receiver,
        running_simulator(_config(receiver, concurrency=1)) as running,
    ):
        changes = _changes(running, 1)
        running.drain()
        assert sorted(_received(receiver)) == sorted(_emitted(changes))
        delivered = {r.headers["x-shopify-webhook-id"]: r for r in receiver.snapshot()}
        for failed in receiver.attempts[:2]:
            retried = delivered[failed.headers["x-shopify-webhook-id"]]
            assert retried.body == failed.body
            assert (
                retried.headers["x-shopify-hmac-sha256"] == failed.headers["x-shopify-hmac-sha256"]
            )
            assert retried.headers["x-shopify-event-id"] == failed.headers["x-shopify-event-id"]
        stats = running.stats()
        assert stats["webhooks_retried"] == 2 and stats["webhooks_failed"] == 0


def test_a_subscription_gets_its_topic_at_its_version_and_is_removed_when_failing() -> None:
    with webhook_receiver() as good, webhook_receiver(fail_first=10**6) as bad:
        config = small_config(webhook_secret=SECRET, knobs=WebhookKnobs(retry_delays=(0.01, 0.01)))
        with running_simulator(config) as running:
            create = (
                "mutation($t: WebhookSubscriptionTopic!, $u: URL!) { webhookSubscriptionCreate("
                "topic: $t, webhookSubscription: {callbackUrl: $u}) { userErrors { message } } }"
            )
            running.data(create, {"t": "CUSTOMERS_CREATE", "u": good.url}, version="2024-10")
            running.data(create, {"t": "CUSTOMERS_CREATE", "u": bad.url}, version="2026-04")
            for _ in range(30):
                if any(c["change"] == "customer_created" for c in _changes(running, 5)):
                    break
            running.drain()
            assert {d.topic for d in good.snapshot()} == {"customers/create"}
            delivery = good.snapshot()[0]
            assert delivery.headers["x-shopify-api-version"] == "2024-10"
            assert "email_marketing_consent" in delivery.json()
            assert bad.attempts[0].headers["x-shopify-api-version"] == "2026-04"
            assert "email_marketing_consent" not in bad.attempts[0].json()
            listed = running.data("{ webhookSubscriptions(first: 5) { nodes { callbackUrl } } }")
            assert [n["callbackUrl"] for n in listed["webhookSubscriptions"]["nodes"]] == [good.url]
            assert running.stats()["subscriptions_removed"] == 1


def test_live_mode_keeps_changing_the_store() -> None:
    with webhook_receiver() as receiver:
        config = dataclasses.replace(_config(receiver), live_rate=50.0)
        with running_simulator(config) as running:
            wait_until(lambda: running.stats()["changes"] >= 10)
            running.client.post("/_simulator/config", json={"live_rate": 0})
            running.drain()
            stats = running.stats()
            assert stats["webhooks_sent"] == len(receiver.snapshot()) > 0
            assert stats["store_version"] > 0


def test_a_bad_change_count_is_refused() -> None:
    with running_simulator(small_config()) as running:
        assert running.client.post("/_simulator/changes", json={"count": 0}).status_code == 400
        assert running.client.post("/_simulator/changes?count=x").status_code == 400
        body = running.client.post("/_simulator/changes").json()
        assert len(body["changes"]) == 1 and json.dumps(body)
