"""Cost curves of the initial import: HubSpot calls and seconds per object as the store grows.

Stores of about 1,000, 10,000 and 100,000 objects, each in the proportions of the import
benchmark's store (1 product : 10 customers : 20 orders : 1 abandoned checkout), imported by
`shopspot backfill` exactly as that benchmark does, against the HubSpot sandbox at the
Professional tier's limit (190 calls per 10 s); set-up calls are left out. For each store:
the objects imported, HubSpot calls, calls and seconds per object, and the calls per second
achieved as a fraction of the limit (Shopspot aims at most at its 0.9 share). The plot
(docs/cost-curve.svg, written by this benchmark) draws both per-object costs against the
objects imported, on a logarithmic scale:

![HubSpot calls and seconds per imported object against store size](cost-curve.svg)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import bench_import
from bench.cost_plot import Panel, plot

TOTALS = (1_000, 10_000, 100_000)
PLOT = Path(__file__).resolve().parent.parent / "docs" / "cost-curve.svg"


def run(totals: tuple[int, ...] = TOTALS, window: float = bench_import.WINDOW) -> dict[str, Any]:
    curve = [_point(bench_import.imported(store(total), window)) for total in totals]
    PLOT.write_text(cost_plot(curve))
    return {
        "hubspot_limit": f"{bench_import.LIMIT} per {window:g} s",
        "curve": curve,
        "plot": "docs/cost-curve.svg",
    }


def store(total: int) -> dict[str, int]:
    """About `total` objects in the import benchmark's proportions, at least one of each."""
    whole = sum(bench_import.SIZES.values())
    return {kind: max(1, round(total * n / whole)) for kind, n in bench_import.SIZES.items()}


def _point(figures: dict[str, Any]) -> dict[str, Any]:
    objects, calls, seconds = (
        figures["objects_imported"],
        figures["hubspot_calls"],
        figures["seconds"],
    )
    return {
        "store": figures["store"],
        "objects": objects,
        "hubspot_calls": calls,
        "calls_per_object": round(calls / objects, 4),
        "seconds": seconds,
        "seconds_per_object": round(seconds / objects, 5),
        "calls_per_second_vs_ceiling": figures["calls_per_second_vs_ceiling"],
        "hubspot_429s": figures["hubspot_429s"],
        "dead_letters": figures["dead_letters"],
    }


def cost_plot(curve: list[dict[str, Any]]) -> str:
    """The two per-object costs of `curve` against the objects imported."""
    panels = [
        Panel(
            "HubSpot calls per object",
            "calls per imported object",
            [(p["objects"], p["calls_per_object"]) for p in curve],
            "#1f77b4",
        ),
        Panel(
            "Seconds per object",
            "seconds per imported object",
            [(p["objects"], p["seconds_per_object"]) for p in curve],
            "#d62728",
        ),
    ]
    return plot(panels, "objects imported (log scale)")


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
