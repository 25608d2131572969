"""Each Redis store forgets a customer or a shop (W5), on fakeredis; the other shop stays."""

from __future__ import annotations

import time
from typing import Any

import fakeredis
import pytest
import redis

from shopspot.activity import ActivityLog
from shopspot.backfill.verifylog import VerifyLog
from shopspot.deadletters import DeadLetterStore
from shopspot.deliveries import Acceptance, DeliveryLedger
from shopspot.events import WebhookEvent
from shopspot.pending import Item, PendingBuffer
from shopspot.sync.memory import ContactMemory, CustomerLink, DealMemory, Memory

SHOP = "a.myshopify.com"
OTHER = "b.myshopify.com"


@pytest.fixture
def client() -> fakeredis.FakeRedis:
    return fakeredis.FakeRedis()


def remember_a_customer(memory: Memory, shop: str, customer_id: int, email: str) -> None:
    memory.remember_contacts({email: ContactMemory(id=f"hs-{email}")}, {email: shop})
    memory.link_customers({(shop, customer_id): CustomerLink(email)})
    memory.remember_deal_keys({f"{shop}:order:{customer_id}0": f"{shop}:order:{customer_id}0"})


def test_memory_forgets_a_customer_their_contact_and_their_orders(
    client: fakeredis.FakeRedis,
) -> None:
    memory = Memory(client)
    remember_a_customer(memory, SHOP, 7, "ada@example.com")
    remember_a_customer(memory, SHOP, 8, "bob@example.com")
    remember_a_customer(memory, OTHER, 7, "eve@example.com")

    erased = memory.forget_customer(SHOP, 7, "ada@example.com", [70])

    assert erased == 3
    assert memory.customer_emails(SHOP, [7, 8]) == {8: "bob@example.com"}
    assert memory.contacts(["ada@example.com"])["ada@example.com"].id is None
    assert memory.deal_keys([f"{SHOP}:order:70", f"{SHOP}:order:80"]).keys() == {f"{SHOP}:order:80"}
    assert memory.customer_emails(OTHER, [7]) == {7: "eve@example.com"}
    # The shop no longer lists the contact, so forgetting the shop cannot count it again.
    assert memory.forget_shop(SHOP) == 4  # bob's contact, customer and alias, the shop's list


def test_memory_forgets_nothing_when_the_request_names_nothing(
    client: fakeredis.FakeRedis,
) -> None:
    memory = Memory(client)
    remember_a_customer(memory, SHOP, 7, "ada@example.com")

    assert memory.forget_customer(SHOP, None, None, []) == 0
    assert memory.customer_emails(SHOP, [7]) == {7: "ada@example.com"}


def test_memory_forgets_everything_of_a_shop_and_nothing_of_another(
    client: fakeredis.FakeRedis,
) -> None:
    memory = Memory(client)
    for shop, email in ((SHOP, "ada@example.com"), (OTHER, "eve@example.com")):
        remember_a_customer(memory, shop, 7, email)
        memory.remember_products({f"{shop}:1:2": "hs-product"})
        memory.add_variant_keys(shop, {1: [f"{shop}:1:2"]})
        memory.remember_product_bodies(shop, {1: "<p>body</p>"})
        memory.remember_deals({f"{shop}:order:70": DealMemory(id="hs-deal", stage="won")})
        memory.remember_deleted(shop, ["product:9"])

    erased = memory.forget_shop(SHOP)

    # The contact and the shop's list of contacts, customer, alias, product, variants, body,
    # deal, deleted products.
    assert erased == 9
    assert memory.contacts(["ada@example.com"])["ada@example.com"].id is None
    assert memory.customer_emails(SHOP, [7]) == {}
    assert memory.product_ids([f"{SHOP}:1:2"]) == {}
    assert memory.known_product_ids(SHOP) == set()
    assert memory.product_bodies(SHOP, [1]) == {}
    assert memory.deals([f"{SHOP}:order:70"])[f"{SHOP}:order:70"].id is None
    assert memory.deleted(SHOP, ["product:9"]) == set()
    assert not client.keys(f"*{SHOP}*")
    assert memory.contacts(["eve@example.com"])["eve@example.com"].id == "hs-eve@example.com"
    assert memory.known_product_ids(OTHER) == {1}
    assert memory.deleted(OTHER, ["product:9"]) == {"product:9"}
    assert memory.deals([f"{OTHER}:order:70"])[f"{OTHER}:order:70"].id == "hs-deal"


def test_activity_forgets_the_counts_of_a_shop(client: fakeredis.FakeRedis) -> None:
    log = ActivityLog(client)
    log.succeeded(SHOP, "orders", "e1")
    log.failed(SHOP, "customers", "invalid payload: id")
    log.succeeded(OTHER, "orders", "e2")

    assert log.forget_shop(SHOP) == 2
    assert [(a.shop, a.kind) for a in log.all()] == [(OTHER, "orders")]
    assert log.get(SHOP, "orders").succeeded == 0
    assert log.forget_shop(SHOP) == 0


