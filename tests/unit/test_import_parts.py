"""The import's exports in parts by id (every id in exactly one part, the first parts small),
the order they are exported in, and the kinds written side by side."""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest

from shopspot.backfill.exports import Part, id_ranges, id_terms
from shopspot.backfill.runner import KindResult, export_order, filter_for, side_by_side


def _part_of(ident: int, ranges: list[tuple[int | None, int | None]]) -> list[int]:
    return [
        index
        for index, (low, high) in enumerate(ranges)
        if (low is None or ident >= low) and (high is None or ident < high)
    ]


def test_every_id_falls_in_exactly_one_part_one_created_meanwhile_too() -> None:
    ranges = id_ranges(1_000, 17_000)
    for ident in (1, 999, 1_000, 1_500, 2_000, 2_001, 9_000, 16_999, 17_000, 17_001, 10**15):
        assert len(_part_of(ident, ranges)) == 1, ident


def test_the_first_parts_are_the_smallest_and_none_is_over_a_quarter() -> None:
    ranges = id_ranges(0, 16_000 - 1)
    assert ranges == [
        (None, 1_000),
        (1_000, 2_000),
        (2_000, 4_000),
        (4_000, 8_000),
        (8_000, 12_000),
        (12_000, None),
    ]


def test_a_span_too_small_to_split_is_one_or_few_parts() -> None:
    assert id_ranges(5, 5) == [(None, None)]
    assert all(len(_part_of(ident, id_ranges(5, 7))) == 1 for ident in range(0, 10))


def test_a_part_searches_its_ids_and_the_catch_up_time() -> None:
    assert id_terms((None, None)) == []
    assert filter_for(None, (10, 20)) == "id:>=10 AND id:<20"
    assert filter_for(None, (None, None)) is None


def test_the_first_kind_is_exported_first_and_the_others_in_turn() -> None:
    parts = {kind: [Part(kind, index, "") for index in range(count)]
             for kind, count in (("products", 2), ("customers", 1), ("orders", 3))}  # fmt: skip

    order = [part.key for part in export_order(parts)]

    assert order == ["products#0", "products#1", "customers#0", "orders#0", "orders#1", "orders#2"]


def test_imports_side_by_side_run_at_once_and_report_in_order() -> None:
    # Each waits for the other: one after the other, the barrier breaks.
    together = threading.Barrier(2, timeout=10)

    def kind(name: str) -> KindResult:
        together.wait()
        return KindResult(kind=name)

    results = side_by_side([partial(kind, "customers"), partial(kind, "orders")])

    assert [result.kind for result in results] == ["customers", "orders"]


def test_a_failed_import_side_by_side_is_raised_once_the_others_end() -> None:
    ended = threading.Event()

    def failing() -> KindResult:
        raise RuntimeError("export failed")

    def slow() -> KindResult:
        time.sleep(0.2)
        ended.set()
        return KindResult(kind="orders")

    with pytest.raises(RuntimeError, match="export failed"):
        side_by_side([failing, slow])
    assert ended.is_set()
