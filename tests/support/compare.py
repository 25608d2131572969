"""HubSpot, record by record, against what the Shopify simulator says it should hold
(`/_simulator/expected?records=true`): what is lost, duplicated, wrong, or there unasked.

Findings name records by ids only (Shopify's, HubSpot's, or an upsert key), never by email
or name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.support.hubspot import HubSpotView

Record = dict[str, Any]


@dataclass
class Tally:
    kind: str
    expected: int = 0
    held: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.wrong or self.unexpected)

    def summary(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "held": self.held,
            "lost": len(self.lost),
            "duplicated": len(self.duplicated),
            "wrong": len(self.wrong),
            "unexpected": len(self.unexpected),
        }


def compare(expected: dict[str, Any], hubspot: HubSpotView) -> list[Tally]:
    """Contacts, products, deals and line items; `expected` is the simulator's answer."""
    wanted = expected["records"]
    contacts = hubspot.records("contacts", ["email", "firstname", "lastname"])
    products = hubspot.records("products", ["shopify_product_key", "name", "price"])
    deals = hubspot.records("deals", ["shopify_deal_key", "dealstage", "amount", "dealname"])
    line_items = {r["id"]: r for r in hubspot.records("line_items", ["name"])}
    lines_of = hubspot.associations("deals", "line_items", [deal["id"] for deal in deals])
    stages = hubspot.pipeline_stages()
    for deal in deals:
        names = [line_items[i]["properties"].get("name") for i in lines_of.get(deal["id"], [])]
        deal["line_items"] = sorted(name or "" for name in names)
        deal["stage"] = stages.get(deal["properties"].get("dealstage") or "", "?")
    attached = {line for lines in lines_of.values() for line in lines}
    kinds = [
        ("contacts", contacts, "email", lambda c: [_email(c["email"])], _contact_differences),
        ("products", products, "shopify_product_key", lambda p: [p["key"]], _product_differences),
        ("deals", deals, "shopify_deal_key", lambda d: d["keys"], _deal_differences),
    ]
    return [
        *(
            _tally(kind, wanted[kind], [(_key(r, prop), r) for r in held], keys, differences)
            for kind, held, prop, keys, differences in kinds
        ),
        Tally(
            "line items",
            expected=sum(len(deal["line_items"]) for deal in wanted["deals"]),
            held=len(line_items),
            # On no deal at all; those on the wrong deal show in that deal's differences.
            unexpected=[f"line item {i}" for i in sorted(line_items) if i not in attached],
        ),
    ]


def _key(record: Record, prop: str) -> str | None:
    value = record["properties"].get(prop)
    return _email(value) if prop == "email" else value


def _tally(
    kind: str,
    wanted: list[Record],
    held: list[tuple[str | None, Record]],
    keys: Callable[[Record], list[str | None]],
    differences: Callable[[Record, Record], list[str]],
) -> Tally:
    """Each wanted record is found by any of its keys (the first names it: an id, never an
    email); held records no key names are unexpected, named by HubSpot id."""
    by_key: dict[str | None, list[Record]] = defaultdict(list)
    for key, record in held:
        by_key[key].append(record)
    tally = Tally(kind, expected=len(wanted), held=len(held))
    named: set[str | None] = set()
    for want in wanted:
        own = keys(want)
        named.update(own)
        label = want["sources"][0] if kind == "contacts" else str(own[0])
        found = [record for key in own for record in by_key.get(key, [])]
        if not found:
            tally.lost.append(label)
            continue
        if len(found) > 1:
            tally.duplicated.append(f"{label} x{len(found)}")
        differing = differences(want, found[0])
        if differing:
            tally.wrong.append(f"{label}: {'; '.join(differing)}")
    for key, found in by_key.items():
        if key not in named:
            shown = "" if kind == "contacts" else f" ({key})"
            tally.unexpected += [f"HubSpot {kind} {record['id']}{shown}" for record in found]
    return tally


def _email(email: str | None) -> str | None:
    return (email or "").strip().lower() or None


def _contact_differences(want: Record, held: Record) -> list[str]:
    """Names are personal: a difference is named, its values are not."""
    found = []
    for name in ("firstname", "lastname"):
        value = (held["properties"].get(name) or "").strip()
        allowed = want[name]
        if not (value in allowed if allowed else not value):
            found.append(f"{name} differs")
    return found


def _product_differences(want: Record, held: Record) -> list[str]:
    props = held["properties"]
    return _differences(
        ("name", want["name"], props.get("name")),
        ("price", _money(want["price"]), _money(props.get("price"))),
    )


def _deal_differences(want: Record, held: Record) -> list[str]:
    props = held["properties"]
    lines, want_lines = held["line_items"], want["line_items"]
    found = _differences(
        ("stage", want["stage"], held["stage"]),
        ("amount", _money(want["amount"]), _money(props.get("amount"))),
        ("name", want["name"], props.get("dealname")),
        ("line items", len(want_lines), len(lines)),
    )
    if len(lines) == len(want_lines) and lines != want_lines:
        found.append("line item names differ")
    return found


def _differences(*checks: tuple[str, object, object]) -> list[str]:
    return [f"{name} {held!s}, expected {want!s}" for name, want, held in checks if want != held]


def _money(value: str | None) -> Decimal | None:
    try:
        return None if value is None else Decimal(value)
    except InvalidOperation:
        return None
