"""W1, W3: a catalogue of bad and odd deliveries, each with the answer it must get, run through
one running Shopspot (gunicorn receiver, Celery worker, Redis, HubSpot sandbox over HTTP).

Every row is one delivery and one expected answer: refused with an exact HTTP status and a
JSON error that names the problem; answered without being queued; accepted then dead-lettered
with a reason that names the failing field; or accepted and synced, with what HubSpot then
holds. A good customer follows every row, and a normal order comes last: none of them may be
lost, and the worker must still be there to sync the last one. No refusal, dead letter or log
line may carry a value from a payload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from shopspot.deadletters import DeadLetter
from tests.e2e.conftest import Shopspot
from tests.support.deliveries import delivery
from tests.support.env import SHOP
from tests.support.processes import wait_for
from tests.support.shopify import MUG_LINE, checkout, customer, line, order

pytestmark = [pytest.mark.integration, pytest.mark.dead_letters]

# Personal data in every payload: it may reach HubSpot, never an error, dead letter or log.
SENTINEL = "poison-sentinel-7d3f"
EMAIL = f"{SENTINEL}@example.com"
BIG_NOTE = "n" * 1_000_000


@dataclass(frozen=True)
class Refused:
    """Answered with this status and JSON error."""

    status: int
    error: str


@dataclass(frozen=True)
class Answered:
    """200 with this status (not "queued"); `holds` checks HubSpot afterwards."""

    status: str
    holds: Callable[[Shopspot], object] | None = None


@dataclass(frozen=True)
class DeadLettered:
    """Queued, then a dead letter whose reason names `field` (and never the value)."""

    field: str


@dataclass(frozen=True)
class Synced:
    """Queued, synced without a dead letter; `holds` checks what HubSpot then holds."""

    holds: Callable[[Shopspot], object]


Expected = Refused | Answered | DeadLettered | Synced


@dataclass(frozen=True)
class Case:
    name: str
    topic: str
    payload: Any  # JSON-encoded unless bytes
    expected: Expected
    # Header changes after signing: a value replaces the header, None removes it.
    headers: dict[str, str | None] = field(default_factory=dict)
    secret: str | None = None
    shop: str = SHOP
    event_id: str | None = None
    # The bad value itself, when it is distinctive enough to look for in errors and logs.
    value: str | None = None


def ident(n: int) -> int:
    """A distinct Shopify id per row, so that each row's records can be told apart."""
    return 6_100_000_000_000_000 + n


def sale_key(n: int) -> str:
    return f"{SHOP}:order:{ident(n)}"


def bad_order(n: int, **changes: Any) -> dict[str, Any]:
    """The order of row `n`, carrying personal data, with `changes`."""
    changes = {"line_items": [mug_line(n)], **changes}
    return order(**{"order_id": ident(n), "email": EMAIL, "note": SENTINEL, **changes})


def mug_line(n: int, **changes: Any) -> dict[str, Any]:
    """The line of row `n`'s order: Shopify's line ids are unique across orders."""
    return {**line((9_000_000_000_000_100 + n, *MUG_LINE[1:])), **changes}


def without(payload: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in payload.items() if name not in names}


def nested(depth: int) -> Any:
    junk: Any = SENTINEL
    for _ in range(depth - 1):
        junk = [junk]
    return junk


def deal(shopspot: Shopspot, n: int, *properties: str) -> dict[str, str]:
    deals = [
        d
        for d in shopspot.records("deals", "shopify_deal_key", *properties)
        if d["shopify_deal_key"] == sale_key(n)
    ]
    assert len(deals) == 1, f"deal of row {n}: {deals}"
    return deals[0]


def has_deal(n: int, **expected: str) -> Callable[[Shopspot], object]:
    def check(shopspot: Shopspot) -> None:
        found = deal(shopspot, n, *expected)
        assert {name: found.get(name) for name in expected} == expected

    return check


def deal_with_contact(n: int, email: str) -> Callable[[Shopspot], object]:
    def check(shopspot: Shopspot) -> None:
        found = deal(shopspot, n)
        (contact,) = [c for c in shopspot.records("contacts", "email") if c["email"] == email]
        assert shopspot.hubspot.associated("deals", found["id"], "contacts") == [contact["id"]]

    return check


def deal_without_contact(n: int) -> Callable[[Shopspot], object]:
    def check(shopspot: Shopspot) -> None:
        found = deal(shopspot, n)
        assert shopspot.hubspot.associated("deals", found["id"], "contacts") == []

    return check


