"""The cost-curve benchmark's stores, its plot and its table, without running an import."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bench import bench_import
from bench.__main__ import render
from bench.bench_cost_curve import cost_plot, store
from bench.cost_plot import nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"
CURVE = [
    {"objects": 990, "calls_per_object": 0.0515, "seconds_per_object": 0.0093},
    {"objects": 9_900, "calls_per_object": 0.047, "seconds_per_object": 0.004},
    {"objects": 99_000, "calls_per_object": 0.045, "seconds_per_object": 0.0029},
]


@pytest.mark.parametrize("total", [1_000, 10_000, 100_000])
def test_each_store_keeps_the_import_benchmarks_proportions(total: int) -> None:
    sizes = store(total)
    whole = sum(bench_import.SIZES.values())

    assert abs(sum(sizes.values()) - total) <= len(sizes)
    for kind, n in bench_import.SIZES.items():
        assert sizes[kind] == pytest.approx(total * n / whole, abs=1)


def test_the_plot_draws_each_cost_against_store_size_on_labelled_axes() -> None:
    root = ET.fromstring(cost_plot(CURVE))

    texts = [text.text or "" for text in root.iter(f"{SVG}text")]
    assert texts.count("objects imported (log scale)") == 2
    assert {"calls per imported object", "seconds per imported object"} <= set(texts)
    assert {"1,000", "10,000", "100,000"} <= set(texts)
    assert {"0.0515", "0.047", "0.045", "0.0093", "0.004", "0.0029"} <= set(texts)
    (calls, seconds) = [line.get("points", "").split() for line in root.iter(f"{SVG}polyline")]
    # Equal steps in size are equal steps along x: the axis is logarithmic.
    xs = [float(point.split(",")[0]) for point in calls]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    # Costs that fall draw a line that falls (SVG's y grows downwards).
    ys = [float(point.split(",")[1]) for point in seconds]
    assert ys[0] < ys[1] < ys[2]


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0.0593, 0.1), (0.0107, 0.02), (3.2, 5.0), (0.5, 0.5), (7, 10)]
)
def test_the_y_axis_ends_at_a_round_number(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_a_curve_is_written_to_the_document_as_a_table_of_its_own() -> None:
    result = {
        "title": "Cost curves",
        "about": "Cost curves\n\nAbout.",
        "figures": {"hubspot_limit": "190 per 10 s", "curve": CURVE},
        "command": "make bench",
        "machine": "here",
        "date": "today",
    }

    lines = render({"bench_cost_curve": result}).splitlines()

    assert "| hubspot_limit | 190 per 10 s |" in lines
    header = lines.index("| objects | calls_per_object | seconds_per_object |")
    assert lines[header + 2 : header + 5] == [
        "| 990 | 0.0515 | 0.0093 |",
        "| 9900 | 0.047 | 0.004 |",
        "| 99000 | 0.045 | 0.0029 |",
    ]
    assert not any(line.startswith("| curve |") for line in lines)
