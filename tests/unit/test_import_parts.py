"""The import's exports in parts by id: every id in exactly one part, the first parts small."""

from __future__ import annotations

from shopspot.backfill.exports import id_ranges, id_terms
from shopspot.backfill.runner import filter_for


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
