"""Association types HubSpot defines between the served objects, and the links themselves."""

from __future__ import annotations

from dataclasses import dataclass

from .objecttypes import CARTS, CONTACTS, DEALS, LINE_ITEMS, ORDERS, ObjectType

HUBSPOT_DEFINED = "HUBSPOT_DEFINED"
CATEGORIES = frozenset({"HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED", "WORK"})


@dataclass(frozen=True)
class AssociationType:
    from_type: ObjectType
    to_type: ObjectType
    type_id: int
    reverse_id: int

    @property
    def name(self) -> str:
        """The v3 name shown in a record's `associations`, e.g. `deal_to_line_item`."""
        return f"{self.from_type.singular}_to_{self.to_type.singular}"

    @property
    def reverse(self) -> AssociationType:
        return BY_ID[self.reverse_id]


def _pair(a: ObjectType, b: ObjectType, a_to_b: int, b_to_a: int) -> tuple[AssociationType, ...]:
    return AssociationType(a, b, a_to_b, b_to_a), AssociationType(b, a, b_to_a, a_to_b)


# Unlabelled HUBSPOT_DEFINED types (HubSpot's association type id table and the orders and
# carts guides). Products have none: a line item names its product through its
# `hs_product_id` property instead. Line item to cart (591) and deal to cart (1346) are not
# in HubSpot's published tables; they follow every other pair, whose two directions take
# neighbouring ids.
_TYPES = (
    *_pair(DEALS, CONTACTS, 3, 4),
    *_pair(DEALS, LINE_ITEMS, 19, 20),
    *_pair(ORDERS, CONTACTS, 507, 508),
    *_pair(ORDERS, LINE_ITEMS, 513, 514),
    *_pair(ORDERS, DEALS, 512, 511),
    *_pair(ORDERS, CARTS, 593, 592),
    *_pair(CARTS, CONTACTS, 586, 587),
    *_pair(CARTS, LINE_ITEMS, 590, 591),
    *_pair(CARTS, DEALS, 1347, 1346),
)
BY_ID: dict[int, AssociationType] = {t.type_id: t for t in _TYPES}
DEFAULT_FOR_PAIR: dict[tuple[str, str], AssociationType] = {
    (t.from_type.name, t.to_type.name): t for t in _TYPES
}


def default_type(from_type: ObjectType, to_type: ObjectType) -> AssociationType | None:
    return DEFAULT_FOR_PAIR.get((from_type.name, to_type.name))


# One side of a link: (object type name, record id).
End = tuple[str, str]


class AssociationStore:
    """Links kept in both directions. Callers hold the portal lock and skip archived ends."""

    def __init__(self) -> None:
        self._links: dict[End, dict[str, dict[str, set[int]]]] = {}

    def add(self, atype: AssociationType, from_id: str, to_id: str) -> None:
        self._put((atype.from_type.name, from_id), atype.to_type.name, to_id, atype.type_id)
        self._put((atype.to_type.name, to_id), atype.from_type.name, from_id, atype.reverse_id)

    def remove_pair(self, from_end: End, to_end: End) -> None:
        self._drop(from_end, to_end)
        self._drop(to_end, from_end)

    def targets(
        self, from_type: ObjectType, from_id: str, to_type: ObjectType
    ) -> dict[str, set[int]]:
        """Linked ids of `to_type` with their type ids; the caller must not modify it."""
        return self._links.get((from_type.name, from_id), {}).get(to_type.name, {})

    def link_count(self) -> int:
        return sum(len(ids) for by_type in self._links.values() for ids in by_type.values()) // 2

    def _put(self, end: End, to_type: str, to_id: str, type_id: int) -> None:
        self._links.setdefault(end, {}).setdefault(to_type, {}).setdefault(to_id, set()).add(
            type_id
        )

    def _drop(self, from_end: End, to_end: End) -> None:
        self._links.get(from_end, {}).get(to_end[0], {}).pop(to_end[1], None)
