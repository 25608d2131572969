"""`shopspot dlq ...` and `shopspot status` on a real Redis, as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
import redis
from click.testing import CliRunner

from cli.main import main
from shopspot.activity import ActivityLog
from shopspot.deadletters import DeadLetterStore
from shopspot.events import WebhookEvent
from shopspot.sync.due import CheckoutsDue
from tests.support.env import HUBSPOT_TOKEN, ROOT, SECRET, SHOP
from tests.support.processes import SHOPSPOT

pytestmark = pytest.mark.integration


@pytest.fixture
def env(redis_url: str) -> dict[str, str]:
    return {
        "REDIS_URL": redis_url,
        "SHOPIFY_SHOP_DOMAIN": SHOP,
        "SHOPIFY_WEBHOOK_SECRET": SECRET,
        "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
    }


def letter(store: DeadLetterStore, topic: str = "orders/create") -> str:
    event = WebhookEvent(
        shop=SHOP,
        topic=topic,
        event_id=f"event-{topic}",
        received_at=time.time(),
        payload={"id": 820982911946154508, "email": "ada@example.com"},
    )
    return store.put(
        task="shopspot.flush", event=event, reason="HubSpot 400 VALIDATION_ERROR: amount",
        error_type="ValidationFailed", attempts=1,
    ).id  # fmt: skip


def run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def run_process(env: dict[str, str], *args: str) -> str:
    """In a process of its own, for commands that publish through Celery's app."""
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([*SHOPSPOT, *args], env=full, capture_output=True, text=True, check=True)
    return done.stdout


def test_dlq_list_show_and_drop(env: dict[str, str], redis_url: str) -> None:
    store = DeadLetterStore(redis.Redis.from_url(redis_url))
    assert run(env, "dlq", "list").strip() == "no dead letters"
    first = letter(store, "orders/create")
    second = letter(store, "products/update")

    listing = run(env, "dlq", "list")
    shown = json.loads(run(env, "dlq", "show", first))
    listed = json.loads(run(env, "dlq", "list", "--json"))
    dropped = run(env, "dlq", "drop", second)

    assert listing.index(first) < listing.index(second)
    assert "orders/create" in listing and "HubSpot 400 VALIDATION_ERROR: amount" in listing
    assert "ada@example.com" not in listing
    assert shown["event"]["payload"]["id"] == 820982911946154508
    assert [entry["id"] for entry in listed] == [first, second]
    assert dropped.strip() == f"dropped {second}"
    assert [entry.id for entry in store.list()] == [first]
    missing = CliRunner().invoke(main, ["dlq", "show", "nope"], env=env)
    assert missing.exit_code == 1 and "no dead letter nope" in missing.output


def test_dlq_replay_sends_the_event_back_to_its_task(env: dict[str, str], redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    store = DeadLetterStore(client)
    one = letter(store, "orders/create")
    letter(store, "products/update")

    assert run_process(env, "dlq", "replay", one).strip() == "replayed 1 dead letter"
    assert client.llen("orders") == 1
    message = json.loads(client.lindex("orders", 0) or b"{}")
    assert message["headers"]["task"] == "shopspot.sync.orders"
    assert run_process(env, "dlq", "replay", "--all").strip() == "replayed 1 dead letter"
    assert client.llen("products") == 1
    assert store.count() == 0


def test_status_shows_each_store_and_kind(env: dict[str, str], redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    ActivityLog(client).succeeded(SHOP, "orders", "e1")
    ActivityLog(client).failed(SHOP, "orders", "HubSpot 400 VALIDATION_ERROR: amount")
    letter(DeadLetterStore(client), "orders/create")
    CheckoutsDue(client).schedule({f"{SHOP}:abc": time.time() + 3600})

    text = run(env, "status")
    report = json.loads(run(env, "status", "--json"))

    assert SHOP in text
    assert "HubSpot 400 VALIDATION_ERROR: amount" in text
    assert "1 pending" in text
    (store,) = report["stores"]
    orders = next(kind for kind in store["kinds"] if kind["kind"] == "orders")
    assert (orders["handled"], orders["failed"], orders["dead_letters"]) == (1, 1, 1)
    assert report["checkouts_pending"] == 1
    assert report["dead_letters"] == 1
    assert set(report["queues"]) == {"customers", "products", "orders", "checkouts", "privacy"}