def lines_without_product(n: int) -> Callable[[Shopspot], object]:
    def check(shopspot: Shopspot) -> None:
        found = deal(shopspot, n)
        line_ids = shopspot.hubspot.associated("deals", found["id"], "line_items")
        lines = [
            item
            for item in shopspot.records("line_items", "name", "hs_product_id", "quantity")
            if item["id"] in line_ids
        ]
        assert [(item["name"], item.get("hs_product_id")) for item in lines] == [
            ("Gift card", None)
        ]

    return check


def no_contact_for_customer(customer_id: int) -> Callable[[Shopspot], object]:
    def check(shopspot: Shopspot) -> None:
        ids = [
            c.get("shopify_customer_id")
            for c in shopspot.records("contacts", "shopify_customer_id")
        ]
        assert str(customer_id) not in ids

    return check


def cases() -> list[Case]:
    product_less = (9_100_000_000_000_001, None, None, "Gift card", 1, "10.00")
    body = order(order_id=ident(0), email=EMAIL, note=SENTINEL)
    return [
        # Signatures (W1).
        Case("wrong secret", "orders/create", body, Refused(401, "invalid_signature"),
             secret="not-the-secret"),
        Case("missing signature", "orders/create", body, Refused(401, "invalid_signature"),
             headers={"X-Shopify-Hmac-Sha256": None}),
        Case("base64 garbage signature", "orders/create", body,
             Refused(401, "invalid_signature"),
             headers={"X-Shopify-Hmac-Sha256": "%%%not*base64%%%=="}),
        Case("empty signature", "orders/create", body, Refused(401, "invalid_signature"),
             headers={"X-Shopify-Hmac-Sha256": ""}),
        # The shop header.
        Case("missing shop header", "orders/create", body, Refused(401, "unknown_shop"),
             headers={"X-Shopify-Shop-Domain": None}),
        Case("unconfigured shop", "orders/create", body, Refused(401, "unknown_shop"),
             shop="elsewhere.myshopify.com"),
        Case("shop header that is no domain", "orders/create", body,
             Refused(401, "unknown_shop"), headers={"X-Shopify-Shop-Domain": "not a shop"}),
        # The other headers.
        Case("unknown topic", "themes/publish", {"id": 1, "name": SENTINEL}, Answered("ignored")),
        Case("missing topic", "orders/create", body, Refused(400, "missing_topic"),
             headers={"X-Shopify-Topic": None}),
        Case("no event or webhook id", "orders/create", body,
             Refused(400, "missing_delivery_id"),
             headers={"X-Shopify-Event-Id": None, "X-Shopify-Webhook-Id": None}),
        Case("unknown API version", "orders/create", bad_order(1),
             Synced(has_deal(1, dealname="#1001")),
             headers={"X-Shopify-API-Version": "1999-13"}),
        Case("missing API version", "orders/create", bad_order(2),
             Synced(has_deal(2, dealname="#1002")),
             headers={"X-Shopify-API-Version": None}),
        # Bodies that are not a JSON object.
        Case("empty body", "orders/create", b"", Refused(400, "invalid_json")),
        Case("truncated JSON", "orders/create", json.dumps(body).encode()[:200],
             Refused(400, "invalid_json")),
        Case("non-UTF-8 body", "customers/create",
             json.dumps(customer(email=EMAIL, note="café")).encode().replace(b"caf\\u00e9",
                                                                               b"caf\xe9"),
             Refused(400, "invalid_json")),
        Case("UTF-16 body", "orders/create", json.dumps(body).encode("utf-16"),
             Refused(400, "invalid_json")),
        Case("JSON array", "orders/create", json.dumps([body]).encode(),
             Refused(400, "invalid_json")),
        Case("JSON number", "orders/create", b"42", Refused(400, "invalid_json")),
        Case("JSON string", "orders/create", json.dumps(SENTINEL).encode(),
             Refused(400, "invalid_json")),
        Case("JSON null", "orders/create", b"null", Refused(400, "invalid_json")),
        Case("NaN literal", "orders/create",
             json.dumps(bad_order(3)).encode().replace(b'"total_price": "50.00"',
                                                      b'"total_price": NaN'),
             Refused(400, "invalid_json")),
        Case("integer of 5000 digits", "orders/create",
             b'{"id": ' + b"7" * 5000 + b', "note": "' + SENTINEL.encode() + b'"}',
             Refused(400, "invalid_json")),
        Case("nested 100000 deep", "orders/create",
             b'{"id": 1, "junk": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
             Refused(400, "too_deeply_nested")),
        Case("nested 300 deep", "orders/create", bad_order(4, note_attributes=nested(300)),
             Refused(400, "too_deeply_nested")),
        Case("oversized body", "orders/create", bad_order(5, note="n" * 3_000_000),
             Refused(413, "request_entity_too_large")),
        # Ids.
        Case("order without id", "orders/create", without(bad_order(6), "id"),
             DeadLettered("id")),
        Case("order id as a string of digits", "orders/create", bad_order(7, id=str(ident(7))),
             Synced(has_deal(7, dealname="#1007"))),
        Case("order id as a float", "orders/create", bad_order(8, id=float(ident(8))),
             DeadLettered("id")),
        Case("negative order id", "orders/create", bad_order(9, id=-ident(9), token="t9"),
             DeadLettered("id"), value=str(-ident(9))),
        Case("order id above 2**63-1", "orders/create", bad_order(10, id=2**63),
             DeadLettered("id"), value=str(2**63)),
        Case("order id as true", "orders/create", bad_order(11, id=True), DeadLettered("id")),
        Case("order id as an email", "orders/create", bad_order(12, id=EMAIL),
             DeadLettered("id")),
        Case("orders/delete without id", "orders/delete", {"note": SENTINEL},
             DeadLettered("id")),
        # Numbers.
        Case("amount 1e309", "orders/create", bad_order(13, total_price="1e309"),
             DeadLettered("total_price"), value="1e309"),
        Case("amount NaN", "orders/create", bad_order(14, current_total_price="NaN"),
             DeadLettered("current_total_price")),
        Case("amount Infinity", "orders/create", bad_order(15, total_tax="-Infinity"),
             DeadLettered("total_tax"), value="Infinity"),
        Case("amount as a float", "orders/create", bad_order(16, total_price=50.0),
             DeadLettered("total_price")),
        Case("JPY amount without decimals", "orders/create",
             bad_order(17, currency="JPY", presentment_currency="JPY", total_price="1000",
                       current_total_price="1000", subtotal_price="1000",
                       line_items=[mug_line(17, price="500")]),
             Synced(has_deal(17, amount="1000", shopify_currency="JPY"))),
        Case("negative quantity", "orders/create",
             bad_order(18, line_items=[mug_line(18, quantity=-2)]),
             DeadLettered("line_items.0.quantity")),
        Case("line item without quantity", "orders/create",
             bad_order(19, line_items=[without(mug_line(19), "quantity")]),
             DeadLettered("line_items.0.quantity")),
        Case("line items as an object", "orders/create",
             bad_order(20, line_items={"0": mug_line(20)}),
             DeadLettered("line_items")),
        # Strings and dates.
        Case("1 MB note", "orders/create", bad_order(21, note=BIG_NOTE),
             Synced(has_deal(21, shopify_note=BIG_NOTE[:65_536]))),
        Case("created_at that is no date", "orders/create",
             bad_order(22, created_at=f"the day {SENTINEL} came"), DeadLettered("created_at")),
        Case("updated_at without a time zone", "customers/update",
             customer(customer_id=ident(23), email=EMAIL, updated_at="2026-11-02T09:00:00"),
             DeadLettered("updated_at")),
        Case("tags as a number", "customers/update",
             customer(customer_id=ident(24), email=EMAIL, tags=42), DeadLettered("tags")),
        Case("deeply nested junk in a field Shopspot ignores", "orders/create",
             bad_order(25, note_attributes=nested(60)), Synced(has_deal(25, dealname="#1025"))),
        # Buyers and lines.
        Case("null customer on an order", "orders/create",
             bad_order(26, customer=None, email=f"{SENTINEL}-26@example.com"),
             Synced(deal_with_contact(26, f"{SENTINEL}-26@example.com"))),
        Case("order whose customer has no email", "orders/create",
             bad_order(27, email=None, contact_email=None,
                       customer=customer(customer_id=ident(27), email=None)),
             Synced(deal_without_contact(27))),
        Case("customer without email", "customers/create",
             customer(customer_id=ident(28), email=None, note=SENTINEL),
             Synced(no_contact_for_customer(ident(28)))),
        Case("customer with an email HubSpot refuses", "customers/create",
             customer(customer_id=ident(29), email=f"{SENTINEL} at example"),
             DeadLettered("email")),
        Case("line items without product_id and variant_id", "orders/create",
             bad_order(30, line_items=[line(product_less)]),
             Synced(lines_without_product(30))),
        # Checkouts.
        Case("checkout without token", "checkouts/create",
             without(checkout(email=EMAIL, note=SENTINEL), "token"), DeadLettered("token")),
        Case("checkout with an empty token", "checkouts/create",
             checkout(token="", email=EMAIL), DeadLettered("token")),
        Case("checkouts/delete with nothing to identify it", "checkouts/delete",
             {"note": SENTINEL}, DeadLettered("<payload>")),
        # The same event twice with different bodies: the first one counts.
        Case("first of an event", "orders/create", bad_order(31, note="the first body"),
             Synced(has_deal(31, shopify_note="the first body")), event_id="poison-twice"),
        Case("same event id, different body", "orders/create",
             bad_order(31, note="the second body", financial_status="refunded"),
             Answered("duplicate", has_deal(31, shopify_note="the first body")),
             event_id="poison-twice"),
    ]  # fmt: skip


