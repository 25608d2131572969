"""CRM records of every type, with the unique-value indexes HubSpot enforces."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from .objecttypes import ALL_TYPES, CONTACTS, ObjectType

# Ids of all types come from one counter, so an id used with the wrong type is a 404, and
# they start above 2**32 as real portal ids do, to catch clients that store them in 32 bits.
FIRST_RECORD_ID = 40_000_000_001


@dataclass(slots=True)
class Record:
    id: str
    otype: ObjectType
    properties: dict[str, str]
    created_ms: int
    updated_ms: int
    archived: bool = False
    archived_ms: int | None = None


def unique_key(otype: ObjectType, name: str, value: str) -> str:
    """Contacts' email is matched case-insensitively; other unique values exactly."""
    return value.lower() if otype is CONTACTS and name == "email" else value


class RecordStore:
    """Records by type and id. Callers hold the portal lock."""

    def __init__(self) -> None:
        self._next_id = FIRST_RECORD_ID
        self._records: dict[str, dict[str, Record]] = {t.name: {} for t in ALL_TYPES}
        # Ids in creation order: they only grow, so paging can bisect.
        self._order: dict[str, list[int]] = {t.name: [] for t in ALL_TYPES}
        # (type, property) -> unique key -> id, for records that are not archived.
        self._unique: dict[tuple[str, str], dict[str, str]] = {}

    def new_id(self) -> str:
        record_id = str(self._next_id)
        self._next_id += 1
        return record_id

    def add(self, record: Record) -> None:
        self._records[record.otype.name][record.id] = record
        self._order[record.otype.name].append(int(record.id))

    def get(self, otype: ObjectType, record_id: str) -> Record | None:
        return self._records[otype.name].get(record_id)

    def active(self, otype: ObjectType, record_id: str) -> Record | None:
        record = self._records[otype.name].get(record_id)
        return None if record is None or record.archived else record

    def iter_from(self, otype: ObjectType, after_id: int) -> Iterator[Record]:
        """Records with an id greater than `after_id`, oldest first."""
        order = self._order[otype.name]
        records = self._records[otype.name]
        for index in range(bisect.bisect_right(order, after_id), len(order)):
            yield records[str(order[index])]

    def all(self, otype: ObjectType) -> Iterator[Record]:
        return iter(self._records[otype.name].values())

    def count(self, otype: ObjectType) -> tuple[int, int]:
        """(active, archived) counts."""
        records = self._records[otype.name].values()
        archived = sum(1 for r in records if r.archived)
        return len(records) - archived, archived

    def find_unique(self, otype: ObjectType, name: str, value: str) -> str | None:
        index = self._unique.get((otype.name, name))
        if index is None:
            return None
        return index.get(unique_key(otype, name, value))

    def index(self, record: Record, name: str, old: str | None, new: str | None) -> None:
        index = self._unique.setdefault((record.otype.name, name), {})
        if old:
            key = unique_key(record.otype, name, old)
            if index.get(key) == record.id:
                del index[key]
        if new:
            index[unique_key(record.otype, name, new)] = record.id