def test_the_delivery_ledger_forgets_the_deliveries_of_a_shop(
    client: fakeredis.FakeRedis,
) -> None:
    ledger = DeliveryLedger(client, dedupe_seconds=7 * 86400)
    delivery_keys = [f"{SHOP}|orders/create|e1", f"{SHOP}|orders/paid|e2", f"{OTHER}|o|e1"]
    for delivery_key in delivery_keys:
        ledger.accept(delivery_key, "orders", "message", None)

    assert ledger.forget_shop(SHOP) == 2
    again = [ledger.accept(k, "orders", "message", None) for k in delivery_keys]
    assert again == [Acceptance.QUEUED, Acceptance.QUEUED, Acceptance.DUPLICATE]


def item(name: str, shop: str, ident: int, version: int = 1) -> Item:
    return Item(f"{name}:{shop}:{ident}", f"{name}:{shop}:{ident}", version, {})


def test_a_buffer_forgets_the_waiting_items_of_a_customer_and_their_orders(
    client: fakeredis.FakeRedis,
) -> None:
    buffer = PendingBuffer(client, "contacts")
    buffer.offer(item("customer", SHOP, 7, version=5))
    buffer.done(buffer.take(10))
    buffer.offer_many(
        [
            item("customer", SHOP, 7, version=6),
            item("order", SHOP, 70),
            item("customer", SHOP, 8),
            item("customer", OTHER, 7),
        ]
    )

    assert buffer.forget_customer(SHOP, [7, 70]) == 2
    assert sorted(i.key for i in buffer.take(10)) == [f"customer:{SHOP}:8", f"customer:{OTHER}:7"]
    # The applied version went too: the customer's old version is no longer stale.
    assert buffer.offer(item("customer", SHOP, 7, version=5)) == "queued"


def test_a_buffer_forgets_every_waiting_item_of_a_shop(client: fakeredis.FakeRedis) -> None:
    buffer = PendingBuffer(client, "deals")
    buffer.offer_many(
        [item("order", SHOP, 70), item("checkout", SHOP, 1), item("order", OTHER, 70)]
    )

    assert buffer.forget_shop(SHOP) == 2
    assert [i.key for i in buffer.take(10)] == [f"order:{OTHER}:70"]


def letter(store: DeadLetterStore, shop: str, payload: dict[str, Any]) -> str:
    event = WebhookEvent(shop=shop, topic="orders/create", received_at=time.time(), payload=payload)
    return store.put(task="t", event=event, reason="r", error_type="E", attempts=1).id


def test_dead_letters_naming_a_customer_their_orders_or_their_email_are_dropped(
    client: fakeredis.FakeRedis,
) -> None:
    store = DeadLetterStore(client)
    letter(store, SHOP, {"id": 1, "customer": {"id": 7}})
    letter(store, SHOP, {"id": 70})
    letter(store, SHOP, {"id": 2, "email": "Ada@Example.com"})
    kept = letter(store, SHOP, {"id": 3, "customer": {"id": 8}, "email": "bob@example.com"})
    elsewhere = letter(store, OTHER, {"id": 70, "customer": {"id": 7}})

    assert store.forget_customer(SHOP, [7, 70], "ada@example.com") == 3
    assert [found.id for found in store.list()] == [kept, elsewhere]


def test_dead_letters_of_a_shop_are_all_dropped(client: fakeredis.FakeRedis) -> None:
    store = DeadLetterStore(client)
    letter(store, SHOP, {"id": 1})
    letter(store, SHOP, {"id": 2})
    elsewhere = letter(store, OTHER, {"id": 1})

    assert store.forget_shop(SHOP) == 2
    assert [found.id for found in store.list()] == [elsewhere]


def test_the_last_verify_result_of_a_shop_is_forgotten() -> None:
    log = VerifyLog(fakeredis.FakeRedis())
    log.record(SHOP, {"differences": 2})
    log.record(OTHER, {"differences": 0})

    assert log.forget_shop(SHOP) == 1
    assert log.last() == {OTHER: {"differences": 0}}


def test_a_shop_whose_name_reads_as_a_pattern_erases_only_itself(redis_url: str) -> None:
    """On a real Redis, whose SCAN patterns are globs: `?` would match any one character."""
    client = redis.Redis.from_url(redis_url)
    wild = "?.myshopify.com"
    memory, log = Memory(client), ActivityLog(client)
    for shop, email in ((SHOP, "ada@example.com"), (wild, "eve@example.com")):
        remember_a_customer(memory, shop, 7, email)
        memory.add_variant_keys(shop, {1: [f"{shop}:1:2"]})
        log.succeeded(shop, "orders", "e1")

    assert memory.known_product_ids(wild) == {1}
    memory.forget_shop(wild)
    log.forget_shop(wild)

    assert memory.customer_emails(SHOP, [7]) == {7: "ada@example.com"}
    assert memory.known_product_ids(SHOP) == {1}
    assert log.get(SHOP, "orders").succeeded == 1
    assert memory.customer_emails(wild, [7]) == {}