def names(reason: str, name: str) -> bool:
    """Whether a dead letter's reason names this field as failing: a validation error says
    "...invalid field: id (exact_int)", HubSpot's refusal "...: email INVALID_EMAIL"."""
    return re.search(rf"(?:: |; |, ){re.escape(name)} (?:\(|[A-Z_]+\b)", reason) is not None


def send(shopspot: Shopspot, case: Case) -> httpx.Response:
    body, headers = delivery(
        case.topic,
        case.payload,
        shop=case.shop,
        event_id=case.event_id,
        **({"secret": case.secret} if case.secret else {}),
    )
    for name, value in case.headers.items():
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    return httpx.post(f"{shopspot.url}/webhooks/shopify", content=body, headers=headers, timeout=30)


def good_customer(i: int) -> dict[str, Any]:
    return customer(customer_id=7_100_000_000_000_000 + i, email=f"good-{i}@example.com")


def test_w1_w3_every_bad_or_odd_delivery_gets_its_answer_and_loses_nothing(
    shopspot: Shopspot,
) -> None:
    table = cases()
    assert len(table) >= 25
    answers: list[tuple[Case, httpx.Response]] = []
    queued = 0
    for i, case in enumerate(table):
        answer = send(shopspot, case)
        answers.append((case, answer))
        queued += answer.status_code == 200 and answer.json().get("status") == "queued"
        good = shopspot.post("customers/create", good_customer(i))
        assert good.json() == {"status": "queued"}, good.text
        queued += 1
    last = order(order_id=6_200_000_000_000_001, email="last@example.com")
    assert shopspot.post("orders/create", last).json() == {"status": "queued"}
    queued += 1

    wait_for(lambda: shopspot.handled() >= queued, timeout=60, message="every queued event")
    shopspot.settle()

    letters = {letter.event.event_id: letter for letter in shopspot.dead_letters.list()}
    problems: list[str] = []
    for case, answer in answers:
        try:
            _check(shopspot, case, answer, letters)
        except AssertionError as exc:
            problems.append(f"{case.name}: {exc}")
    assert problems == []

    # Nothing else was dead-lettered, and the worker survived the table.
    expected_letters = sum(isinstance(case.expected, DeadLettered) for case in table)
    assert len(letters) == expected_letters, sorted(dead.reason for dead in letters.values())
    assert shopspot.worker.popen.poll() is None
    emails = {c["email"] for c in shopspot.records("contacts", "email")}
    assert {f"good-{i}@example.com" for i in range(len(table))} <= emails
    assert "last@example.com" in emails
    last_key = f"{SHOP}:order:6200000000000001"
    assert last_key in {
        d["shopify_deal_key"] for d in shopspot.records("deals", "shopify_deal_key")
    }
    for process in (shopspot.receiver, shopspot.worker):
        log = process.log()
        assert SENTINEL not in log
        assert "Traceback" not in log
        for case in table:
            assert case.value is None or case.value not in log, case.name


def _check(
    shopspot: Shopspot, case: Case, answer: httpx.Response, letters: dict[str | None, DeadLetter]
) -> None:
    expected = case.expected
    event_id = answer.request.headers.get("X-Shopify-Event-Id")
    assert SENTINEL not in answer.text
    if isinstance(expected, Refused):
        assert answer.status_code == expected.status, answer.text
        assert answer.json()["error"] == expected.error, answer.text
        assert answer.json()["detail"], answer.text
        return
    assert answer.status_code == 200, answer.text
    if isinstance(expected, Answered):
        assert answer.json()["status"] == expected.status, answer.text
        if expected.holds is not None:
            expected.holds(shopspot)
        return
    assert answer.json() == {"status": "queued"}, answer.text
    letter = letters.get(event_id)
    if isinstance(expected, DeadLettered):
        assert letter is not None, "no dead letter"
        assert names(letter.reason, expected.field), letter.reason
        assert SENTINEL not in letter.reason
        assert case.value is None or case.value not in letter.reason, letter.reason
        return
    assert letter is None, letter.reason
    expected.holds(shopspot)
